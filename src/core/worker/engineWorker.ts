// Entry of the engine's worker thread (bundled as dist/engineWorker.js): opens one Engine, serves
// calls by method name, runs syncs and the optional API server, and posts events to the host.
// All sql.js work, file I/O and indexing happen here, never on the extension host's thread.
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { startApiServer, type ApiServer } from '../api/server';
import { Engine } from '../engine';
import type { SearchPage, SearchQuery } from '../engine-api';
import { logFileOf } from '../store/image';
import { LensError, messageOf } from '../errors';
import type { Logger, SyncProgress } from '../types';
import { hasFileAccess, wasmBytes } from '../store/sqljs';
import { hasPagedFiles } from '../store/sqljsPaged';
import { NOT_FORWARDED, type ApiServerInfo, type ApiServerRequest, type EngineInfo, type FromWorker, type ToWorker, type WireError, type WorkerExtras, type WorkerInit } from './protocol';

if (!parentPort) throw new Error('engineWorker must run in a worker thread');
const port = parentPort;

const post = (m: FromWorker) => port.postMessage(m);

const logger: Logger = {
  info: (message) => post({ t: 'log', level: 'info', message }),
  warn: (message) => post({ t: 'log', level: 'warn', message }),
  error: (message) => post({ t: 'log', level: 'error', message }),
};

/** A LensError keeps its code and message; anything else is INTERNAL, its details to the log only. */
export function toWire(e: unknown): WireError {
  if (e instanceof LensError) return { code: e.code, message: e.message };
  logger.error(`engine: ${e instanceof Error && e.stack ? e.stack : messageOf(e)}`);
  return { code: 'INTERNAL', message: messageOf(e) };
}

/** A method of the engine's public surface: declared on its class (not Object's), not special, not `_private`. */
function engineMethod(engine: Engine, name: string): ((...a: unknown[]) => unknown) | undefined {
  if (NOT_FORWARDED.has(name) || name.startsWith('_')) return undefined;
  for (let o = Object.getPrototypeOf(engine); o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    const d = Object.getOwnPropertyDescriptor(o, name);
    if (d) return typeof d.value === 'function' ? (d.value as (...a: unknown[]) => unknown) : undefined;
  }
  return undefined;
}

/** Passes on only progress that changes what a user sees: a new phase or a new whole percent. */
function throttledProgress(syncId: number): (p: SyncProgress) => void {
  let phase = '';
  let pct = -1;
  return (p) => {
    const now = p.total > 0 ? Math.floor((p.seen * 100) / p.total) : -1;
    if (p.phase === phase && now === pct) return;
    phase = p.phase;
    pct = now;
    post({ t: 'progress', syncId, progress: p });
  };
}

async function main(): Promise<void> {
  const init = workerData as WorkerInit;
  let engine: Engine;
  try {
    engine = await Engine.open({ dataDir: init.dataDir, wasmPath: init.wasmPath, logger, writer: { skill: init.skill } });
  } catch (e) {
    post({ t: 'failed', error: toWire(e) });
    return;
  }
  let server: ApiServer | undefined;
  const syncs = new Map<number, AbortController>();
  engine.onDidChange((change) => post({ t: 'change', change }));

  const extras: WorkerExtras = {
    info: (): EngineInfo => ({
      version: engine.version,
      dbPath: engine.dbPath,
      dataFiles: [engine.dbPath, logFileOf(engine.dbPath)],
      warnings: [...engine.warnings],
      fileAccess: hasFileAccess(),
      pagedFiles: hasPagedFiles(),
      memory: memoryNow(),
    }),
    search: (query: SearchQuery): Promise<SearchPage> => engine.searchSettled(query),
    async startApiServer(req: ApiServerRequest): Promise<ApiServerInfo> {
      if (server) throw new LensError('CONFLICT', `The API server is already running at ${server.url}`);
      const s = await startApiServer({ engine, port: req.port, token: req.token, logger, version: req.version });
      server = s;
      return { port: s.port, url: s.url };
    },
    async stopApiServer(): Promise<void> {
      const s = server;
      server = undefined;
      await s?.close();
    },
  };

  const answer = (id: number, run: () => unknown) => {
    Promise.resolve()
      .then(run)
      .then(
        (value) => post({ t: 'result', id, value }),
        (e) => post({ t: 'error', id, error: toWire(e) }),
      );
  };

  const startSync = async (syncId: number, slug: string, options: Extract<ToWorker, { t: 'startSync' }>['options'] = {}) => {
    const controller = new AbortController();
    syncs.set(syncId, controller);
    try {
      const started = await engine.startSync(slug, { ...options, signal: controller.signal, onProgress: throttledProgress(syncId) });
      void started.done.then((outcome) => {
        syncs.delete(syncId);
        post({ t: 'syncDone', syncId, outcome });
      });
      return started.project;
    } catch (e) {
      syncs.delete(syncId);
      throw e;
    }
  };

  port.on('message', (m: ToWorker) => {
    switch (m.t) {
      case 'call': {
        const extra = (extras as unknown as Record<string, (...a: unknown[]) => unknown>)[m.method];
        if (Object.prototype.hasOwnProperty.call(extras, m.method)) return answer(m.id, () => extra(...m.args));
        const fn = engineMethod(engine, m.method);
        if (!fn) return answer(m.id, () => Promise.reject(new LensError('INTERNAL', `Unknown engine method: ${m.method}`)));
        return answer(m.id, () => fn.apply(engine, m.args));
      }
      case 'startSync':
        return answer(m.id, () => startSync(m.syncId, m.slug, m.options));
      case 'cancelSync':
        syncs.get(m.syncId)?.abort();
        return;
      case 'close':
        return answer(m.id, async () => {
          await extras.stopApiServer().catch((e) => logger.warn(`API server did not close cleanly: ${messageOf(e)}`));
          await engine.close(); // cancels running syncs (recorded as `error`) and persists
        });
    }
  });
  post({ t: 'ready', info: extras.info() });
}

void main();

const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

function memoryNow(): EngineInfo['memory'] {
  const m = process.memoryUsage();
  const wasm = wasmBytes();
  return {
    rssMb: mb(m.rss),
    heapUsedMb: mb(m.heapUsed),
    heapTotalMb: mb(m.heapTotal),
    heapLimitMb: mb(getHeapStatistics().heap_size_limit),
    externalMb: mb(m.external),
    wasmMb: wasm === null ? null : mb(wasm),
  };
}
