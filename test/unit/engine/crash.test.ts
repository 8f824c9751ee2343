// Crash safety of the change-log storage (issue 8, issue 11): a child process syncing a project is
// SIGKILLed at random instants in every phase (walk, read, apply, log append, fold) at least 50
// times. After each kill the database opens, no project is left `syncing`, and the stored documents
// are exactly the folder state of the last completed sync or of the killed one (never a mix).
// Also: two processes appending concurrently lose nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSyncRelevantPath } from '../../../src/core/sync/rules';
import { dbRows, LENS, listFiles, REPO, Sandbox } from './helpers';

const CHILD = path.join(__dirname, 'crash-child.ts');
const PHASES = ['walk', 'read', 'apply', 'append', 'appended', 'applied', 'fold', 'fold-image', 'fold-done'];

/** A small deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The documents a complete sync of `root` stores: relative path → sha256. */
function folderState(root: string): Record<string, string> {
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

interface ChildRun {
  killedAt: string | null;
  phases: string[];
  done: boolean;
}

/** Runs the child; SIGKILLs it when it prints the marker of `killAt`. */
function runChild(args: string[], killAt: string | null, env: NodeJS.ProcessEnv = {}): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', CHILD, ...args], {
      cwd: REPO,
      env: { ...process.env, SDLC_LENS_PHASE_MARKERS: '1', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const run: ChildRun = { killedAt: null, phases: [], done: false };
    let buf = '';
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.startsWith('@phase ')) {
          const p = line.slice(7);
          run.phases.push(p);
          if (p === killAt && run.killedAt === null) {
            run.killedAt = p;
            child.kill('SIGKILL');
          }
        } else if (line.startsWith('@done')) run.done = true;
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve(run);
    });
  });
}

describe('crash safety: SIGKILL at random instants', function () {
  this.timeout(600_000);
  let sb: Sandbox;
  beforeEach(() => {
    sb = new Sandbox();
  });
  afterEach(() => sb.dispose());

  it('≥ 50 kills across walk, read, apply, log append and fold: opens, nothing syncing, nothing half-applied', async () => {
    const root = sb.corpus('crash', LENS);
    const random = rng(8);
    const files = () => listFiles(root).filter((f) => f.endsWith('.md') && !f.endsWith('_index.md'));
    let committed: Record<string, string> = {}; // the folder state of the last completed sync
    const killedIn = new Map<string, number>();
    let kills = 0;
    for (let round = 0; kills < 50 && round < 200; round++) {
      // change the folder: edit two files, add one, delete one
      const list = files();
      for (let k = 0; k < 2; k++) fs.appendFileSync(path.join(root, list[Math.floor(random() * list.length)]), `\nedit ${round}.${k}\n`);
      sb.write(root, `stories/US9${String(round).padStart(3, '0')}-added.md`, `# US9${round}: Added in round ${round}\n\n> **Status:** Draft\n`);
      fs.rmSync(path.join(root, list[Math.floor(random() * list.length)]));
      const target = folderState(root);
      const killAt = round % 5 === 4 ? null : PHASES[Math.floor(random() * PHASES.length)]; // some runs complete
      const run = await runChild([sb.dataDir, root], killAt, { SDLC_LENS_FOLD_BYTES: String(64 * 1024) });
      if (run.killedAt) {
        kills++;
        killedIn.set(run.killedAt, (killedIn.get(run.killedAt) ?? 0) + 1);
      }
      const stored = await storedState(sb.dbPath);
      const reachedCommit = run.done || run.phases.includes('applied');
      if (reachedCommit) assert.deepEqual(stored, target, `round ${round}: a committed sync is all there`);
      else if (JSON.stringify(stored) !== JSON.stringify(committed)) {
        // killed after its record was synced but before it said so: then it is the whole new state
        assert.deepEqual(stored, target, `round ${round} (killed in ${run.killedAt}): neither the old state nor the new one`);
      }
      committed = stored;
      // the next start-up: opens, and nothing is left syncing
      const e = await sb.engine();
      for (const p of e.listProjects()) assert.notEqual(p.sync_status, 'syncing', `round ${round}`);
      await e.close();
    }
    assert.ok(kills >= 50, `only ${kills} kills`);
    for (const p of ['walk', 'apply', 'append', 'fold']) assert.ok((killedIn.get(p) ?? 0) > 0, `never killed in ${p}: ${[...killedIn]}`);
    // and a final run completes cleanly on whatever the kills left
    const last = await runChild([sb.dataDir, root], null);
    assert.equal(last.done, true);
    assert.deepEqual(await storedState(sb.dbPath), folderState(root));
  });

  it('two processes appending concurrently lose nothing', async () => {
    const a = sb.corpus('a');
    const b = sb.corpus('b');
    // each child registers its folder and syncs it; run several rounds of both at once
    for (let round = 0; round < 5; round++) {
      sb.write(a, `stories/US8${round}00-a.md`, `# US8${round}00: A ${round}\n`);
      sb.write(b, `stories/US8${round}00-b.md`, `# US8${round}00: B ${round}\n`);
      const [ra, rb] = await Promise.all([runChild([sb.dataDir, a, 'A'], null), runChild([sb.dataDir, b, 'B'], null)]);
      assert.ok(ra.done && rb.done);
    }
    const rows = await dbRows(sb.dbPath, 'SELECT p.sdlc_path AS root, d.file_path, d.file_hash FROM documents d JOIN projects p ON p.id = d.project_id');
    for (const root of [a, b]) {
      const stored = Object.fromEntries(rows.filter((r) => r.root === fs.realpathSync(root)).map((r) => [String(r.file_path), String(r.file_hash)]));
      assert.deepEqual(stored, folderState(root));
    }
  });
});
