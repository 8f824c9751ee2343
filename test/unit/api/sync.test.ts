// R7 and the seed story US0003: acceptance criteria AC1–AC5 and its edge-case table, over real HTTP.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { holdWrites } from '../reliability/hold';
import { dbRows, Lab, SAMPLE_DOCS } from '../reliability/support';
import { expectEnvelope, openHarness, type Harness } from './harness';

/** Bounded poll: awaits each GET until the project leaves `syncing`. */
async function settle(h: Harness, slug: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 10_000; i++) {
    const r = await h.api.get(`/projects/${slug}`);
    if (r.json.sync_status !== 'syncing') return r.json;
  }
  throw new Error(`${slug} still syncing`);
}

describe('API sync trigger (R7, US0003)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness();
  });
  afterEach(async () => h.close());

  it('AC1: 202 {"slug","sync_status":"syncing","message":"Sync started"} from never_synced', async () => {
    const slug = await h.register('homelabcmd', h.corpus('homelabcmd'));
    const r = await h.api.post(`/projects/${slug}/sync`);
    assert.equal(r.status, 202);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(r.json, { slug: 'homelabcmd', sync_status: 'syncing', message: 'Sync started' });
    await h.syncDone(slug);
  });

  it('AC2: syncing → synced with last_synced_at set to now and documents counted', async () => {
    const slug = await h.register('homelabcmd', h.corpus('homelabcmd'));
    const before = Date.now();
    assert.equal((await h.api.post(`/projects/${slug}/sync`)).status, 202);
    const p = await settle(h, slug);
    const after = Date.now();
    assert.equal(p.sync_status, 'synced');
    assert.equal(p.sync_error, null);
    const at = Date.parse(String(p.last_synced_at));
    assert.match(String(p.last_synced_at), /Z$/);
    assert.ok(at >= before - 1000 && at <= after + 1000, `last_synced_at ${p.last_synced_at}`);
    assert.ok(Number(p.document_count) >= 10);
    const docs = await h.api.get(`/projects/${slug}/documents`);
    assert.equal(docs.json.total, p.document_count);
  });

  it('AC3 + edge: folder gone since registration → still 202, then error "sdlc-studio path not found"', async () => {
    const dir = h.corpus('homelabcmd');
    const slug = await h.register('homelabcmd', dir);
    fs.rmSync(dir, { recursive: true });
    assert.equal((await h.api.post(`/projects/${slug}/sync`)).status, 202);
    const p = await settle(h, slug);
    assert.equal(p.sync_status, 'error');
    assert.match(String(p.sync_error), /sdlc-studio path not found/);
    assert.equal(p.last_synced_at, null);
  });

  it('AC4: 409 SYNC_IN_PROGRESS "Sync already running for this project" while syncing', async () => {
    await h.close();
    const lab = new Lab();
    const dir = lab.sample('homelabcmd');
    const hold = holdWrites();
    h = await openHarness({ wrap: hold.wrap });
    try {
      const slug = await h.register('homelabcmd', dir);
      assert.equal((await h.api.post(`/projects/${slug}/sync`)).status, 202);
      await hold.held; // the run cannot end until released
      const r = await h.api.post(`/projects/${slug}/sync`);
      const message = expectEnvelope(r, 409, 'SYNC_IN_PROGRESS');
      assert.equal(message, 'Sync already running for this project');
      assert.equal((await h.api.get(`/projects/${slug}`)).json.sync_status, 'syncing');
      await hold.release();
      assert.equal((await h.syncDone(slug)).sync_status, 'synced');
      assert.equal((await h.api.post(`/projects/${slug}/sync`)).status, 202);
      await h.syncDone(slug);
    } finally {
      await hold.release();
      await lab.dispose();
    }
  });

  it('AC5: GET /projects/{slug} shows "syncing" while the run goes on, then the outcome', async () => {
    await h.close();
    const lab = new Lab();
    const dir = lab.sample('homelabcmd');
    const hold = holdWrites();
    h = await openHarness({ wrap: hold.wrap });
    try {
      const slug = await h.register('homelabcmd', dir);
      assert.equal((await h.api.post(`/projects/${slug}/sync`)).status, 202);
      await hold.held; // the run cannot write its result until released
      const during = await h.api.get(`/projects/${slug}`);
      assert.equal(during.status, 200);
      assert.equal(during.json.sync_status, 'syncing');
      assert.equal(during.json.sync_error, null);
      assert.equal((await dbRows(h.engine.dbPath, 'SELECT sync_status FROM projects'))[0].sync_status, 'syncing', 'stored too');
      await hold.release();
      await h.syncDone(slug);
      const after = (await h.api.get(`/projects/${slug}`)).json;
      assert.equal(after.sync_status, 'synced');
      assert.equal(after.document_count, SAMPLE_DOCS);
    } finally {
      await hold.release();
      await lab.dispose();
    }
  });

  it('edge: unknown slug → 404 NOT_FOUND "Project not found"', async () => {
    const message = expectEnvelope(await h.api.post('/projects/nope/sync'), 404, 'NOT_FOUND');
    assert.equal(message, 'Project not found');
  });

  it('edge: re-sync from error → 202, syncing with sync_error cleared, then synced', async () => {
    await h.close();
    const lab = new Lab();
    const dir = lab.sample('homelabcmd');
    const hold = holdWrites();
    h = await openHarness({ wrap: hold.wrap });
    try {
      const aside = `${dir}-aside`;
      const slug = await h.register('homelabcmd', dir);
      fs.renameSync(dir, aside);
      await h.api.post(`/projects/${slug}/sync`);
      assert.equal((await settle(h, slug)).sync_status, 'error');
      fs.renameSync(aside, dir);
      const r = await h.api.post(`/projects/${slug}/sync`);
      assert.deepEqual(r.json, { slug, sync_status: 'syncing', message: 'Sync started' });
      await hold.held; // the run cannot write its result until released
      const during = (await h.api.get(`/projects/${slug}`)).json;
      assert.equal(during.sync_status, 'syncing');
      assert.equal(during.sync_error, null);
      await hold.release();
      const p = await settle(h, slug);
      assert.equal(p.sync_status, 'synced');
      assert.equal(p.sync_error, null);
    } finally {
      await hold.release();
      await lab.dispose();
    }
  });

  it('edge: re-sync from synced → 202, normal re-sync (same documents, newer last_synced_at)', async () => {
    const slug = await h.register('homelabcmd', h.corpus('homelabcmd'));
    await h.api.post(`/projects/${slug}/sync`);
    const first = await settle(h, slug);
    const r = await h.api.post(`/projects/${slug}/sync`);
    assert.equal(r.status, 202);
    assert.deepEqual(r.json, { slug, sync_status: 'syncing', message: 'Sync started' });
    const outcome = await h.syncDone(slug);
    const second = (await h.api.get(`/projects/${slug}`)).json;
    assert.equal(second.sync_status, 'synced');
    assert.equal(second.document_count, first.document_count);
    assert.equal(outcome.skipped, first.document_count);
    assert.ok(String(second.last_synced_at) >= String(first.last_synced_at));
  });

  it('edge: 10 concurrent triggers → exactly one 202 and nine 409s; after the run, 202 again', async () => {
    await h.close();
    const lab = new Lab();
    const dir = lab.sample('homelabcmd');
    const hold = holdWrites();
    h = await openHarness({ wrap: hold.wrap });
    try {
      const slug = await h.register('homelabcmd', dir);
      // The run is held open until release(), so no trigger can arrive after it ended.
      const replies = await Promise.all(Array.from({ length: 10 }, () => h.api.post(`/projects/${slug}/sync`)));
      const statuses = replies.map((r) => r.status).sort();
      assert.deepEqual(statuses, [202, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
      for (const r of replies.filter((x) => x.status === 409)) expectEnvelope(r, 409, 'SYNC_IN_PROGRESS');
      await hold.held;
      await hold.release();
      await h.syncDone(slug);
      assert.equal((await h.api.post(`/projects/${slug}/sync`)).status, 202);
      await h.syncDone(slug);
    } finally {
      await hold.release();
      await lab.dispose();
    }
  });

  it('edge: zero documents in the folder → synced, document_count 0', async () => {
    const dir = `${h.root}/empty/sdlc-studio`;
    fs.mkdirSync(dir, { recursive: true });
    const slug = await h.register('homelabcmd', dir);
    assert.equal((await h.api.post(`/projects/${slug}/sync`)).status, 202);
    const p = await settle(h, slug);
    assert.equal(p.sync_status, 'synced');
    assert.equal(p.document_count, 0);
  });

  it('edge: no timeout — the 202 answers before the run ends; the run is not bound to the request', async () => {
    await h.close();
    const lab = new Lab();
    const dir = lab.sample('homelabcmd');
    const hold = holdWrites();
    h = await openHarness({ wrap: hold.wrap });
    try {
      const slug = await h.register('homelabcmd', dir);
      const r = await h.api.post(`/projects/${slug}/sync`); // the client closes its connection after the answer
      assert.equal(r.status, 202);
      await hold.held;
      // The run outlives its request, its connection and the whole API server.
      await h.server.close();
      assert.equal(h.engine.isSyncing(slug), true);
      await hold.release();
      const outcome = await h.syncDone(slug);
      assert.equal(outcome.sync_status, 'synced');
      assert.equal(outcome.document_count, SAMPLE_DOCS);
      assert.equal(h.engine.getProject(slug).sync_status, 'synced');
    } finally {
      await hold.release();
      await lab.dispose();
    }
  });

  it('ignores a body on POST /sync (no Content-Type needed)', async () => {
    const slug = await h.register('homelabcmd', h.corpus('homelabcmd'));
    const r = await h.api.raw('POST', `/projects/${slug}/sync`, { raw: 'whatever', headers: { 'content-type': 'text/plain' } });
    assert.equal(r.status, 202);
    await h.syncDone(slug);
  });
});
