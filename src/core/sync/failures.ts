// A sync's failure is always recorded (sync.md §5: nothing stays `syncing`): written in a fresh
// transaction if the run still owns the project, retried a few times at once, then every second
// and at close until it is written; a new claim of the project replaces what was waiting.
import { messageOf } from '../errors';
import type { Store } from '../store/database';
import type { Logger } from '../types';
import type { SyncOwner } from './owner';

/** Attempts (and waits between them, ms) to record a run's failure before leaving it to the retry timer. */
const RECORD_BACKOFF_MS = [0, 25, 100];
const RECORD_RETRY_MS = 1_000;

export class FailureRecorder {
  /** Outcomes that could not be written yet (project id → sync_error): retried until they are. */
  private readonly unrecorded = new Map<number, string>();
  private retryTimer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly store: Store,
    private readonly owner: SyncOwner,
    private readonly logger: Logger,
  ) {}

  /** A new claim of the project: an outcome still waiting is replaced by the new run's. */
  forget(projectId: number): void {
    this.unrecorded.delete(projectId);
  }

  /**
   * Records `error` in a fresh transaction, only if this run still owns the project. A failed write
   * is retried (a few times now, then every second and at close) so the stored row never stays
   * `syncing` for a run that has ended. True once recorded.
   */
  async record(projectId: number, message: string): Promise<boolean> {
    this.unrecorded.set(projectId, message);
    let last: unknown;
    for (const wait of RECORD_BACKOFF_MS) {
      if (wait) await new Promise((r) => setTimeout(r, wait));
      if (!this.store.isOpen) return false;
      try {
        await this.write(projectId, message);
        return true;
      } catch (e) {
        last = e;
      }
    }
    this.logger.error(`could not record the sync failure (retrying): ${messageOf(last)}`);
    this.armRetry();
    return false;
  }

  /** Writes every outcome still waiting (called by the retry timer and at close). */
  async flush(): Promise<void> {
    for (const [projectId, message] of [...this.unrecorded]) {
      if (!this.store.isOpen) break;
      try {
        await this.write(projectId, message);
        this.logger.info(`recorded the earlier sync failure (${message})`);
      } catch {
        // still failing: the timer tries again; at close, the next start-up resets the claim
      }
    }
    if (this.unrecorded.size === 0 || !this.store.isOpen) {
      if (this.retryTimer) clearInterval(this.retryTimer);
      this.retryTimer = null;
    }
  }

  private async write(projectId: number, message: string): Promise<void> {
    await this.store.mutate((db) =>
      db.run(
        "UPDATE projects SET sync_status = 'error', sync_error = ?, sync_owner = NULL WHERE id = ? AND sync_owner = ?",
        [message, projectId, this.owner.token],
      ),
    );
    if (this.unrecorded.get(projectId) === message) this.unrecorded.delete(projectId);
  }

  private armRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setInterval(() => void this.flush(), RECORD_RETRY_MS);
    this.retryTimer.unref?.();
  }
}
