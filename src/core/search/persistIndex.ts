// Nothing derived is recomputed per process (issue 18): the search index is built in memory by the
// indexer's slices (store/ftsIndex.ts), and a new process only finds it on disk if the process
// that built it folds it into the image. Without that, every short-lived CLI re-indexed what the
// previous one left queued (`sdlc-lens search` on 11.7k documents: 1.9 s every time), and a cold
// sync large enough to be written as an image at its end (the fold happens before the index is
// built) left the whole queue to every later process.
//
// A fold writes the whole image, so it is worth it only when the documents indexed are a sizeable
// part of the database: at least PERSIST_MIN_DOCUMENTS and an eighth of the documents (the change
// log's idle fold uses the same eighth). Below that, what a new process re-indexes is bounded by
// that eighth and is what replaying the log's records queues anyway.
import { LARGE_RUN_DOCUMENTS } from '../store/ftsIndex';
import type { Logger } from '../types';

/** The runs worth a fold: the large ones, which also merge the index (store/ftsIndex.ts). */
export const PERSIST_MIN_DOCUMENTS = LARGE_RUN_DOCUMENTS;

export interface IndexPersistStore {
  all(sql: string): Record<string, unknown>[];
  checkpoint(): Promise<void>;
  readonly isOpen: boolean;
}

/** The indexer's `caughtUp`: logs what it indexed (the counted test reads it) and folds when worth it. */
export function indexPersister(store: IndexPersistStore, logger: Logger): (indexed: number) => Promise<void> {
  return async (indexed) => {
    logger.info(`search index: ${indexed} documents indexed`);
    if (!store.isOpen || indexed < PERSIST_MIN_DOCUMENTS) return;
    const documents = Number(store.all('SELECT count(*) AS n FROM documents')[0]?.n ?? 0);
    if (indexed * 8 < documents) return;
    try {
      await store.checkpoint();
      logger.info(`search index: saved with the database image (${indexed} documents)`);
    } catch (e) {
      logger.warn(`could not save the search index (rebuilt by the next process): ${(e as Error).message}`);
    }
  };
}
