// The one contract between the extension host and the engine's worker thread: the async shape of
// LensEngine, and the messages that carry calls, results, errors and events over the port.
// Plain data only (structured clone); never imports vscode.
import type { EngineChange, LensEngine, SearchPage, SearchQuery, StartedSync, StartSyncOptions } from '../engine-api';
import type { LensErrorCode } from '../errors';
import type { SkillSettings } from '../skill/run';
import type { SyncOutcome, SyncProgress } from '../types';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;

/** Names of LensEngine's methods (its data properties, version and dbPath, come with `info()`). */
export type EngineMethodName = { [K in keyof LensEngine]: LensEngine[K] extends AnyFn ? K : never }[keyof LensEngine];

/** Methods that need more than "send the arguments, await the result"; the client implements them itself. */
export type SpecialMethod = 'onDidChange' | 'startSync' | 'close';

/** Every other method: plain arguments and results, forwarded by name with no per-method code. */
export type ForwardedMethod = Exclude<EngineMethodName, SpecialMethod>;

type Promised<F> = F extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;

export interface EngineInfo {
  version: string;
  dbPath: string;
  /** Every file a write by any process changes (the image and its change log): watch these. */
  dataFiles: string[];
  /** Problems met while opening (e.g. a corrupt database moved aside). */
  warnings: string[];
  /** Whether sql.js's file is written and opened without image-sized copies (store/sqljs.ts); false: the slower fallback. */
  fileAccess: boolean;
  /** Whether the database's file stays on disk, only SQLite's page cache in memory (store/pagedFile.ts); false: held in memory. */
  pagedFiles: boolean;
  /** The engine thread's memory now, MB: the process's RSS (the host's, for the extension), this thread's V8 heap (and its limit), sql.js's WebAssembly memory. */
  memory: { rssMb: number; heapUsedMb: number; heapTotalMb: number; heapLimitMb: number; externalMb: number; wasmMb: number | null };
}

export interface ApiServerRequest {
  port: number;
  token?: string | null;
  version?: string;
}

export interface ApiServerInfo {
  port: number;
  url: string;
}

/** What the worker serves beside the engine: the optional API server and the engine's identity. */
export interface WorkerExtras {
  info(): EngineInfo;
  /** Starts the REST API over the worker's engine (one at a time: stop first). Throws LensError. */
  startApiServer(request: ApiServerRequest): Promise<ApiServerInfo>;
  /** Stops it; a no-op when none is running. */
  stopApiServer(): Promise<void>;
  /** Engine.searchSettled under search's name: every search of the extension waits for the index queue, the thread answering meanwhile. */
  search(query: SearchQuery): Promise<SearchPage>;
}

export type ExtraMethodName = keyof WorkerExtras;

/**
 * LensEngine as the extension host sees it: every method returns a promise. A method added to
 * LensEngine (plain, JSON-serialisable arguments and result) appears here and is forwarded with no
 * extra code.
 */
export type AsyncLensEngine = { [K in ForwardedMethod]: Promised<LensEngine[K]> } & { [K in ExtraMethodName]: Promised<WorkerExtras[K]> } & {
  /** Same contract as LensEngine.startSync: abort the signal to cancel; `done` never rejects. */
  startSync(slug: string, options?: StartSyncOptions): Promise<StartedSync>;
  /** Listens to the worker's engine changes (and `reloaded` after a restarted worker). */
  onDidChange(listener: (change: EngineChange) => void): () => void;
  /** Closes the engine in the worker (recording `error` for a running sync), then ends the worker. */
  close(): Promise<void>;
};

// ── messages ────────────────────────────────────────────────────────────────

export interface WireError {
  code: LensErrorCode;
  message: string;
}

/** The worker's start-up parameters (workerData). */
export interface WorkerInit {
  dataDir: string;
  wasmPath?: string;
  /** The last `configureSkill` settings, so a restarted worker keeps them. */
  skill?: Partial<SkillSettings>;
}

export type ToWorker =
  | { t: 'call'; id: number; method: string; args: unknown[] }
  | { t: 'startSync'; id: number; syncId: number; slug: string; options?: Pick<StartSyncOptions, 'paths' | 'fullRehash'> }
  | { t: 'cancelSync'; syncId: number }
  | { t: 'close'; id: number };

export type LogLevel = 'info' | 'warn' | 'error';

export type FromWorker =
  | { t: 'ready'; info: EngineInfo }
  | { t: 'failed'; error: WireError }
  | { t: 'result'; id: number; value: unknown }
  | { t: 'error'; id: number; error: WireError }
  | { t: 'change'; change: EngineChange }
  | { t: 'progress'; syncId: number; progress: SyncProgress }
  | { t: 'syncDone'; syncId: number; outcome: SyncOutcome }
  | { t: 'log'; level: LogLevel; message: string };

/**
 * Names a call may never use: handled specially, or not part of the public surface. The client's
 * type already allows only LensEngine's methods; the worker also refuses these at run time, and any
 * name starting with `_`. Engine's TypeScript-private helpers are listed here (a new private helper
 * should be `#private` or start with `_`, so that it is never callable from the host).
 */
export const NOT_FORWARDED: ReadonlySet<string> = new Set<string>([
  'onDidChange',
  'startSync',
  'close',
  'constructor',
  'then',
  // Engine's private helpers
  'emit',
  'projectRow',
  'projectId',
]);
