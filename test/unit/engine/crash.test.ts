// Crash safety of the change-log storage (issue 8, issue 11): the real CLI syncing a project is
// SIGKILLed at random instants in every phase (walk, read, apply, log append, fold) at least 100
// times (LENS_CRASH_KILLS; the loop is test/unit/reliability/crash-run.ts, the long variant
// test/stress/crash.test.ts). After each kill the database opens, no project is left `syncing`, and
// the stored documents are exactly the folder state of the last completed sync or of the killed one
// (never a mix). Also: two processes appending concurrently lose nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { crashLoop, folderState } from '../reliability/crash-run';
import { dbRows, ensureCliBuilt, REPO, Sandbox } from './helpers';

const CHILD = path.join(__dirname, 'crash-child.ts');

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

/** Kills per default run; test/stress/crash.test.ts runs more. */
const KILLS = Number(process.env.LENS_CRASH_KILLS ?? 100);

describe('crash safety: SIGKILL at random instants', function () {
  this.timeout(600_000);
  let sb: Sandbox;
  before(function () {
    this.timeout(120_000);
    ensureCliBuilt();
  });
  beforeEach(() => {
    sb = new Sandbox();
  });
  afterEach(() => sb.dispose());

  it(`≥ ${KILLS} SIGKILLs of a CLI sync across walk, read, apply, log append and fold: opens, nothing syncing, nothing lost or half-applied`, async () => {
    const root = sb.corpus('crash');
    const f = await crashLoop(sb, root, KILLS, 8);
    assert.ok(f.kills >= KILLS, `only ${f.kills} kills`);
    for (const p of ['walk', 'apply', 'append', 'fold']) assert.ok((f.killedIn[p] ?? 0) > 0, `never killed in ${p}: ${JSON.stringify(f.killedIn)}`);
    assert.ok(f.interruptedRows > 0, 'some kills left a claim that start-up reset');
    if (process.env.LENS_CRASH_VERBOSE) console.log('      ', JSON.stringify(f));
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
