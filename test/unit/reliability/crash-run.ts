// The crash-safety loop of issue 11, shared by the default test (test/unit/engine/crash.test.ts) and
// the long variant (test/stress/crash.test.ts): the real built CLI (`node dist/cli.js sync …`) is
// SIGKILLed at random instants during walk, read, apply, log append and fold, `kills` times. After
// each kill: the database opens, no project is `syncing` (a killed claim carries the interruption
// message), the stored documents are the last completed sync's or the killed run's whole new state
// (never a mix, nothing of the last completed sync lost), and the next sync succeeds.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { INTERRUPTED_MESSAGE } from '../../../src/core/sync/messages';
import { isSyncRelevantPath } from '../../../src/core/sync/rules';
import { CLI, dbRows, listFiles, REPO, type Sandbox } from '../engine/helpers';
import { makeRng } from './rng';

export const CRASH_PHASES = ['walk', 'read', 'apply', 'append', 'appended', 'applied', 'fold', 'fold-image', 'fold-done'];

/** The documents a complete sync of `root` stores: relative path → sha256. */
export function folderState(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of listFiles(root)) {
    if (isSyncRelevantPath(f) && !f.startsWith('.')) out[f] = createHash('sha256').update(fs.readFileSync(path.join(root, f))).digest('hex');
  }
  return out;
}

async function storedState(dbPath: string): Promise<Record<string, string>> {
  if (!fs.existsSync(dbPath)) return {};
  const rows = await dbRows(dbPath, 'SELECT file_path, file_hash FROM documents');
  return Object.fromEntries(rows.map((r) => [String(r.file_path), String(r.file_hash)]));
}

interface CliRun {
  killedAt: string | null;
  phases: string[];
  code: number | null;
  stdout: string;
}

/**
 * `node dist/cli.js sync <root> --json --data-dir <dataDir>` with phase markers on; SIGKILLed at the
 * `occurrence`-th marker `killAt`, after `delayMs` (0: at once, before the child takes another step
 * the parent can see).
 */
function runCli(dataDir: string, root: string, killAt: string | null, occurrence = 1, delayMs = 0): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'sync', root, '--json', '--name', 'Crash', '--data-dir', dataDir], {
      cwd: REPO,
      env: { ...process.env, SDLC_LENS_PHASE_MARKERS: '1', SDLC_LENS_FOLD_BYTES: String(1024) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: CliRun = { killedAt: null, phases: [], code: null, stdout: '' };
    let seen = 0;
    let buf = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (run.stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (!line.startsWith('@phase ')) continue;
        const p = line.slice(7);
        run.phases.push(p);
        if (p === killAt && ++seen === occurrence && run.killedAt === null) {
          run.killedAt = p;
          if (delayMs === 0) child.kill('SIGKILL');
          else setTimeout(() => child.kill('SIGKILL'), delayMs);
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      run.code = code;
      if (signal !== 'SIGKILL') run.killedAt = null; // it finished before the kill landed
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`CLI sync failed (${code}): ${stderr}`));
      else resolve(run);
    });
  });
}

export interface CrashFigures {
  kills: number;
  rounds: number;
  killedIn: Record<string, number>;
  interruptedRows: number;
}

/** Runs rounds until `kills` kills have landed; asserts the invariants after each round. */
export async function crashLoop(sb: Sandbox, root: string, kills: number, seed: number): Promise<CrashFigures> {
  const rng = makeRng(seed);
  const random = (): number => rng.next();
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
  const docs = () => listFiles(root).filter((f) => f.endsWith('.md') && !f.endsWith('_index.md'));
  let committed: Record<string, string> = {}; // what the last completed sync stored
  const killedIn: Record<string, number> = {};
  let landed = 0;
  let interruptedRows = 0;
  let round = 0;
  for (; landed < kills && round < kills * 4 + 20; round++) {
    // change the folder: edit two files, add one, delete one
    const list = docs();
    for (let k = 0; k < 2; k++) fs.appendFileSync(path.join(root, pick(list)), `\nedit ${round}.${k}\n`);
    sb.write(root, `stories/US9${String(round).padStart(4, '0')}-added.md`, `# US9${round}: Added in round ${round}\n\n> **Status:** Draft\n`);
    fs.rmSync(path.join(root, pick(list)));
    const target = folderState(root);
    const complete = round % 6 === 5; // some runs complete: the next sync succeeds after any kill
    const killAt = complete ? null : pick(CRASH_PHASES);
    const delay = random() < 0.5 ? 0 : Math.floor(random() * 4);
    const run = await runCli(sb.dataDir, root, killAt, 1 + Math.floor(random() * 2), delay);
    if (run.killedAt) {
      landed++;
      killedIn[run.killedAt] = (killedIn[run.killedAt] ?? 0) + 1;
    } else {
      assert.equal(run.code, 0, `round ${round}: a run that was not killed syncs`);
      assert.equal(JSON.parse(run.stdout).sync_status, 'synced');
    }
    const stored = await storedState(sb.dbPath);
    if (!run.killedAt) assert.deepEqual(stored, target, `round ${round}: a completed sync is all there`);
    else if (JSON.stringify(stored) !== JSON.stringify(committed)) {
      assert.deepEqual(stored, target, `round ${round} (killed in ${run.killedAt}): neither the last completed state nor the new one`);
    }
    committed = stored;
    // the next start-up: opens, nothing is left syncing, a killed claim says it was interrupted
    if (fs.existsSync(sb.dbPath)) {
      const before = await dbRows(sb.dbPath, 'SELECT sync_status FROM projects');
      const e = await sb.engine();
      for (const p of e.listProjects()) {
        assert.notEqual(p.sync_status, 'syncing', `round ${round}`);
        if (before.find((r) => r.sync_status === 'syncing')) {
          assert.deepEqual([p.sync_status, p.sync_error], ['error', INTERRUPTED_MESSAGE], `round ${round}`);
          interruptedRows++;
        }
        assert.equal(p.document_count, Object.keys(stored).length);
      }
      await e.close();
      const after = await dbRows(sb.dbPath, 'SELECT sync_status FROM projects');
      assert.ok(after.every((r) => r.sync_status !== 'syncing'), `round ${round}: the reset is stored`);
    }
  }
  // and a final run completes cleanly on whatever the kills left
  const last = await runCli(sb.dataDir, root, null);
  assert.equal(last.code, 0);
  assert.deepEqual(await storedState(sb.dbPath), folderState(root));
  return { kills: landed, rounds: round, killedIn, interruptedRows };
}
