// The host side of the engine's worker: starts it lazily on first use, forwards calls by method name,
// carries sync cancellation and progress, re-raises typed errors and restarts a worker that died.
// Used by the extension (and tests); never imports vscode.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EngineChange, StartedSync, StartSyncOptions } from '../engine-api';
import { LensError, messageOf } from '../errors';
import { lockFileOf } from '../store/dataDir';
import { releaseForThread } from '../store/filelock';
import { Listeners } from '../listeners';
import type { SkillSettings } from '../skill/run';
import { silentLogger, type Logger, type SyncOutcome, type SyncProgress } from '../types';
import { NOT_FORWARDED, type AsyncLensEngine, type EngineInfo, type FromWorker, type ToWorker, type WorkerInit } from './protocol';

export interface EngineClientOptions extends WorkerInit {
  /** The worker bundle (dist/engineWorker.js); default: beside this bundle. */
  workerFile?: string;
  /** Creates the worker (tests run the TypeScript entry through tsx this way). */
  createWorker?: (init: WorkerInit) => Worker;
  /** Receives the worker's log lines. */
  logger?: Logger;
  /** Called when the worker stopped without being asked to; the next call starts a new one. */
  onDidDie?: (message: string) => void;
}

/** The message a call gets when the worker died under it. */
export const ENGINE_STOPPED = 'The SDLC Lens engine stopped unexpectedly; it restarts on the next action';

interface Pending {
  resolve(value: unknown): void;
  reject(e: unknown): void;
}

interface RunningSync {
  slug: string;
  started: number;
  onProgress?: (p: SyncProgress) => void;
  resolve(o: SyncOutcome): void;
}

interface Live {
  worker: Worker;
  ready: Promise<EngineInfo>;
  closing: boolean;
  /** The thread was ended by V8 for reaching its heap limit (ERR_WORKER_OUT_OF_MEMORY). */
  outOfMemory: boolean;
}

/**
 * The engine thread's V8 limits. Its memory is the extension host's (same process).
 * - Young generation, 16 MB: on VS Code 1.139 (Node 24) V8 let the thread's heap grow to 184 MB
 *   committed for 72 MB in use at 11.7k documents (EngineInfo.memory in the host benchmark), most
 *   of it young generation.
 * - Old generation, 1 GB: V8 lets a heap grow past its live size by a factor it takes from this
 *   limit (up to 4× with the default limit of a few GB, ~1.6× at 1 GB), so the garbage of a sync is
 *   collected sooner. 11.7k documents synced, re-synced 3 times and every group listed, in a worker
 *   of plain Node, peak process RSS (4 alternating runs each): Node 24 240-270 → 197-212 MB, Node 20
 *   197-210 → 190-208 MB; sync time unchanged. A 50k project's heap peaks at ~150-200 MB; a thread
 *   that reaches the limit ends with ENGINE_OUT_OF_MEMORY.
 */
export const WORKER_LIMITS = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 1024 };

/** The message when the worker ended for reaching its heap limit (WORKER_LIMITS). */
export const ENGINE_OUT_OF_MEMORY = `The SDLC Lens engine ran out of memory (its limit is ${WORKER_LIMITS.maxOldGenerationSizeMb} MB) and stopped; it restarts on the next action`;

export class EngineClient {
  private live: Live | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly syncs = new Map<number, RunningSync>();
  private readonly listeners: Listeners<EngineChange>;
  private readonly logger: Logger;
  private starts = 0;
  private closed = false;
  private skill: Partial<SkillSettings> | undefined;
  /** The async engine: LensEngine's methods by name, each returning a promise. */
  readonly engine: AsyncLensEngine;

  constructor(private readonly options: EngineClientOptions) {
    this.logger = options.logger ?? silentLogger;
    this.listeners = new Listeners<EngineChange>(this.logger);
    const special: Record<string, unknown> = {
      startSync: (slug: string, o?: StartSyncOptions) => this.startSync(slug, o),
      onDidChange: (l: (c: EngineChange) => void) => this.onDidChange(l),
      close: () => this.close(),
    };
    this.engine = new Proxy(Object.create(null) as AsyncLensEngine, {
      get: (_target, name) => {
        if (typeof name !== 'string') return undefined;
        if (name in special) return special[name];
        if (NOT_FORWARDED.has(name)) return undefined; // e.g. `then`: the engine is not a thenable
        return (...args: unknown[]) => this.call(name, args);
      },
    });
  }

  /** True while a worker thread is running (for tests and the log). */
  get running(): boolean {
    return this.live !== undefined;
  }

  /** How many workers were started so far (1 after the first use; more after restarts). */
  get startCount(): number {
    return this.starts;
  }

  /** The worker's thread id, while one runs. */
  get threadId(): number | undefined {
    return this.live?.worker.threadId;
  }

  /** Starts the worker if none runs and resolves with the engine's identity once it is open. */
  info(): Promise<EngineInfo> {
    return this.ensure().ready;
  }

  onDidChange(listener: (change: EngineChange) => void): () => void {
    return this.listeners.add(listener);
  }

  async call(method: string, args: unknown[]): Promise<unknown> {
    // Kept here too: a worker started after a crash gets them with its start-up parameters.
    if (method === 'configureSkill' && args[0] && typeof args[0] === 'object') this.skill = { ...(this.skill ?? this.options.skill), ...(args[0] as Partial<SkillSettings>) };
    const live = this.ensure();
    await live.ready;
    return this.request(live, (id) => ({ t: 'call', id, method, args }));
  }

  async startSync(slug: string, options: StartSyncOptions = {}): Promise<StartedSync> {
    const live = this.ensure();
    await live.ready;
    if (options.signal?.aborted) throw new LensError('VALIDATION_ERROR', 'The sync was cancelled before it started');
    const syncId = this.nextId++;
    let resolveDone!: (o: SyncOutcome) => void;
    const done = new Promise<SyncOutcome>((r) => (resolveDone = r));
    this.syncs.set(syncId, { slug, started: Date.now(), onProgress: options.onProgress, resolve: resolveDone });
    const onAbort = () => this.live?.worker.postMessage({ t: 'cancelSync', syncId } satisfies ToWorker);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    void done.finally(() => options.signal?.removeEventListener('abort', onAbort));
    try {
      const project = (await this.request(live, (id) => ({ t: 'startSync', id, syncId, slug, options: { paths: options.paths, fullRehash: options.fullRehash } }))) as StartedSync['project'];
      return { project, done };
    } catch (e) {
      this.syncs.delete(syncId);
      options.signal?.removeEventListener('abort', onAbort);
      throw e;
    }
  }

  /**
   * Closes the engine in the worker (cancelling running syncs, which are recorded as `error`), then
   * ends the thread. Later calls start a new worker unless `final` (deactivate) was given.
   */
  async close(final = true): Promise<void> {
    if (final) this.closed = true;
    const live = this.live;
    if (!live) return;
    live.closing = true;
    try {
      await live.ready;
      await this.request(live, (id) => ({ t: 'close', id }));
    } catch (e) {
      this.logger.warn(`engine did not close cleanly: ${(e as Error).message}`);
    } finally {
      await live.worker.terminate();
      this.ended(live, 'The SDLC Lens engine was closed');
    }
  }

  // ── internals ────────────────────────────────────────────────────────────

  private ensure(): Live {
    if (this.live) return this.live;
    if (this.closed) throw new LensError('DATABASE_UNAVAILABLE', 'SDLC Lens is shutting down');
    const init: WorkerInit = { dataDir: this.options.dataDir, wasmPath: this.options.wasmPath, skill: this.skill ?? this.options.skill };
    const worker = this.options.createWorker
      ? this.options.createWorker(init)
      : new Worker(this.options.workerFile ?? path.join(__dirname, 'engineWorker.js'), { workerData: init, resourceLimits: WORKER_LIMITS });
    const restarted = this.starts++ > 0;
    let readyResolve!: (i: EngineInfo) => void;
    let readyReject!: (e: unknown) => void;
    const live: Live = {
      worker,
      closing: false,
      outOfMemory: false,
      ready: new Promise<EngineInfo>((res, rej) => {
        readyResolve = res;
        readyReject = rej;
      }),
    };
    live.ready.catch(() => undefined);
    this.live = live;
    const thread = worker.threadId;
    worker.on('message', (m: FromWorker) => {
      if (m.t === 'ready') {
        readyResolve(m.info);
        if (restarted) this.emit({ kind: 'reloaded' }); // whatever the dead worker left, show it afresh
      } else if (m.t === 'failed') {
        readyReject(new LensError(m.error.code, m.error.message));
        live.closing = true;
        void worker.terminate();
      } else this.receive(m);
    });
    worker.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') live.outOfMemory = true;
      this.logger.error(`engine worker failed: ${e.stack ?? e.message}`);
    });
    worker.on('exit', (code) => {
      // A thread that ends while it holds the data folder's lock cannot release it, and this process
      // is alive, so no other would ever take it over: release it here (only if it is that thread's).
      try {
        if (releaseForThread(lockFileOf(this.options.dataDir), thread)) {
          this.logger.warn(`released the data folder lock held by the engine worker that ended (thread ${thread})`);
        }
      } catch (e) {
        this.logger.warn(`could not release the lock of the engine worker that ended: ${messageOf(e)}`);
      }
      if (this.live !== live) return;
      const expected = live.closing;
      const message = live.outOfMemory ? ENGINE_OUT_OF_MEMORY : ENGINE_STOPPED;
      readyReject(new LensError('DATABASE_UNAVAILABLE', message));
      this.ended(live, message);
      if (!expected) {
        this.logger.error(`engine worker exited unexpectedly (code ${code})`);
        this.options.onDidDie?.(message);
      }
    });
    return live;
  }

  private request(live: Live, make: (id: number) => ToWorker): Promise<unknown> {
    if (this.live !== live) return Promise.reject(new LensError('DATABASE_UNAVAILABLE', ENGINE_STOPPED));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      live.worker.postMessage(make(id));
    });
  }

  private receive(m: FromWorker): void {
    switch (m.t) {
      case 'result':
      case 'error': {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.t === 'result') p.resolve(m.value);
        else p.reject(new LensError(m.error.code, m.error.message));
        return;
      }
      case 'change':
        return this.emit(m.change);
      case 'progress': {
        const s = this.syncs.get(m.syncId);
        try {
          s?.onProgress?.(m.progress);
        } catch (e) {
          this.logger.warn(`sync progress listener failed: ${(e as Error).message}`);
        }
        return;
      }
      case 'syncDone': {
        const s = this.syncs.get(m.syncId);
        this.syncs.delete(m.syncId);
        s?.resolve(m.outcome);
        return;
      }
      case 'log':
        this.logger[m.level](m.message);
        return;
    }
  }

  /** The worker is gone: every pending call fails, every running sync ends in `error`. */
  private ended(live: Live, message: string): void {
    if (this.live !== live) return;
    this.live = undefined;
    for (const p of this.pending.values()) p.reject(new LensError('DATABASE_UNAVAILABLE', message));
    this.pending.clear();
    for (const s of this.syncs.values()) s.resolve(stoppedOutcome(s.slug, Date.now() - s.started, message));
    this.syncs.clear();
  }

  private emit(change: EngineChange): void {
    this.listeners.emit(change);
  }
}

function stoppedOutcome(slug: string, duration: number, message: string): SyncOutcome {
  return {
    slug,
    sync_status: 'error',
    sync_error: message,
    document_count: 0,
    duration_ms: duration,
    file_errors: [],
    cancelled: false,
    added: 0,
    updated: 0,
    skipped: 0,
    deleted: 0,
    errors: 0,
  };
}
