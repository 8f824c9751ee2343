// Shared helpers for the engine and CLI tests: real temp folders, writable corpus copies, real
// engines over real database files, direct sql.js access to the database file, and the built CLI.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import initSqlJs, { type Database as SqlDatabase, type SqlJsStatic, type SqlValue } from 'sql.js';
import { Engine, type EngineOptions } from '../../../src/core/engine';
import { newLogId, writeAtomic } from '../../../src/core/store/changeLog';
import { readSnapshot, stampMeta } from '../../../src/core/store/image';
import type { SyncOutcome, Logger } from '../../../src/core/types';

import { SAMPLE } from '../../support/corpora';
export { FIXTURES, FIXTURES_DOCS, LENS, LENS_DOCS, SAMPLE, SAMPLE_DOCS, describeShared, hasShared } from '../../support/corpora';
export const REPO = path.resolve(__dirname, '../../..');
export const CLI = path.join(REPO, 'dist', 'cli.js');
/** The CLI's bundle, which the launcher dist/cli.js loads (src/cli/launch.ts). */
export const CLI_BUNDLE = path.join(REPO, 'dist', 'cli-main.js');

/** Makes every folder 0755 and every file 0644 below `dir` (the corpora are read-only). */
export function makeWritable(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    if (e.isDirectory()) makeWritable(p);
    else fs.chmodSync(p, 0o644);
  }
}

/** Lists every file below `dir` (relative, POSIX). */
export function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, r));
    else out.push(r);
  }
  return out.sort();
}

/** One test's worth of temp folders and engines; `dispose()` closes and removes everything. */
/** ISO-8601 UTC with milliseconds and `Z`, as every stored timestamp is written. */
export const ISO_Z = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** A fresh Sandbox and an open engine for every test of the enclosing `describe`; disposed after each. */
export function sandboxPerTest(): { readonly sb: Sandbox; readonly engine: Engine } {
  const t = {} as { sb: Sandbox; engine: Engine };
  beforeEach(async () => {
    t.sb = new Sandbox();
    t.engine = await t.sb.engine();
  });
  afterEach(() => t.sb.dispose());
  return t;
}

export class Sandbox {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-eng-'));
  readonly dataDir = path.join(this.root, 'data');
  private readonly engines: Engine[] = [];
  readonly logged: { level: string; message: string }[] = [];

  /** A fresh empty folder under the sandbox. */
  dir(name: string): string {
    const d = path.join(this.root, name);
    fs.mkdirSync(d, { recursive: true });
    return d;
  }

  /** Copies a corpus to <root>/<name>/sdlc-studio (writable) and returns that path. */
  corpus(name: string, source: string = SAMPLE): string {
    const dest = path.join(this.root, name, 'sdlc-studio');
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.cpSync(source, dest, { recursive: true });
    makeWritable(dest);
    return dest;
  }

  /** Writes a file (creating folders) below `root`. */
  write(root: string, rel: string, text: string | Uint8Array): string {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return p;
  }

  logger(): Logger {
    return {
      info: (message) => this.logged.push({ level: 'info', message }),
      warn: (message) => this.logged.push({ level: 'warn', message }),
      error: (message) => this.logged.push({ level: 'error', message }),
    };
  }

  async engine(opts: Partial<EngineOptions> = {}): Promise<Engine> {
    const e = await Engine.open({ dataDir: this.dataDir, logger: this.logger(), ...opts });
    this.engines.push(e);
    return e;
  }

  get dbPath(): string {
    return path.join(this.dataDir, 'sdlc-lens.db');
  }

  async dispose(): Promise<void> {
    // a failed test may leave a CLI child running: end it (by its pid) before removing its folders
    await Promise.all([...liveChildren].map((run) => (run.child.kill('SIGKILL'), run.result.catch(() => undefined))));
    for (const e of this.engines.splice(0)) await e.close();
    // chmod back anything a test made unreadable, so the folder can be removed
    spawnSync('chmod', ['-R', 'u+rwX', this.root]);
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** Registers `sdlcPath` as `name` and runs one sync to its end. */
export async function registerAndSync(engine: Engine, name: string, sdlcPath: string): Promise<SyncOutcome> {
  const p = await engine.registerProject({ name, sdlc_path: sdlcPath });
  return syncNow(engine, p.slug);
}

export async function syncNow(engine: Engine, slug: string): Promise<SyncOutcome> {
  const { done } = await engine.startSync(slug);
  return done;
}

/** Awaits a promise expected to reject with a LensError of `code` (and optionally `message`). */
export async function rejectsWith(p: Promise<unknown> | (() => unknown), code: string, message?: string | RegExp): Promise<void> {
  let error: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    error = e;
  }
  if (!error) throw new Error(`expected a ${code} error, nothing was thrown`);
  const e = error as { code?: string; message?: string };
  if (e.code !== code) throw new Error(`expected ${code}, got ${e.code}: ${e.message}`);
  if (typeof message === 'string' && e.message !== message) throw new Error(`expected message "${message}", got "${e.message}"`);
  if (message instanceof RegExp && !message.test(e.message ?? '')) throw new Error(`message "${e.message}" !~ ${message}`);
}

// ── direct database access (no engine) ──────────────────────────────────────────

let sql: Promise<SqlJsStatic> | undefined;
export const SQL = (): Promise<SqlJsStatic> =>
  (sql ??= initSqlJs({ wasmBinary: fs.readFileSync(require.resolve('sql.js/dist/sql-wasm.wasm')) as unknown as ArrayBuffer }));

/**
 * Runs a query on the database as it is stored: the image plus every committed change-log record,
 * read without any engine, and nothing added. The search index is derived data, built in memory and
 * saved with the next fold: a test that reads it from disk folds first (`foldNow`), so what it reads
 * is what the engine wrote, never what this helper computed.
 */
/**
 * Every row of `query` on a database file, read by python3's sqlite3 (read-only): an independent
 * reader of what the store wrote. The image only, without the change log: fold first.
 */
export function pythonRows(dbFile: string, query: string): unknown[][] {
  const script = 'import json,sqlite3,sys\nc=sqlite3.connect("file:"+sys.argv[1]+"?mode=ro",uri=True)\nprint(json.dumps(c.execute(sys.argv[2]).fetchall()))';
  const r = spawnSync('python3', ['-c', script, dbFile, query], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3's sqlite3 could not read ${dbFile}: ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown[][];
}

export async function dbRows(dbFile: string, query: string, params: SqlValue[] = []): Promise<Record<string, SqlValue>[]> {
  const { db } = readSnapshot(await SQL(), dbFile);
  try {
    const stmt = db.prepare(query);
    stmt.bind(params);
    const rows: Record<string, SqlValue>[] = [];
    while (stmt.step()) rows.push(stmt.getAsObject());
    stmt.free();
    return rows;
  } finally {
    db.close();
  }
}

/** Lets the engine finish indexing, then folds its state (the index included) into a new image. */
export async function foldNow(engine: Engine): Promise<void> {
  await engine.whenIndexed();
  await (engine as unknown as { store: { checkpoint(): Promise<void> } }).store.checkpoint();
}

/**
 * Modifies the stored database as an outside writer: image + log → `fn` → a new base image with a
 * new log id (atomically), which every open engine detects and reloads.
 */
export async function dbModify(dbFile: string, fn: (db: SqlDatabase) => void): Promise<void> {
  const { db, logId, seq } = readSnapshot(await SQL(), dbFile);
  try {
    fn(db);
    stampMeta(db, newLogId(logId), seq);
    writeAtomic(dbFile, db.export());
  } finally {
    db.close();
  }
}

// ── the built CLI ────────────────────────────────────────────────────────────

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * A CLI suite's fixtures: the CLI built once before it, a fresh Sandbox for each test (disposed
 * after it). Returns the current test's sandbox.
 */
export function cliSandboxes(): () => Sandbox {
  let sb: Sandbox | undefined;
  before(function () {
    this.timeout(120_000);
    ensureCliBuilt();
  });
  beforeEach(() => (sb = new Sandbox()));
  afterEach(() => sb?.dispose());
  return () => sb!;
}

/** Builds dist/cli.js and dist/cli-main.js (and the wasm beside them) when missing or older than src/. */
export function ensureCliBuilt(): void {
  const built = (f: string): number => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : -Infinity);
  const oldest = Math.min(built(CLI), built(CLI_BUNDLE));
  const fresh =
    fs.existsSync(path.join(REPO, 'dist', 'sql-wasm.wasm')) &&
    oldest >= newestMtime(path.join(REPO, 'src', 'cli')) &&
    oldest >= newestMtime(path.join(REPO, 'src', 'core'));
  if (fresh) return;
  // Only the CLI's bundle and its launcher: `npm run build` also bundles src/extension, which is not ours to break on.
  const build = (entry: string, outfile: string, ...extra: string[]): void => {
    const r = spawnSync(
      'npx',
      ['esbuild', entry, '--bundle', '--platform=node', '--target=node20', '--format=cjs', `--outfile=${outfile}`, '--log-override:require-resolve-not-external=silent', ...extra],
      { cwd: REPO, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`CLI build failed: ${r.stderr}`);
  };
  build('src/cli/main.ts', 'dist/cli-main.js');
  build('src/cli/launch.ts', 'dist/cli.js', '--banner:js=#!/usr/bin/env node');
  fs.copyFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'), path.join(REPO, 'dist', 'sql-wasm.wasm'));
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  child: ReturnType<typeof spawn>;
  result: Promise<CliResult>;
}

const liveChildren = new Set<CliRun>();

/** Spawns `node dist/cli.js …args`. */
export function startCli(args: string[], opts: { uid?: number; gid?: number; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: REPO,
    env: { ...process.env, ...opts.env },
    uid: opts.uid,
    gid: opts.gid,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  const run = { child, result };
  liveChildren.add(run);
  void result.finally(() => liveChildren.delete(run)).catch(() => undefined);
  return run;
}

export function runCli(args: string[], opts: Parameters<typeof startCli>[1] = {}): Promise<CliResult> {
  return startCli(args, opts).result;
}

/** Copies the sample project `times` times into subfolders of one sdlc-studio folder (a long sync). */
export function bigCorpus(sb: Sandbox, name: string, times: number): string {
  const root = sb.dir(path.join(name, 'sdlc-studio'));
  for (let i = 0; i < times; i++) fs.cpSync(SAMPLE, path.join(root, `copy${i}`), { recursive: true });
  makeWritable(root);
  return root;
}
