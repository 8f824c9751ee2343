// The engine's worker thread through its client: real worker threads (the TypeScript entry run by
// tsx), real temp data folders and project files. Calls by name, typed errors, events, progress,
// cancellation, a worker that dies mid-sync, and close.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { EngineChange } from '../../../src/core/engine-api';
import { Engine } from '../../../src/core/engine';
import { LensError } from '../../../src/core/errors';
import type { SyncProgress } from '../../../src/core/types';
import { acquireLock } from '../../../src/core/store/filelock';
import { ENGINE_OUT_OF_MEMORY, ENGINE_STOPPED, EngineClient } from '../../../src/core/worker/client';
import { indexWaitLabel, reportIndexWait } from '../../../src/extension/search/indexWait';
import { generateProject } from '../../integration/support/generate';

const ENTRY = path.resolve(__dirname, '../../../src/core/worker/engineWorker.ts');

interface Harness {
  client: EngineClient;
  dataDir: string;
  workers: Worker[];
  logs: string[];
  deaths: string[];
}

/**
 * A thread that, asked for `hog`, allocates until V8 ends it for its heap limit: beside the real
 * engine (the engine itself answers `hog` as an unknown method, too late).
 */
const HOG = `require('node:worker_threads').parentPort.on('message', (m) => {
  if (m.t !== 'call' || m.method !== 'hog') return;
  const kept = [];
  for (;;) kept.push(new Array(100000).fill(kept.length));
});`;

function harness(worker: { extra?: string; resourceLimits?: ResourceLimits } = {}): Harness {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-worker-'));
  const h: Harness = { dataDir, workers: [], logs: [], deaths: [], client: undefined as unknown as EngineClient };
  h.client = new EngineClient({
    dataDir,
    logger: { info: (m) => h.logs.push(`info ${m}`), warn: (m) => h.logs.push(`warn ${m}`), error: (m) => h.logs.push(`error ${m}`) },
    onDidDie: (m) => h.deaths.push(m),
    createWorker: (init) => {
      const w = new Worker(`require('tsx/cjs'); require(${JSON.stringify(ENTRY)});${worker.extra ?? ''}`, { eval: true, workerData: init, resourceLimits: worker.resourceLimits });
      h.workers.push(w);
      return w;
    },
  });
  return h;
}

/** Resolves with the first progress report matching `pred`. */
function progressWhere(pred: (p: SyncProgress) => boolean): { onProgress: (p: SyncProgress) => void; reached: Promise<SyncProgress> } {
  let resolve!: (p: SyncProgress) => void;
  const reached = new Promise<SyncProgress>((r) => (resolve = r));
  return { onProgress: (p) => pred(p) && resolve(p), reached };
}

describe('engine worker client', function () {
  this.timeout(60_000);
  let h: Harness;
  let big: string;

  before(() => {
    big = generateProject(1500, 'big').dir;
  });
  beforeEach(() => {
    h = harness();
  });
  afterEach(async () => {
    await h.client.close();
    fs.rmSync(h.dataDir, { recursive: true, force: true });
  });
  after(() => fs.rmSync(path.dirname(path.dirname(big)), { recursive: true, force: true }));

  it('starts the worker on first use only, and forwards calls by method name', async () => {
    assert.equal(h.client.running, false);
    assert.equal(h.workers.length, 0, 'nothing started before the first call');
    const info = await h.client.info();
    assert.equal(info.dbPath, path.join(h.dataDir, 'sdlc-lens.db'));
    const p = await h.client.engine.registerProject({ name: 'Big', sdlc_path: big });
    assert.equal(p.slug, 'big');
    assert.deepEqual((await h.client.engine.listProjects()).map((x) => x.slug), ['big']);
    assert.equal(h.client.startCount, 1);
    assert.ok(h.logs.some((l) => /big: registered/.test(l)), 'the worker\'s log lines reach the host logger');
  });

  it('a search while documents wait to be indexed waits for the indexer; the thread answers other calls meanwhile', async () => {
    // another process synced the project and closed before indexing it (one document a slice: its
    // indexer fell behind the sync), so its image queues most documents for the index
    const other = await Engine.open({ dataDir: h.dataDir, indexSlice: 1 });
    await other.registerProject({ name: 'Big', sdlc_path: big });
    assert.equal((await (await other.startSync('big')).done).sync_status, 'synced');
    await other.close();
    // the worker opens that image: its background indexer starts on the queue (50 a slice, a turn of the event loop between two)
    const queued = Number(await h.client.call('indexQueued', []));
    assert.ok(queued > 0, `documents queued for the index: ${queued}`);
    const answered: string[] = [];
    const search = h.client.engine.search({ q: 'sync', project: 'big', per_page: 5 }).then((r) => (answered.push('search'), r));
    const list = h.client.engine.listProjects().then((r) => (answered.push('listProjects'), r));
    const [page] = await Promise.all([search, list]);
    // indexing the queue inside the search held the thread: listProjects, sent after it, was answered after it
    assert.deepEqual(answered, ['listProjects', 'search']);
    const left = Number(await h.client.call('indexQueued', []));
    assert.equal(left, 0, `the search answered once the index had caught up (queued ${queued}, left ${left})`);
    await h.client.engine.whenIndexed();
    assert.equal(page.total, (await h.client.engine.search({ q: 'sync', project: 'big', per_page: 5 })).total, 'complete results');
    assert.ok(page.total > 0);
  });

  it("Search Documents' wait row: while a search waits for the index, the documents left are reported; the answer is complete", async () => {
    const other = await Engine.open({ dataDir: h.dataDir, indexSlice: 1 });
    await other.registerProject({ name: 'Big', sdlc_path: big });
    assert.equal((await (await other.startSync('big')).done).sync_status, 'synced');
    await other.close();
    assert.ok((await h.client.engine.indexQueued()) > 0, 'the worker opened an image with documents queued for the index');
    // the background indexer yields to a running sync; this one waits for the write lock, held here
    const release = await acquireLock(path.join(h.dataDir, 'sdlc-lens.db.lock'));
    let released = false;
    try {
      // start() marks the sync running before it waits for the lock; the worker answers in order, so
      // no slice runs after indexQueued's answer
      const sync = h.client.engine.startSync('big');
      const held = await h.client.engine.indexQueued();
      assert.ok(held > 0, 'documents still queued once the sync waits');
      const reports: number[] = [];
      let firstReport!: () => void;
      const reported = new Promise<void>((r) => (firstReport = r));
      const answer = reportIndexWait(
        h.client.engine.search({ q: 'sync', project: 'big', per_page: 5 }),
        () => h.client.engine.indexQueued(),
        (left) => {
          reports.push(left);
          firstReport();
        },
        { showAfterMs: 0, pollMs: 10 },
      );
      let giveUp: ReturnType<typeof setTimeout> | undefined;
      const noReport = new Promise<never>((_, reject) => {
        giveUp = setTimeout(() => reject(new Error('nothing reported while the search waited')), 10_000);
      });
      try {
        await Promise.race([reported, noReport]);
        const threeReports = new Promise<void>((r) => {
          const more = setInterval(() => reports.length >= 3 && (clearInterval(more), r()), 5);
        });
        await Promise.race([threeReports, noReport]);
      } finally {
        clearTimeout(giveUp);
      }
      // nothing is indexed while the sync waits: every report is the same count, the one the worker holds
      assert.deepEqual(new Set(reports), new Set([held]), JSON.stringify(reports));
      assert.equal(indexWaitLabel(held), `$(sync~spin) Building the search index: ${held.toLocaleString('en-US')} documents to go`);
      release();
      released = true;
      assert.equal((await (await sync).done).sync_status, 'synced');
      const page = await answer;
      const afterAnswer = reports.length;
      assert.equal(await h.client.engine.indexQueued(), 0, 'the search answered once the index had caught up');
      assert.ok(page.total > 0);
      await h.client.engine.whenIndexed();
      assert.equal(page.total, (await h.client.engine.search({ q: 'sync', project: 'big', per_page: 5 })).total, 'complete results');
      assert.equal(reports.length, afterAnswer, 'nothing reported after the answer');
    } finally {
      if (!released) release();
    }
  });

  it('re-raises LensErrors with their code and message, never a stack', async () => {
    const e = await h.client.engine.getProject('nope').catch((x: unknown) => x);
    assert.ok(e instanceof LensError);
    assert.equal(e.code, 'NOT_FOUND');
    assert.equal(e.message, 'Project not found');
    const bad = await h.client.engine.registerProject({ name: 'X', sdlc_path: path.join(h.dataDir, 'missing') }).catch((x: unknown) => x);
    assert.equal((bad as LensError).code, 'PATH_NOT_FOUND');
    for (const name of ['emit', 'projectRow', 'constructor', 'toString', 'noSuchMethod']) {
      const refused = await h.client.call(name, []).catch((x: unknown) => x);
      assert.ok(refused instanceof LensError && refused.code === 'INTERNAL', `${name} is refused by the worker`);
      assert.equal(refused.message, `Unknown engine method: ${name}`);
    }
    assert.equal((h.client.engine as unknown as { then?: unknown }).then, undefined, 'the engine is not a thenable');
  });

  it('forwards change events, throttled progress and the outcome; a new method needs no client code', async () => {
    const changes: EngineChange[] = [];
    h.client.engine.onDidChange((c) => changes.push(c));
    await h.client.engine.registerProject({ name: 'Big', sdlc_path: big });
    const progress: SyncProgress[] = [];
    const started = await h.client.engine.startSync('big', { onProgress: (p) => progress.push(p) });
    assert.equal(started.project.sync_status, 'syncing');
    const outcome = await started.done;
    assert.equal(outcome.sync_status, 'synced');
    assert.equal(outcome.added, 1500);
    assert.ok(progress.length > 10 && progress.length < 400, `${progress.length} progress messages for 1500 files`);
    assert.ok(changes.some((c) => c.kind === 'documents' && c.slug === 'big'));
    const counts = await h.client.engine.documentTypeCounts('big');
    assert.equal(counts.reduce((n, c) => n + c.count, 0), 1500);
    const stories = await h.client.engine.documentsOfType('big', 'story');
    assert.equal(stories.length, counts.find((c) => c.type === 'story')?.count);
  });

  it('answers another call while a health computation places its files: the computation does not hold the thread', async () => {
    await h.client.engine.registerProject({ name: 'Big', sdlc_path: big });
    assert.equal((await (await h.client.engine.startSync('big')).done).sync_status, 'synced');
    const order: string[] = [];
    // posted in this order; the worker takes the second while the first waits between its slices
    const health = h.client.engine.healthDiagnostics('big').then((r) => (order.push('healthDiagnostics'), r));
    const listed = h.client.engine.listProjects().then((ps) => (order.push('listProjects'), ps));
    const [r, ps] = await Promise.all([health, listed]);
    assert.deepEqual(order, ['listProjects', 'healthDiagnostics']);
    assert.deepEqual(ps.map((p) => p.slug), ['big']);
    assert.ok(!r.unchanged && r.files.length > 0, 'the computation placed files');
    const kept = await h.client.engine.healthFiles('big', r.hash, [r.files[0]!.absPath]);
    assert.deepEqual(kept, { stale: false, files: [r.files[0]] }, 'what it placed is kept in the worker');
  });

  it('forwards the sync options the engine acts on: paths (a hinted sync reads only them) and fullRehash', async () => {
    await h.client.engine.registerProject({ name: 'Big', sdlc_path: big });
    const story = path.join(big, 'stories', fs.readdirSync(path.join(big, 'stories')).find((f) => f.endsWith('.md'))!);
    const past = new Date('2024-01-02T03:04:05Z');
    fs.utimesSync(story, past, past); // older than the racy window: its stat is stored
    const full = await (await h.client.engine.startSync('big')).done;
    assert.equal(full.sync_status, 'synced');
    fs.appendFileSync(story, '\nEdited through the worker.\n');
    fs.utimesSync(story, past, new Date(past.getTime() + 1000));
    const rel = path.relative(big, story).split(path.sep).join('/');
    const hinted = await (await h.client.engine.startSync('big', { paths: [rel] })).done;
    assert.deepEqual([hinted.updated, hinted.skipped, hinted.added, hinted.deleted], [1, 0, 0, 0], 'only the hinted path was considered');
    // same size, same mtime, other bytes: only a forced re-hash notices
    const text = fs.readFileSync(story, 'utf8');
    fs.writeFileSync(story, text.replace('Edited through the worker.', 'EDITED THROUGH THE WORKER.'));
    fs.utimesSync(story, past, new Date(past.getTime() + 1000));
    const quick = await (await h.client.engine.startSync('big', { paths: [rel] })).done;
    assert.deepEqual([quick.updated, quick.skipped], [0, 1], 'stat unchanged: not read');
    const rehash = await (await h.client.engine.startSync('big', { paths: [rel], fullRehash: true })).done;
    assert.deepEqual([rehash.updated, rehash.skipped], [1, 0], 'fullRehash reached the engine');
    const bad = await h.client.engine.startSync('big', { paths: ['../outside.md'] }).catch((x: unknown) => x);
    assert.equal((bad as LensError).code, 'VALIDATION_ERROR');
  });

  it('cancels a running sync through its AbortSignal: nothing written, the project ends in error', async () => {
    await h.client.engine.registerProject({ name: 'Big', sdlc_path: big });
    const controller = new AbortController();
    const at = progressWhere((p) => p.seen > 0);
    const started = await h.client.engine.startSync('big', { signal: controller.signal, onProgress: at.onProgress });
    await at.reached;
    controller.abort();
    const outcome = await started.done;
    assert.equal(outcome.cancelled, true);
    const stored = await h.client.engine.getProject('big');
    assert.equal(stored.sync_status, 'error');
    assert.equal(stored.document_count, 0);
  });

  it('a worker that dies mid-sync: clear error, the run ends in error, the next call restarts it and nothing is left syncing', async () => {
    await h.client.engine.registerProject({ name: 'Big', sdlc_path: big });
    const changes: EngineChange[] = [];
    h.client.engine.onDidChange((c) => changes.push(c));
    const at = progressWhere((p) => p.seen > 0);
    const started = await h.client.engine.startSync('big', { onProgress: at.onProgress });
    await at.reached;
    const pending = h.client.engine.listProjects().catch((e: unknown) => e);
    await h.workers[0].terminate(); // as if the thread crashed: the client did not ask for it
    const outcome = await started.done;
    assert.equal(outcome.sync_status, 'error');
    assert.equal(outcome.sync_error, ENGINE_STOPPED);
    assert.deepEqual(h.deaths, [ENGINE_STOPPED]);
    const settled = await pending;
    assert.ok(Array.isArray(settled) || (settled instanceof LensError && settled.code === 'DATABASE_UNAVAILABLE'));
    assert.equal(h.client.running, false);
    const after = await h.client.engine.getProject('big');
    assert.equal(h.client.startCount, 2, 'restarted on next use');
    assert.equal(after.sync_status, 'error', 'the dead worker\'s claim is reset at start-up');
    assert.ok(changes.some((c) => c.kind === 'reloaded'), 'listeners hear that everything may have changed');
  });

  it('a worker that runs out of memory mid-sync: the run, the pending call and onDidDie say so; the next call restarts it, nothing left syncing', async () => {
    await h.client.close();
    h = harness({ extra: HOG, resourceLimits: { maxOldGenerationSizeMb: 128 } });
    await h.client.engine.registerProject({ name: 'Big', sdlc_path: big });
    const at = progressWhere((p) => p.seen > 0);
    const started = await h.client.engine.startSync('big', { onProgress: at.onProgress });
    await at.reached;
    const hog = (h.client.engine as unknown as { hog(): Promise<unknown> }).hog().catch((e: unknown) => e);
    const outcome = await started.done;
    assert.equal(outcome.sync_status, 'error');
    assert.equal(outcome.sync_error, ENGINE_OUT_OF_MEMORY);
    assert.match(ENGINE_OUT_OF_MEMORY, /ran out of memory \(its limit is 1024 MB\)/);
    const failed = await hog;
    assert.ok(failed instanceof LensError && failed.code === 'DATABASE_UNAVAILABLE' && failed.message === ENGINE_OUT_OF_MEMORY, String(failed));
    assert.deepEqual(h.deaths, [ENGINE_OUT_OF_MEMORY]);
    assert.ok(h.logs.some((l) => /^error engine worker failed: .*ERR_WORKER_OUT_OF_MEMORY|^error engine worker failed: .*out of memory/i.test(l)), h.logs.filter((l) => l.startsWith('error')).join('\n'));
    const after = await h.client.engine.getProject('big');
    assert.equal(h.client.startCount, 2, 'restarted on next use');
    assert.equal(after.sync_status, 'error', 'the dead worker\'s claim is reset at start-up');
  });

  it('regression BG-01KXDFGD (deactivate): close() records a running sync as error and ends the thread; the stored state says so', async () => {
    await h.client.engine.registerProject({ name: 'Big', sdlc_path: big });
    const at = progressWhere((p) => p.seen > 0);
    const started = await h.client.engine.startSync('big', { onProgress: at.onProgress });
    await at.reached;
    await h.client.close();
    assert.equal((await started.done).sync_status, 'error');
    assert.equal(h.client.running, false);
    await assert.rejects(h.client.engine.listProjects(), (e: unknown) => e instanceof LensError && e.code === 'DATABASE_UNAVAILABLE');
    const reopened = await Engine.open({ dataDir: h.dataDir });
    try {
      const p = reopened.getProject('big');
      assert.equal(p.sync_status, 'error');
      assert.equal(p.document_count, 0);
    } finally {
      await reopened.close();
    }
  });
});
