// R8–R10 (api.md §5) over the fixture corpus: list with filters/sort/paging, detail, related.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeShared, expectEnvelope, FIXTURES, openHarness, type Harness } from './harness';

// Needs the real fixture corpus (../shared/corpus/fixtures): registered only when it exists.
describeShared('API documents (R8–R10)', () => {
  let h: Harness;
  let dir: string;
  const slug = 'fixtures';
  before(async () => {
    h = await openHarness();
    dir = h.corpus('fixtures', FIXTURES);
    await h.register('Fixtures', dir);
    assert.equal((await h.api.post(`/projects/${slug}/sync`)).status, 202);
    assert.equal((await h.syncDone(slug)).sync_status, 'synced');
  });
  after(async () => h.close());

  const ids = (r: { json: { items: { doc_id: string }[] } }) => r.json.items.map((i) => i.doc_id);

  it('R8 defaults: page 1, per_page 50, every document, list items without content', async () => {
    const r = await h.api.get(`/projects/${slug}/documents`);
    assert.equal(r.status, 200);
    assert.equal(r.json.total, 10);
    assert.equal(r.json.page, 1);
    assert.equal(r.json.per_page, 50);
    assert.equal(r.json.pages, 1);
    assert.equal(r.json.items.length, 10);
    const item = r.json.items[0];
    assert.deepEqual(Object.keys(item).sort(), ['doc_id', 'epic', 'owner', 'priority', 'status', 'story', 'story_points', 'title', 'type', 'updated_at']);
  });

  it('R8 filters by type and status (exact; "none" = null; unknown type → empty, no 422)', async () => {
    assert.deepEqual(ids(await h.api.get(`/projects/${slug}/documents?type=epic&sort=title&order=asc`)), ['EP0001-alpha-feature', 'EP0002-beta-feature']);
    const inProgress = await h.api.get(`/projects/${slug}/documents?status=In+Progress&sort=title&order=asc`);
    assert.deepEqual(ids(inProgress), ['EP0002-beta-feature', 'US0003-widget-api']);
    const encoded = await h.api.get(`/projects/${slug}/documents?status=In%20Progress&type=story`);
    assert.deepEqual(ids(encoded), ['US0003-widget-api']);
    assert.equal((await h.api.get(`/projects/${slug}/documents?status=in+progress`)).json.total, 0);
    assert.equal((await h.api.get(`/projects/${slug}/documents?status=none`)).json.total, 0);
    const unknown = await h.api.get(`/projects/${slug}/documents?type=nonsense`);
    assert.equal(unknown.status, 200);
    assert.deepEqual(unknown.json, { items: [], total: 0, page: 1, per_page: 50, pages: 0 });
  });

  it('R8 sorts and pages; per_page over 100 is capped; a page beyond the last is empty', async () => {
    const asc = ids(await h.api.get(`/projects/${slug}/documents?sort=title&order=asc`));
    const desc = ids(await h.api.get(`/projects/${slug}/documents?sort=title&order=desc`));
    assert.deepEqual(desc, [...asc].reverse());
    const p2 = await h.api.get(`/projects/${slug}/documents?sort=title&order=asc&per_page=3&page=2`);
    assert.deepEqual(ids(p2), asc.slice(3, 6));
    assert.equal(p2.json.pages, 4);
    assert.equal(p2.json.total, 10);
    assert.equal((await h.api.get(`/projects/${slug}/documents?per_page=500`)).json.per_page, 100);
    const beyond = await h.api.get(`/projects/${slug}/documents?page=9`);
    assert.equal(beyond.status, 200);
    assert.deepEqual(beyond.json.items, []);
    assert.equal(beyond.json.total, 10);
  });

  it('R8 a repeated parameter keeps one value; unknown parameters are ignored', async () => {
    const r = await h.api.get(`/projects/${slug}/documents?type=story&type=epic&bogus=1`);
    assert.equal(r.status, 200);
    assert.equal(r.json.total, 2);
  });

  it('R8 422 for every invalid query value, naming query.<param>', async () => {
    const bad = ['sort=size', 'order=up', 'page=0', 'page=-1', 'page=1.5', 'page=abc', 'page=', 'per_page=0', 'per_page=x', 'page=99999999999999999999'];
    for (const q of bad) {
      const message = expectEnvelope(await h.api.get(`/projects/${slug}/documents?${q}`), 422, 'VALIDATION_ERROR');
      assert.match(message, new RegExp(`^query\\.${q.split('=')[0]}: `), q);
    }
    const both = expectEnvelope(await h.api.get(`/projects/${slug}/documents?sort=x&page=0`), 422, 'VALIDATION_ERROR');
    assert.match(both, /query\.sort: .*; query\.page: /);
  });

  it('R8 query validation runs before the slug lookup; unknown slug is 404', async () => {
    expectEnvelope(await h.api.get('/projects/nope/documents?sort=bad'), 422, 'VALIDATION_ERROR');
    const message = expectEnvelope(await h.api.get('/projects/nope/documents'), 404, 'NOT_FOUND');
    assert.equal(message, 'Project not found');
  });

  it('R9 returns the DocumentDetail with content, relative path and sha256', async () => {
    const r = await h.api.get(`/projects/${slug}/documents/story/US0001-create-widget`);
    assert.equal(r.status, 200);
    const d = r.json;
    assert.equal(d.doc_id, 'US0001-create-widget');
    assert.equal(d.type, 'story');
    assert.equal(d.title, 'US0001: Create Widget');
    assert.equal(d.status, 'Done');
    assert.equal(d.epic, 'EP0001');
    assert.equal(d.story_points, 5);
    assert.equal(d.file_path, 'stories/US0001-create-widget.md');
    const raw = fs.readFileSync(path.join(dir, 'stories/US0001-create-widget.md'));
    assert.equal(d.file_hash, createHash('sha256').update(raw).digest('hex'));
    assert.ok(d.content.includes('## User Story'));
    assert.ok(!d.content.includes('> **Status:**'));
    assert.match(d.synced_at, /Z$/);
    for (const k of ['owner', 'priority', 'story', 'metadata']) assert.ok(k in d, k);
  });

  it('R9 singletons and URL-encoded segments', async () => {
    assert.equal((await h.api.get(`/projects/${slug}/documents/prd/prd`)).json.type, 'prd');
    assert.equal((await h.api.get(`/projects/${slug}/documents/trd/trd`)).status, 200);
    assert.equal((await h.api.get(`/projects/${slug}/documents/%73tory/US0001-create-widget`)).status, 200);
  });

  it('R9 404s: unknown project, unknown document, wrong type, bare id', async () => {
    assert.equal(expectEnvelope(await h.api.get('/projects/nope/documents/story/US0001-create-widget'), 404, 'NOT_FOUND'), 'Project not found');
    for (const p of ['story/US9999-nothing', 'epic/US0001-create-widget', 'story/US0001', 'story/US0001-create-widget%2Fx']) {
      const message = expectEnvelope(await h.api.get(`/projects/${slug}/documents/${p}`), 404, 'NOT_FOUND');
      assert.match(message, /^Document not found/);
    }
  });

  it('R10 relationships of a story: epic parent, plan child', async () => {
    const r = await h.api.get(`/projects/${slug}/documents/story/US0001-create-widget/related`);
    assert.equal(r.status, 200);
    assert.equal(r.json.doc_id, 'US0001-create-widget');
    assert.deepEqual(r.json.parents, [{ doc_id: 'EP0001-alpha-feature', type: 'epic', title: 'EP0001: Alpha Feature', status: 'Done' }]);
    assert.deepEqual(r.json.children.map((c: { doc_id: string }) => c.doc_id), ['PL0001-create-widget-plan']);
    assert.deepEqual(r.json.depends_on, []);
    assert.deepEqual(r.json.dependents, []);
  });

  it('R10 epic has no parents; PRD has four empty lists', async () => {
    const epic = await h.api.get(`/projects/${slug}/documents/epic/EP0001-alpha-feature/related`);
    assert.deepEqual(epic.json.parents, []);
    assert.ok(epic.json.children.length >= 2);
    const prd = (await h.api.get(`/projects/${slug}/documents/prd/prd/related`)).json;
    assert.deepEqual([prd.parents, prd.children, prd.depends_on, prd.dependents], [[], [], [], []]);
  });

  it('R10 404s: unknown project, and "Document not found: <type>/<doc_id>"', async () => {
    assert.equal(expectEnvelope(await h.api.get('/projects/nope/documents/story/x/related'), 404, 'NOT_FOUND'), 'Project not found');
    const message = expectEnvelope(await h.api.get(`/projects/${slug}/documents/story/US9999-x/related`), 404, 'NOT_FOUND');
    assert.equal(message, 'Document not found: story/US9999-x');
  });

  it('only GET is allowed on document routes', async () => {
    for (const p of ['/documents', '/documents/story/US0001-create-widget', '/documents/story/US0001-create-widget/related']) {
      const r = await h.api.raw('DELETE', `/projects/${slug}${p}`);
      expectEnvelope(r, 405, 'METHOD_NOT_ALLOWED');
      assert.equal(r.headers.allow, 'GET');
    }
  });
});
