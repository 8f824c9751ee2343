// Drains `fts_pending` into the FTS4 index (schema migration 2). Every slice is one small
// transaction, so indexing thousands of documents never holds the event loop for long, and the
// queue lives in the database: whatever a crash or another process interrupts is indexed later.
// The index is derived data: it is built in memory and never logged. Once a run has caught up, the
// owner is told how many documents it indexed (`caughtUp`), so it can persist the index with a fold
// (search/persistIndex.ts); otherwise a process that opens the database before the next fold
// would index the queued rows again.
import type { Database as SqlDatabase } from 'sql.js';
import type { MutateOptions } from './database';
import { rebuildFts } from './schema';
import { nextTurn } from '../nextTurn';

export function pendingCount(db: SqlDatabase): number {
  return Number(db.exec('SELECT count(*) FROM fts_pending')[0]?.values[0]?.[0] ?? 0);
}

/** Indexes up to `limit` queued documents (all of them when limit is Infinity). Returns how many. */
export function indexPending(db: SqlDatabase, limit: number): number {
  const bound = db.exec(
    Number.isFinite(limit)
      ? `SELECT max(id), count(*) FROM (SELECT id FROM fts_pending ORDER BY id LIMIT ${Math.max(1, Math.floor(limit))})`
      : 'SELECT max(id), count(*) FROM fts_pending',
  )[0]?.values[0];
  const upTo = bound?.[0];
  if (upTo === null || upTo === undefined) return 0;
  // the queue drives the join (CROSS JOIN keeps it outer): joined the other way, SQLite walked the
  // documents from the first id up to `upTo` at every slice, reading every earlier row's page again
  // (11.7k documents: 700k page reads, 2.8 GB, in one catch-up)
  db.run(
    `INSERT INTO documents_fts (docid, title, content)
     SELECT d.id, d.title, d.content FROM fts_pending p CROSS JOIN documents d ON d.id = p.id WHERE p.id <= ?`,
    [upTo],
  );
  db.run('DELETE FROM fts_pending WHERE id <= ?', [upTo]);
  return Number(bound[1]);
}

/**
 * Why the index cannot be maintained (the statements the document triggers run fail), or null when
 * it can. Probed in a rolled-back transaction, so nothing changes.
 */
export function indexProblem(store: { applyInMemory<T>(fn: (db: SqlDatabase) => T): T }): string | null {
  const probe = new Error('probe');
  try {
    store.applyInMemory((db) => {
      db.run('DELETE FROM documents_fts WHERE docid = -1');
      db.exec('SELECT count(*) FROM documents_fts_docsize');
      throw probe; // roll back
    });
  } catch (e) {
    return e === probe ? null : (e as Error).message;
  }
  return null;
}

/**
 * Runs a sync's `mutate` so that a broken search index cannot fail it (sync.md §9): when the
 * transaction fails and the index is what fails, the index is rebuilt from the documents in
 * memory (it is derived data), a warning is logged, the transaction runs again, and the image is
 * folded so the next process opens the repaired index.
 */
export async function mutateDespiteIndex<T>(
  store: {
    mutate<V>(fn: (db: SqlDatabase) => V, options?: MutateOptions): Promise<{ value: V }>;
    applyInMemory<V>(fn: (db: SqlDatabase) => V): V;
    checkpoint(): Promise<void>;
  },
  warn: (message: string) => void,
  fn: (db: SqlDatabase) => T,
  options: MutateOptions = {},
): Promise<{ value: T }> {
  try {
    return await store.mutate(fn, options);
  } catch (e) {
    const problem = indexProblem(store);
    if (problem === null) throw e;
    warn(`search index unusable (${problem}); rebuilt from the stored documents, the sync goes on`);
    store.applyInMemory((db) => {
      db.exec('DROP TABLE IF EXISTS documents_fts');
      rebuildFts(db);
    });
    const result = await store.mutate(fn, options);
    await store.checkpoint().catch((err: Error) => warn(`could not save the rebuilt search index: ${err.message}`));
    return result;
  }
}

/**
 * One bounded step of merging the index's segments (FTS4's incremental merge: at most `blocks`
 * leaf blocks of the lowest level holding ≥ `minSegments` segments). Returns true while there is
 * more to merge: the step changed fewer than 2 rows when it found nothing to do (SQLite's fts3
 * documentation).
 */
export function mergeStep(db: SqlDatabase, minSegments = 2, blocks = MERGE_BLOCKS): boolean {
  const before = totalChanges(db);
  db.run(`INSERT INTO documents_fts (documents_fts) VALUES ('merge=${blocks},${minSegments}')`);
  return totalChanges(db) - before >= 2;
}

const totalChanges = (db: SqlDatabase): number => Number(db.exec('SELECT total_changes()')[0]?.values[0]?.[0] ?? 0);

/**
 * Leaf blocks a merge step reads. Measured at 10k documents: 10 → ≤ 18 ms a step, 1.09 s in all
 * (177 steps); 25 → up to 92 ms a step. At 2,352: 0.57 s in all, the first step ~53 ms (warm-up).
 */
const MERGE_BLOCKS = 10;

/**
 * Leaf blocks a step of the merge after a large run reads: that merge takes the highest levels,
 * whose segments are the largest, and a step's fixed part (each input segment's nodes cut and
 * written back) grows with them. At 50k documents, 10 blocks a step held the thread 61-66 ms, 5
 * held it 45-54 ms, with indexing as long (24.5-24.9 s; 2 runs each).
 */
const FINAL_MERGE_BLOCKS = 5;

/**
 * Merging after each indexing slice, so no level of the index above the first reaches the 16
 * segments at which FTS4 merges them all inside the insert that adds one more (the second level's
 * merge held the engine thread 160-230 ms at 10k documents, the third's 640-800 ms at 50k). A level
 * is merged once it holds TRICKLE_MIN_SEGMENTS, by bounded steps after the slices that follow:
 * FTS4 takes the lowest level that has them and resumes a level it left half-merged when no lower
 * one needs it, so the first level's merges go first and a second-level merge is spread over the
 * slices between them. The steps stop when nothing is left to merge, or after TRICKLE_MAX_STEPS.
 * At 12 a level, documents are merged as often as with FTS4's 16 up to 86k documents (levels of 12
 * segments of 50, 600, 7,200 documents); merging at 8 merged those past 25,600 a third time
 * (indexing +24 % at 50k). A second-level merge (~130 steps) has the 48 slices before its level
 * would reach 16; with the first level's merges, ~3.5 steps a slice. Measured (in-process, 2 runs
 * each, against merging 8 at 2 steps a slice): the longest in-memory transaction 148 → 27 ms at 10k,
 * 197-237 → 62-66 ms at 50k (the merges after the run); indexing CPU at 50k 22.7-23.9 → 24.7 s.
 */
const TRICKLE_MAX_STEPS = 8;
const TRICKLE_MIN_SEGMENTS = 12;

/**
 * A large indexing run: at least this many documents (a cold sync, a large change). After one, the
 * index is merged down to one segment per level. FTS4 merges a level when it reaches 16 segments,
 * and the indexer's slices leave levels near that: the next edit's delete then merged them all,
 * ~220 ms at 2,352 and 10k documents, in the editing process and again in every process that
 * replayed its log record until the next fold (a CLI `projects` after a CLI edit at 2,352:
 * 0.35-0.41 s, 0.22-0.28 s without the record). Merged, an edit's delete costs ≤ 5 ms. Smaller runs
 * keep FTS4's own policy: merging one document's segment into the whole index would rewrite it all.
 */
export const LARGE_RUN_DOCUMENTS = 256;

/**
 * Whether a sync updating `updates` of the `stored` documents empties the index and queues every
 * document (schema.ts requeueIndex) instead: a large run rewriting at least half of all documents
 * (a branch switched, every file reformatted, a new parser). Each update otherwise first removes its
 * old entries (its trigger: FTS4 reads and tokenises the old text): a re-sync of 2,352 documents
 * all changed took 3.4 s in the sync, 0.79 s requeued. The index is shared by every project, hence
 * all documents stored.
 */
export function rewritesIndex(updates: number, stored: number): boolean {
  return updates >= LARGE_RUN_DOCUMENTS && updates * 2 >= stored;
}

/**
 * Documents per slice where the thread answers requests (the extension's worker, `serve`, `mcp`):
 * ~20 ms of FTS4 work, and every 16th slice merges the 16 segments before it (~2× that); 100 a
 * slice made those merges hold the engine thread ~115 ms at 2,352 documents.
 */
export const INDEX_SLICE = 50;

/**
 * Documents per slice for a one-shot CLI command, which answers nobody while it indexes: each
 * slice is a transaction whose commit rewrites the index's segment pages, and fewer, larger
 * segments merge for less. A cold `sdlc-lens sync` of 2,352 documents in a new process: 1.69 s with
 * 50 a slice, 1.45 s with 500, 1.43 s with 2,000, 1.48 s in one (3 runs each); 500 keeps Ctrl-C
 * answered within a slice (~0.15-0.3 s).
 */
export const ONE_SHOT_INDEX_SLICE = 500;

/** Keeps the index caught up in the background, in small in-memory slices. */
export class FtsIndexer {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  /** Waiting for a slice to find the queue empty (whenDrained). */
  private drained: (() => void)[] = [];

  constructor(
    private readonly store: {
      isOpen: boolean;
      applyInMemory<T>(fn: (db: SqlDatabase) => T): T;
    },
    private readonly onError: (e: unknown) => void,
    /** After a run that indexed documents and emptied the queue; awaited by whenIdle. */
    private readonly caughtUp: (indexed: number) => Promise<void> = async () => undefined,
    /**
     * Work that goes first (the syncs in progress): a promise that settles when it has ended, or
     * null. Checked before every slice, so an edit's sync never waits behind a backlog of slices.
     */
    private readonly yieldTo: () => Promise<void> | null = () => null,
    private readonly slice: number = INDEX_SLICE,
  ) {}

  /** Starts (or re-arms) a catch-up run. */
  schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run().finally(() => {
      this.running = null;
      this.settleDrained(); // stopped or failed: a waiter's search then indexes what is left itself
      if (this.again && !this.stopped) {
        this.again = false;
        this.schedule();
      }
    });
  }

  /**
   * Resolves once a slice finds nothing queued (before a large run's merge of its segments), or at
   * once when no run is going. A search waits for this instead of indexing the whole queue in one
   * hold of the thread (searchIndex.ts ensureFresh): 3.0 s for the 9,949 documents an image left
   * queued by another process (after this process's own sync the queue is normally empty).
   */
  whenDrained(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  private settleDrained(): void {
    for (const resolve of this.drained.splice(0)) resolve();
  }

  /** Resolves once nothing is queued (or the indexer was stopped). */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops after the current slice. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** Up to TRICKLE_MAX_STEPS bounded merge steps, each after a turn of the event loop; stops when there is nothing to merge or a sync waits. */
  private async trickleMerge(): Promise<void> {
    for (let i = 0; i < TRICKLE_MAX_STEPS; i++) {
      await nextTurn();
      if (this.stopped || !this.store.isOpen || this.yieldTo()) return;
      if (!this.store.applyInMemory((db) => mergeStep(db, TRICKLE_MIN_SEGMENTS))) return;
    }
  }

  private async run(): Promise<void> {
    try {
      let indexed = 0;
      for (;;) {
        if (this.stopped || !this.store.isOpen) return;
        const ahead = this.yieldTo();
        if (ahead) {
          await ahead;
          continue;
        }
        const n = this.store.applyInMemory((db) => indexPending(db, this.slice));
        indexed += n;
        if (n === 0) {
          this.settleDrained();
          // caught up: a large run merges its segments, one bounded step a slice (new documents first)
          if (indexed < LARGE_RUN_DOCUMENTS || !this.store.applyInMemory((db) => mergeStep(db, 2, FINAL_MERGE_BLOCKS))) break;
        } else await this.trickleMerge();
        await nextTurn();
      }
      if (indexed > 0) await this.caughtUp(indexed);
    } catch (e) {
      this.onError(e);
    }
  }
}
