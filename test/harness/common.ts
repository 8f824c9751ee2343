// Paths, logging, child processes and waiting: the small toolbox every harness entry point shares.
import { execFileSync, spawn, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LENS, SAMPLE, SKILL, hasShared } from '../support/corpora';

export const ROOT = path.resolve(__dirname, '..', '..');
export const VSCODE_TEST = path.join(ROOT, '.vscode-test');
export const TMP = path.join(ROOT, '.tmp');
export const RESULTS = path.join(ROOT, 'test-results');
export const EXTENSION_ID = 'sdlc-lens.sdlc-lens';

const started = Date.now();

export function log(msg: string): void {
  const s = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[harness ${s}s] ${msg}\n`);
}

export class HarnessError extends Error {}

/** Runs a command to completion with inherited output; throws with the command line on a non-zero exit. */
export function run(cmd: string, args: string[], opts: SpawnOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new HarnessError(`\`${cmd} ${args.join(' ')}\` failed (${signal ?? `exit ${code}`})`));
    });
  });
}

/** Runs a command and returns its stdout; output is kept quiet unless it fails. */
export function capture(cmd: string, args: string[], opts: SpawnOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(out);
      else
        reject(
          new HarnessError(`\`${cmd} ${args.join(' ')}\` failed (${signal ?? `exit ${code}`})\n${out}\n${err}`.trim()),
        );
    });
  });
}

export function which(bin: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Polls `check` until it returns a truthy value; throws `what` after `timeoutMs`.
 * Used only for conditions that have no event to listen to (files appearing on disk).
 */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new HarnessError(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Rejects with a clear message when `p` does not settle within `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HarnessError(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

/**
 * The corpus paths the extension-host specs read (test/integration/support/lens.ts): the sample project
 * always, the real lens corpus and the sdlc-studio skill copy only when the shared material exists beside the checkout.
 */
export function corpusEnv(): Record<string, string> {
  const env: Record<string, string> = { SDLC_LENS_TEST_SAMPLE: SAMPLE };
  if (hasShared()) env.SDLC_LENS_TEST_CORPUS = LENS;
  if (hasShared() && fs.existsSync(SKILL)) env.SDLC_LENS_TEST_SKILL = SKILL; // the sdlc-studio skill copy

  return env;
}

export function copyDir(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.cpSync(from, to, { recursive: true });
}

/** A fresh run directory `.vscode-test/runs/<kind>-<time>`; older runs of the same kind are removed. */
/** True when the run folder belongs to a harness process that is still running. */
function runInProgress(dir: string): boolean {
  try {
    const pid = Number(fs.readFileSync(path.join(dir, 'harness.pid'), 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A new run folder under .vscode-test/runs/. Earlier runs of the same kind are removed, except those
 * whose harness is still running (two runs at once on one checkout do not delete each other).
 */
export function freshRunDir(kind: string): string {
  const runs = path.join(VSCODE_TEST, 'runs');
  fs.mkdirSync(runs, { recursive: true });
  for (const old of fs.readdirSync(runs)) {
    const dir = path.join(runs, old);
    if (old.startsWith(`${kind}-`) && !runInProgress(dir)) fs.rmSync(dir, { recursive: true, force: true });
  }
  const dir = path.join(runs, `${kind}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'harness.pid'), String(process.pid));
  return dir;
}

type Cleanup = () => void | Promise<void>;
const cleanups: Cleanup[] = [];
const syncCleanups = new Set<() => void>();

/** Registers async cleanup run by `runMain` at the end (success, failure or signal), last first. */
export function onCleanup(fn: Cleanup): void {
  cleanups.push(fn);
}

/** Registers a synchronous last-resort cleanup run from process 'exit' (e.g. killing a process group). */
export function onExitSync(fn: () => void): () => void {
  syncCleanups.add(fn);
  return () => syncCleanups.delete(fn);
}

process.on('exit', () => {
  for (const fn of syncCleanups) {
    try {
      fn();
    } catch {
      /* best effort */
    }
  }
});

async function runCleanups(): Promise<void> {
  while (cleanups.length) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch (e) {
      log(`cleanup failed: ${String(e)}`);
    }
  }
}

let stopping = false;
/** True once Ctrl-C / SIGTERM was received and the cleanups are running. */
export const isStopping = (): boolean => stopping;

/** Env var naming the file a version's run appends its failing tests to (one line each), for the matrix summary. */
export const FAILURES_FILE_ENV = 'SDLC_LENS_FAILURES_FILE';

/** Records a failing test (title and first line of its error) for the matrix summary; nothing outside a matrix. */
export function recordFailure(title: string, message: string | undefined): void {
  const file = process.env[FAILURES_FILE_ENV];
  if (!file) return;
  const first = (message ?? '').split('\n')[0].slice(0, 300);
  fs.appendFileSync(file, `✗ ${title}${first ? ` — ${first}` : ''}\n`);
}

/** Runs an entry point: exit code from its result, cleanups always, Ctrl-C / SIGTERM handled. */
export function runMain(main: () => Promise<number>): void {
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${sig} received, stopping`);
    void runCleanups().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  main()
    .then(
      (code) => code,
      (err) => {
        if (stopping) return new Promise<number>(() => undefined); // the signal handler exits
        process.stderr.write(`\n${err instanceof HarnessError ? err.message : (err?.stack ?? String(err))}\n`);
        recordFailure('(the harness)', err instanceof Error ? err.message : String(err));
        return 1;
      },
    )
    .then(async (code) => {
      await runCleanups();
      process.exit(code);
    });
}
