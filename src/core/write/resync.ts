// After a status write: the path-hinted re-sync of the files the writer touched, awaited, so the
// stored rows follow before setStatus resolves.
import { LensError } from '../errors';
import type { SyncService } from '../sync/service';
import type { Logger } from '../types';

export interface ResyncDeps {
  sync: Pick<SyncService, 'whenDone' | 'start' | 'isSyncing'>;
  logger: Logger;
  /** True once the engine is closing: no new run is started. */
  closed(): boolean;
}

/**
 * A path-hinted sync of what changed (null: all of it), awaited. A run of this process already
 * going is waited for first; one of another process will see the change itself (the file's stat
 * changed). Never throws: the write itself succeeded, and the next sync catches the database up.
 */
export async function resyncAfterWrite(deps: ResyncDeps, slug: string, paths: string[] | null): Promise<void> {
  const { sync, logger } = deps;
  for (let attempt = 0; attempt < 3 && !deps.closed(); attempt++) {
    await sync.whenDone(slug);
    try {
      const started = await sync.start(slug, paths ? { paths } : {});
      const outcome = await started.done;
      if (outcome.sync_status === 'error') logger.warn(`${slug}: re-sync after the status change ended in error: ${outcome.sync_error ?? ''}`);
      return;
    } catch (e) {
      if (!(e instanceof LensError && e.code === 'SYNC_IN_PROGRESS')) {
        // the write itself succeeded: say so, and let the next sync catch the database up
        logger.warn(`${slug}: re-sync after the status change failed (the next sync picks it up): ${(e as Error).message}`);
        return;
      }
      if (!sync.isSyncing(slug)) {
        logger.info(`${slug}: another process is syncing; it picks up the status change`);
        return;
      }
    }
  }
}
