// Runs one of the skill's scripts (python3, standard library only) and reads its JSON answer: the one
// process runner behind the status writer and the skill's own checks. Never throws for the script's
// own failures: the caller reads `code` as the script documents it (shared/skill/README.md).
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { DEFAULT_PYTHON, type SkillLocation } from './discover';

/** The settings that reach the engine from `sdlcLens.skill.*` (or the CLI's defaults). */
export interface SkillSettings {
  /** `sdlcLens.skill.path`: a folder holding `scripts/transition.py`; null = discover. */
  path: string | null;
  /** `sdlcLens.skill.python`: the interpreter (≥ 3.10). */
  python: string;
  /**
   * False in a Restricted Mode workspace: a skill found inside the repository is workspace content,
   * so it is never run (the setting's and the user's own skill folders still are).
   */
  trustRepository: boolean;
}

export const DEFAULT_SKILL_SETTINGS: SkillSettings = Object.freeze({ path: null, python: DEFAULT_PYTHON, trustRepository: true });

export interface ScriptRun {
  /** Exit code; null when the process was killed (time limit, cancellation) or could not start. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when it is JSON (the last JSON line otherwise), else undefined. */
  json: unknown;
  /** Why there is no exit code: 'timeout' | 'cancelled' | 'spawn' (python3 missing, …). */
  failure?: 'timeout' | 'cancelled' | 'spawn';
  /** The spawn error's message when failure is 'spawn'. */
  error?: string;
  durationMs: number;
}

export interface ScriptOptions {
  /** Kill the script after this long (default 60 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  cwd?: string;
  /** Bytes of stdout kept at most (default 32 MiB); the rest is dropped and json stays undefined. */
  maxOutput?: number;
}

function parseJson(text: string): unknown {
  const t = text.trim();
  if (!t) return undefined;
  try {
    return JSON.parse(t);
  } catch {
    const lines = t.split(/\r?\n/);
    for (let i = lines.length - 1; i >= 0; i--) {
      const l = lines[i].trim();
      if (!l.startsWith('{') && !l.startsWith('[')) continue;
      try {
        return JSON.parse(l);
      } catch {
        /* not this line */
      }
    }
    return undefined;
  }
}

/** `python3 <skill>/scripts/<script> ...args`; resolves when the process has ended (never rejects). */
export function runSkillScript(
  skill: SkillLocation,
  python: string,
  script: string,
  args: string[],
  options: ScriptOptions = {},
): Promise<ScriptRun> {
  const t0 = Date.now();
  const max = options.maxOutput ?? 32 * 1024 * 1024;
  return new Promise((resolve) => {
    let settled = false;
    let failure: ScriptRun['failure'];
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let overflow = false;
    const child = spawn(python || DEFAULT_PYTHON, [path.join(skill.scripts, script), ...args], {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1' },
      windowsHide: true,
    });
    const kill = (why: 'timeout' | 'cancelled') => {
      if (settled || failure) return;
      failure = why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill('timeout'), options.timeoutMs ?? 60_000);
    const onAbort = () => kill('cancelled');
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (code: number | null, spawnError?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      const stdout = Buffer.concat(out).toString('utf8');
      resolve({
        code: failure || spawnError ? null : code,
        stdout,
        stderr: Buffer.concat(err).toString('utf8'),
        json: overflow ? undefined : parseJson(stdout),
        ...(spawnError ? { failure: 'spawn' as const, error: spawnError.message } : failure ? { failure } : {}),
        durationMs: Date.now() - t0,
      });
    };
    child.stdout.on('data', (b: Buffer) => {
      if (outBytes + b.length > max) overflow = true;
      else out.push(b);
      outBytes += b.length;
    });
    child.stderr.on('data', (b: Buffer) => {
      if (errBytes < 64 * 1024) err.push(b);
      errBytes += b.length;
    });
    child.on('error', (e) => finish(null, e));
    child.on('close', (code) => finish(code));
  });
}
