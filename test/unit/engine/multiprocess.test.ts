// Several writers on one data folder: two engines in one process, two CLI processes, a CLI process
// killed mid-run (sync.md §11 "app killed mid-run, restarted"), stale vs live `syncing` owners.
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { INTERRUPTED_MESSAGE } from '../../../src/core/sync/messages';
import {
  bigCorpus, dbModify, dbRows, ensureCliBuilt, registerAndSync, rejectsWith, runCli, SAMPLE_DOCS, Sandbox,
  startCli, syncNow,
} from './helpers';

/** A pid that is certainly not running: a child that has already exited. */
async function deadPid(): Promise<number> {
  const run = startCli(['--version']);
  await run.result;
  return run.child.pid!;
}

/** Polls `check` (each poll awaits the event loop), failing after `ms`. */
async function pollUntil(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('multi-process and multi-engine access to one data folder', () => {
  let sb: Sandbox;
  before(function () {
    this.timeout(120_000);
    ensureCliBuilt();
  });
  beforeEach(() => {
    sb = new Sandbox();
  });
  afterEach(() => sb.dispose());

  it('two engines in one process syncing different projects concurrently: no lost update', async () => {
    const a = await sb.engine();
    const b = await sb.engine();
    const [oa, ob] = await Promise.all([
      registerAndSync(a, 'Alpha', bigCorpus(sb, 'alpha', 5)),
      registerAndSync(b, 'Beta', sb.corpus('beta')),
    ]);
    assert.deepEqual([oa.sync_status, oa.added, ob.sync_status, ob.added], ['synced', 5 * SAMPLE_DOCS, 'synced', SAMPLE_DOCS]);
    for (const e of [a, b]) {
      await e.catchUp();
      assert.deepEqual(e.listProjects().map((p) => [p.slug, p.document_count, p.sync_status]).sort(), [
        ['alpha', 5 * SAMPLE_DOCS, 'synced'],
        ['beta', SAMPLE_DOCS, 'synced'],
      ]);
    }
    const [{ n }] = await dbRows(sb.dbPath, 'SELECT count(*) AS n FROM documents');
    assert.equal(n, 6 * SAMPLE_DOCS);
  });

  it('engine B sees the project A registered after B.catchUp(), and emits "reloaded"', async () => {
    const a = await sb.engine();
    const b = await sb.engine();
    const changes: string[] = [];
    b.onDidChange((c) => changes.push(c.kind));
    await a.registerProject({ name: 'Seen By B', sdlc_path: sb.corpus('seen') });
    assert.deepEqual(b.listProjects(), [], 'B reads its last loaded image until it refreshes');
    assert.equal(await b.catchUp(), true);
    assert.deepEqual(b.listProjects().map((p) => p.slug), ['seen-by-b']);
    assert.deepEqual(changes, ['reloaded']);
    assert.equal(await b.catchUp(), false, 'nothing new: no reload');
  });

  it('a syncing project owned by a live other engine is not stolen (SYNC_IN_PROGRESS)', async () => {
    const a = await sb.engine();
    const b = await sb.engine();
    const { slug } = await a.registerProject({ name: 'Owned', sdlc_path: sb.corpus('owned') });
    let attempt: Promise<unknown> | undefined;
    const { done } = await a.startSync(slug, {
      onProgress: (p) => {
        if (p.phase === 'collecting' && p.seen === 5 && !attempt) {
          attempt = b.startSync(slug);
          attempt.catch(() => undefined); // inspected below, after A's run
        }
      },
    });
    const o = await done;
    assert.ok(attempt, 'B tried while A was collecting');
    await rejectsWith(attempt, 'SYNC_IN_PROGRESS', 'Sync already running for this project');
    assert.equal(o.sync_status, 'synced');
    assert.equal(o.added, SAMPLE_DOCS);
    // once A is done, B may sync
    await b.catchUp();
    assert.equal((await syncNow(b, slug)).skipped, SAMPLE_DOCS);
  });

  it('a syncing project owned by a dead pid is reset at start-up, and a stale claim is taken over on trigger', async () => {
    const e = await sb.engine();
    await registerAndSync(e, 'Stale', sb.corpus('stale'));
    await e.close();
    const dead = `${os.hostname()}|${await deadPid()}|gone`;
    await dbModify(sb.dbPath, (db) => db.run("UPDATE projects SET sync_status = 'syncing', sync_owner = ?", [dead]));
    const e2 = await sb.engine();
    const p = e2.getProject('stale');
    assert.deepEqual([p.sync_status, p.sync_error, p.document_count], ['error', INTERRUPTED_MESSAGE, SAMPLE_DOCS]);
    assert.ok(sb.logged.some((l) => l.level === 'warn' && /interrupted/.test(l.message)), 'the reset is logged');
    // the same situation created while an engine is already open: the trigger resets and proceeds
    await dbModify(sb.dbPath, (db) => db.run("UPDATE projects SET sync_status = 'syncing', sync_owner = ?", [dead]));
    const o = await syncNow(e2, 'stale');
    assert.equal(o.sync_status, 'synced');
    assert.equal(o.skipped, SAMPLE_DOCS);
  });

  it('resetStaleSyncs(): an open engine resets a claim whose process died, and leaves a live one alone', async () => {
    const e = await sb.engine();
    await registerAndSync(e, 'Gone', sb.corpus('gone'));
    await registerAndSync(e, 'Live', sb.corpus('live'));
    assert.deepEqual(await e.resetStaleSyncs(), []);
    // another process's claims appear on disk while this engine is open: one dead, one alive (our parent)
    const dead = `${os.hostname()}|${await deadPid()}|gone`;
    const live = `${os.hostname()}|${process.ppid}|elsewhere`;
    await dbModify(sb.dbPath, (db) => {
      db.run("UPDATE projects SET sync_status = 'syncing', sync_owner = ? WHERE slug = 'gone'", [dead]);
      db.run("UPDATE projects SET sync_status = 'syncing', sync_owner = ? WHERE slug = 'live'", [live]);
    });
    assert.deepEqual(await e.resetStaleSyncs(), ['gone']);
    const gone = e.getProject('gone');
    assert.deepEqual([gone.sync_status, gone.sync_error, gone.document_count], ['error', INTERRUPTED_MESSAGE, SAMPLE_DOCS]);
    assert.equal(e.getProject('live').sync_status, 'syncing');
    await rejectsWith(e.startSync('live'), 'SYNC_IN_PROGRESS');
    assert.deepEqual(await e.resetStaleSyncs(), []);
    const [row] = await dbRows(sb.dbPath, "SELECT sync_status, sync_error FROM projects WHERE slug = 'gone'");
    assert.deepEqual(row, { sync_status: 'error', sync_error: INTERRUPTED_MESSAGE });
  });

  it('two CLI processes syncing different folders into one --data-dir: both projects, all documents', async function () {
    this.timeout(60_000);
    const [r1, r2] = await Promise.all([
      runCli(['sync', bigCorpus(sb, 'one', 5), '--json', '--data-dir', sb.dataDir]),
      runCli(['sync', bigCorpus(sb, 'two', 5), '--json', '--data-dir', sb.dataDir]),
    ]);
    assert.equal(r1.code, 0, r1.stderr);
    assert.equal(r2.code, 0, r2.stderr);
    assert.deepEqual([JSON.parse(r1.stdout).slug, JSON.parse(r2.stdout).slug].sort(), ['one', 'two']);
    const e = await sb.engine();
    assert.deepEqual(
      e.listProjects().map((p) => [p.slug, p.document_count, p.sync_status]).sort(),
      [['one', 5 * SAMPLE_DOCS, 'synced'], ['two', 5 * SAMPLE_DOCS, 'synced']],
    );
    const [{ n }] = await dbRows(sb.dbPath, 'SELECT count(*) AS n FROM documents_fts');
    assert.equal(n, 10 * SAMPLE_DOCS);
  });

  it('four CLI processes syncing the same new folder at once: one project; each run syncs or is refused as in progress', async function () {
    this.timeout(60_000);
    const root = sb.corpus('same');
    const runs = await Promise.all([1, 2, 3, 4].map(() => runCli(['sync', root, '--json', '--data-dir', sb.dataDir])));
    for (const r of runs) {
      if (r.code === 0) assert.equal(JSON.parse(r.stdout).sync_status, 'synced');
      else assert.equal(r.stderr, 'sdlc-lens: Sync already running for this project\n', 'never a slug CONFLICT for the same folder');
    }
    assert.ok(runs.some((r) => r.code === 0));
    const e = await sb.engine();
    assert.deepEqual(e.listProjects().map((p) => [p.slug, p.document_count]), [['same', SAMPLE_DOCS]]);
  });

  it('app killed mid-run, restarted → error with the interruption message, nothing written, next trigger accepted', async function () {
    this.timeout(90_000);
    const root = bigCorpus(sb, 'killed', 18);
    const observer = await sb.engine();
    const { slug } = await observer.registerProject({ name: 'Killed', sdlc_path: root });
    const cli = startCli(['sync', root, '--json', '--data-dir', sb.dataDir]);
    await pollUntil('the CLI to mark the project syncing', 30_000, async () => {
      await observer.catchUp();
      return observer.getProject(slug).sync_status === 'syncing';
    });
    cli.child.kill('SIGKILL');
    const r = await cli.result;
    assert.equal(r.signal, 'SIGKILL');
    await observer.catchUp();
    assert.equal(observer.getProject(slug).sync_status, 'syncing', 'a killed process cannot record anything');
    assert.equal(observer.getProject(slug).document_count, 0);
    await observer.close();
    // "restart": a new engine on the same data folder
    const restarted = await sb.engine();
    const p = restarted.getProject(slug);
    assert.deepEqual([p.sync_status, p.sync_error, p.document_count], ['error', INTERRUPTED_MESSAGE, 0]);
    const { project, done } = await restarted.startSync(slug);
    assert.equal(project.sync_status, 'syncing');
    const o = await done;
    assert.equal(o.sync_status, 'synced');
    assert.equal(o.added, 18 * SAMPLE_DOCS);
  });
});
