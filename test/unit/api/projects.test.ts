// R2–R6 (api.md §4): list, register, get, update, delete — success cases and every error row.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { dbRows, makeWritable, SAMPLE, SAMPLE_DOCS } from '../reliability/support';
import { holdWrites } from '../reliability/hold';
import { expectEnvelope, openHarness, type Harness } from './harness';

describe('API projects (R2–R6)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness();
  });
  afterEach(async () => h.close());

  it('R2 lists [] when empty, then projects in creation order', async () => {
    const empty = await h.api.get('/projects');
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.json, []);
    await h.register('Zeta', h.corpus('z'));
    await h.register('Alpha', h.corpus('a'));
    const r = await h.api.get('/projects');
    assert.deepEqual(r.json.map((p: { slug: string }) => p.slug), ['zeta', 'alpha']);
  });

  it('R3 registers: 201 Project with resolved path, never_synced, nulls present', async () => {
    const dir = h.corpus('home');
    const r = await h.api.post('/projects', { name: 'HomelabCmd', sdlc_path: `${dir}/`, unknown_key: 1 });
    assert.equal(r.status, 201);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.json.slug, 'homelabcmd');
    assert.equal(r.json.name, 'HomelabCmd');
    assert.equal(r.json.sdlc_path, fs.realpathSync(dir));
    assert.equal(r.json.source_type, 'local');
    assert.equal(r.json.sync_status, 'never_synced');
    assert.equal(r.json.sync_error, null);
    assert.equal(r.json.last_synced_at, null);
    assert.equal(r.json.document_count, 0);
    assert.match(r.json.created_at, /Z$/);
    assert.deepEqual((await h.api.get('/projects/homelabcmd')).json, r.json);
  });

  it('R3 slugifies names (api.md §4.1 table)', async () => {
    const dir = h.corpus('s');
    for (const [name, slug] of [['My Cool Project', 'my-cool-project'], ['Projet Numéro Un', 'projet-numero-un'], ['a__b  c', 'a-b-c']]) {
      const r = await h.api.post('/projects', { name, sdlc_path: dir, source_type: 'local' });
      assert.equal(r.status, 201);
      assert.equal(r.json.slug, slug);
    }
  });

  it('R3 422 for each invalid body', async () => {
    const dir = h.corpus('v');
    const bodies: unknown[] = [
      {},
      { sdlc_path: dir },
      { name: 'x' },
      { name: 'x', sdlc_path: '' },
      { name: '', sdlc_path: dir },
      { name: 'x'.repeat(201), sdlc_path: dir },
      { name: 42, sdlc_path: dir },
      { name: 'x', sdlc_path: 42 },
      { name: null, sdlc_path: dir },
      { name: 'x', sdlc_path: dir, source_type: 'github' },
      { name: '!!!', sdlc_path: dir },
      { name: '   ', sdlc_path: dir },
    ];
    for (const body of bodies) {
      expectEnvelope(await h.api.post('/projects', body), 422, 'VALIDATION_ERROR');
    }
    const missing = expectEnvelope(await h.api.post('/projects', { sdlc_path: dir }), 422, 'VALIDATION_ERROR');
    assert.match(missing, /^name: /);
    const empty = expectEnvelope(await h.api.post('/projects', { name: '!!!', sdlc_path: dir }), 422, 'VALIDATION_ERROR');
    assert.equal(empty, 'Project name produces an empty slug after sanitisation');
    assert.equal((await h.api.post('/projects', { name: 'x'.repeat(200), sdlc_path: dir })).status, 201);
    assert.equal((await h.api.get('/projects')).json.length, 1);
  });

  it('R3 400 PATH_NOT_FOUND for a missing folder or a file', async () => {
    const file = path.join(h.root, 'a-file.md');
    fs.writeFileSync(file, '# x');
    for (const p of [path.join(h.root, 'missing'), file]) {
      const message = expectEnvelope(await h.api.post('/projects', { name: 'P', sdlc_path: p }), 400, 'PATH_NOT_FOUND');
      assert.equal(message, 'Project sdlc-studio path does not exist on filesystem');
    }
  });

  it('R3 409 CONFLICT when the slug is taken, also under concurrent registration', async () => {
    const dir = h.corpus('c');
    await h.register('Dup', dir);
    const message = expectEnvelope(await h.api.post('/projects', { name: 'dup', sdlc_path: dir }), 409, 'CONFLICT');
    assert.equal(message, 'Project slug already exists');
    const replies = await Promise.all(Array.from({ length: 5 }, () => h.api.post('/projects', { name: 'Race', sdlc_path: dir })));
    assert.deepEqual(replies.map((r) => r.status).sort(), [201, 409, 409, 409, 409]);
  });

  it('R4 404 NOT_FOUND "Project not found" for an unknown slug (exact, case-sensitive)', async () => {
    await h.register('Known', h.corpus('k'));
    for (const slug of ['nope', 'KNOWN', 'known%20', '%3Cscript%3E']) {
      const message = expectEnvelope(await h.api.get(`/projects/${slug}`), 404, 'NOT_FOUND');
      assert.equal(message, 'Project not found');
    }
  });

  it('R5 updates the name only: slug and path unchanged', async () => {
    const dir = h.corpus('u');
    const slug = await h.register('Before', dir);
    const r = await h.api.put(`/projects/${slug}`, { name: 'After Name', unknown: true });
    assert.equal(r.status, 200);
    assert.equal(r.json.slug, 'before');
    assert.equal(r.json.name, 'After Name');
    assert.equal(r.json.sdlc_path, fs.realpathSync(dir));
  });

  it('R5 updates the path; a bad path changes nothing (400)', async () => {
    const slug = await h.register('Mover', h.corpus('m1'));
    const other = h.corpus('m2');
    const r = await h.api.put(`/projects/${slug}`, { sdlc_path: other, name: null });
    assert.equal(r.status, 200);
    assert.equal(r.json.sdlc_path, fs.realpathSync(other));
    const bad = await h.api.put(`/projects/${slug}`, { name: 'Renamed', sdlc_path: path.join(h.root, 'gone') });
    expectEnvelope(bad, 400, 'PATH_NOT_FOUND');
    const now = (await h.api.get(`/projects/${slug}`)).json;
    assert.equal(now.name, 'Mover');
    assert.equal(now.sdlc_path, fs.realpathSync(other));
  });

  it('R5 422 "At least one field must be provided" for {}, unknown keys only, or all nulls', async () => {
    const slug = await h.register('Empty', h.corpus('e'));
    for (const body of [{}, { unknown: 1 }, { name: null, sdlc_path: null, source_type: null }]) {
      const message = expectEnvelope(await h.api.put(`/projects/${slug}`, body), 422, 'VALIDATION_ERROR');
      assert.equal(message, 'At least one field must be provided');
    }
    for (const body of [{ name: '' }, { name: 'x'.repeat(201) }, { sdlc_path: '' }, { source_type: 'github' }, { name: 5 }]) {
      expectEnvelope(await h.api.put(`/projects/${slug}`, body), 422, 'VALIDATION_ERROR');
    }
  });

  it('R5 validates the body before the slug lookup; unknown slug with a valid body is 404', async () => {
    expectEnvelope(await h.api.put('/projects/nope', {}), 422, 'VALIDATION_ERROR');
    expectEnvelope(await h.api.put('/projects/nope', { name: 'x' }), 404, 'NOT_FOUND');
  });

  it('R6 deletes: 204 with an empty body, then 404; a second delete is 404', async () => {
    const slug = await h.register('Gone', h.corpus('g'));
    const r = await h.api.del(`/projects/${slug}`);
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    assert.equal(r.headers['content-type'], undefined);
    expectEnvelope(await h.api.get(`/projects/${slug}`), 404, 'NOT_FOUND');
    expectEnvelope(await h.api.del(`/projects/${slug}`), 404, 'NOT_FOUND');
  });

  it('R6 concurrent deletes: one 204, the other 404', async () => {
    const slug = await h.register('Twice', h.corpus('t'));
    const replies = await Promise.all([h.api.del(`/projects/${slug}`), h.api.del(`/projects/${slug}`)]);
    assert.deepEqual(replies.map((r) => r.status).sort(), [204, 404]);
  });

  it('R6 deleting while syncing cancels the run; nothing comes back', async () => {
    await h.close();
    const dir = path.join(os.tmpdir(), `lens-hold-${process.pid}-${Date.now()}`, 'busy', 'sdlc-studio');
    fs.cpSync(SAMPLE, dir, { recursive: true });
    makeWritable(dir);
    // The second run is held open on a real condition (its write waits for the data folder's lock).
    const hold = holdWrites();
    let armed = false;
    let deleting!: () => void;
    const deleteCalled = new Promise<void>((r) => (deleting = r));
    h = await openHarness({
      wrap: (e) =>
        new Proxy(e, {
          get: (t, k) => {
            if (k === 'startSync' && armed) return hold.wrap(t).startSync;
            if (k === 'deleteProject') return (slug: string) => Object.assign(t.deleteProject(slug), deleting());
            return Reflect.get(t, k, t);
          },
        }),
    });
    try {
      const slug = await h.register('Busy', dir);
      assert.equal((await h.api.post(`/projects/${slug}/sync`)).status, 202);
      assert.equal((await h.syncDone(slug)).added, SAMPLE_DOCS);
      fs.appendFileSync(path.join(dir, 'prd.md'), '\nedited\n');
      armed = true;
      assert.equal((await h.api.post(`/projects/${slug}/sync`)).status, 202);
      await hold.held;
      assert.equal(h.engine.isSyncing(slug), true, 'the run is live when the project is deleted');
      // the delete cancels the run at once, then waits for the lock the run's write waits for too
      const del = h.api.del(`/projects/${slug}`);
      await deleteCalled;
      await hold.release();
      assert.equal((await del).status, 204);
      const outcome = await h.syncDone(slug);
      assert.equal(outcome.cancelled, true);
      assert.notEqual(outcome.sync_status, 'synced');
      expectEnvelope(await h.api.get(`/projects/${slug}`), 404, 'NOT_FOUND');
      assert.deepEqual((await h.api.get('/projects')).json, []);
      assert.deepEqual(await dbRows(h.engine.dbPath, 'SELECT count(*) AS n FROM documents'), [{ n: 0 }]);
      assert.deepEqual(await dbRows(h.engine.dbPath, 'SELECT count(*) AS n FROM projects'), [{ n: 0 }]);
    } finally {
      await hold.release();
      fs.rmSync(path.dirname(path.dirname(dir)), { recursive: true, force: true });
    }
  });
});
