// A real engine over a temp data folder, a real API server on 127.0.0.1:0, and corpus helpers.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LensEngine } from '../../../src/core/engine-api';
import { startApiServer, type ApiServer } from '../../../src/core/api/server';
import type { Logger, SyncOutcome } from '../../../src/core/types';
import { clientFor, type Client } from './http-client';
import { Engine } from '../../../src/core/engine';

import { SAMPLE } from '../../support/corpora';
export { FIXTURES, SAMPLE, SAMPLE_DOCS, describeShared } from '../../support/corpora';

/** The token a harness server is started with unless a test says otherwise (api.md §1.2: mutations need one). */
export const HARNESS_TOKEN = 'harness-token-for-tests';
/** The header that carries it, for raw `call`s. */
export const HARNESS_AUTH = { authorization: `Bearer ${HARNESS_TOKEN}` };

export interface HarnessOptions {
  /** Default HARNESS_TOKEN; null: a server without a token (reads only). */
  token?: string | null;
  /** Wraps the engine given to the server (fault injection). */
  wrap?: (engine: LensEngine) => LensEngine;
  version?: string;
}

export interface Harness {
  root: string;
  dataDir: string;
  engine: LensEngine;
  server: ApiServer;
  port: number;
  api: Client;
  logged: { level: string; message: string }[];
  /** Copies a corpus (default: the repository's sample project) to <root>/<name>/sdlc-studio and returns that path. */
  corpus(name: string, source?: string): string;
  /** Creates <root>/<name>/sdlc-studio holding `count` generated story files. */
  bigCorpus(name: string, count: number): string;
  /** Registers a project through the API and returns its slug. */
  register(name: string, sdlcPath: string): Promise<string>;
  /** Resolves when the last sync started for `slug` has ended and been persisted. */
  syncDone(slug: string): Promise<SyncOutcome>;
  close(): Promise<void>;
}

async function openEngine(dataDir: string): Promise<LensEngine> {
  fs.mkdirSync(dataDir, { recursive: true });
  return Engine.open({ dataDir });
}

/** Proxies the engine, remembering each run's `done` promise so tests can await the end of a run. */
function recordRuns(engine: LensEngine, runs: Map<string, Promise<SyncOutcome>>): LensEngine {
  return new Proxy(engine, {
    get(target, key) {
      if (key === 'startSync') {
        return async (...args: Parameters<LensEngine['startSync']>) => {
          const started = await target.startSync(...args);
          runs.set(args[0], started.done);
          return started;
        };
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export async function openHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-api-'));
  const dataDir = path.join(root, 'data');
  const engine = await openEngine(dataDir);
  const runs = new Map<string, Promise<SyncOutcome>>();
  const logged: Harness['logged'] = [];
  const logger: Logger = {
    info: (message) => logged.push({ level: 'info', message }),
    warn: (message) => logged.push({ level: 'warn', message }),
    error: (message) => logged.push({ level: 'error', message }),
  };
  const served = recordRuns(opts.wrap ? opts.wrap(engine) : engine, runs);
  const token = opts.token === undefined ? HARNESS_TOKEN : opts.token;
  const server = await startApiServer({ engine: served, port: 0, token, logger, version: opts.version });
  const api = clientFor(server.port, token ? { authorization: `Bearer ${token}` } : {});
  return {
    root,
    dataDir,
    engine,
    server,
    port: server.port,
    api,
    logged,
    corpus(name, source = SAMPLE) {
      const dest = path.join(root, name, 'sdlc-studio');
      fs.cpSync(source, dest, { recursive: true });
      return dest;
    },
    bigCorpus(name, count) {
      const dest = path.join(root, name, 'sdlc-studio');
      fs.mkdirSync(path.join(dest, 'stories'), { recursive: true });
      const filler = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n'.repeat(40);
      for (let i = 1; i <= count; i++) {
        const id = `US${String(i).padStart(4, '0')}`;
        fs.writeFileSync(
          path.join(dest, 'stories', `${id}-generated-story-${i}.md`),
          `# ${id}: Generated story ${i}\n\n> **Status:** Draft\n> **Owner:** Test\n\n## Body\n\n${filler}`,
        );
      }
      return dest;
    },
    async register(name, sdlcPath) {
      const r = await api.post('/projects', { name, sdlc_path: sdlcPath });
      if (r.status !== 201) throw new Error(`register ${name}: ${r.status} ${r.text}`);
      return r.json.slug as string;
    },
    async syncDone(slug) {
      const done = runs.get(slug);
      if (!done) throw new Error(`no sync was started for ${slug}`);
      return done;
    },
    async close() {
      await server.close();
      await engine.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Every error response carries the envelope with the given code and a JSON content type. */
export function expectEnvelope(reply: { status: number; headers: Record<string, unknown>; json: unknown }, status: number, code: string): string {
  const where = `HTTP ${reply.status} ${JSON.stringify(reply.json)}`;
  if (reply.status !== status) throw new Error(`expected ${status} ${code}, got ${where}`);
  if (reply.headers['content-type'] !== 'application/json; charset=utf-8') throw new Error(`bad content-type: ${String(reply.headers['content-type'])}`);
  const body = reply.json as { error?: { code?: unknown; message?: unknown } };
  if (!body?.error || body.error.code !== code || typeof body.error.message !== 'string' || Object.keys(body).length !== 1 || Object.keys(body.error).length !== 2) {
    throw new Error(`expected envelope ${code}, got ${where}`);
  }
  return body.error.message;
}
