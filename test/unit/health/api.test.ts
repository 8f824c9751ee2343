// Statistics and the health check through a real API server over real synced folders:
// R12 GET /stats, R13 GET /projects/{slug}/stats (the worked example of health-check.md §6.3),
// R14 GET /projects/{slug}/health-check (api.md §8), plus round1.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { completionPercentage, round1 } from '../../../src/core/health';
import { expectEnvelope, openHarness, type Harness } from '../api/harness';

/** Writes `files` (relative path → text) under <root>/<name>/sdlc-studio and returns that folder. */
function writeProject(h: Harness, name: string, files: Record<string, string>): string {
  const dir = path.join(h.root, name, 'sdlc-studio');
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const BODY = '\n## Description\n\nEnough words here to make this a real document body, well over fifty characters.\n';

function md(title: string, fields: Record<string, string>, body = BODY): string {
  return `# ${title}\n\n${Object.entries(fields).map(([k, v]) => `> **${k}:** ${v}`).join('\n')}\n${body}`;
}

function stories(statuses: string[], epic = 'EP0001'): Record<string, string> {
  const out: Record<string, string> = {};
  statuses.forEach((status, i) => {
    const id = `US${String(i + 1).padStart(4, '0')}`;
    out[`stories/${id}-story-${i + 1}.md`] = md(`${id}: Story ${i + 1}`, { Status: status, Epic: epic, Owner: 'Ann', Priority: 'P1', 'Story Points': '3' });
  });
  return out;
}

async function registerAndSync(h: Harness, name: string, dir: string): Promise<string> {
  const slug = await h.register(name, dir);
  const r = await h.api.post(`/projects/${slug}/sync`);
  assert.equal(r.status, 202, r.text);
  const o = await h.syncDone(slug);
  assert.equal(o.sync_status, 'synced', o.sync_error ?? '');
  return slug;
}

describe('statistics and health check API (R12–R14)', function () {
  this.timeout(30_000);
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness();
  });
  afterEach(async () => h.close());

  it('R12 with no projects: zeros, empty maps, 0.0, []', async () => {
    const r = await h.api.get('/stats');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(r.json, { total_projects: 0, total_documents: 0, by_type: {}, by_status: {}, completion_percentage: 0, projects: [] });
  });

  it('the worked example (§6.3): A 80.0, B 20.0, aggregate 60.0 weighted by stories, projects in created_at order', async () => {
    const a = writeProject(h, 'alpha', {
      ...stories(['Done', 'Done', 'Done', 'done', 'Done', 'Done', 'Done', 'Superseded', 'Draft', 'Draft']),
      'epics/EP0001-one.md': md('EP0001: One', { Status: 'In Progress', Owner: 'Ann' }),
      'epics/EP0002-two.md': md('EP0002: Two', { Status: 'Draft', Owner: 'Ann' }),
      'epics/EP0003-three.md': md('EP0003: Three', { Owner: 'Ann' }),
      'PRD.md': md('Product Requirements', {}),
    });
    const b = writeProject(h, 'beta', stories(['Done', 'Draft', 'Ready', 'In Progress', 'Blocked']));
    const slugA = await registerAndSync(h, 'Alpha', a);
    const slugB = await registerAndSync(h, 'Beta', b);

    const ra = await h.api.get(`/projects/${slugA}/stats`);
    assert.equal(ra.status, 200);
    const projectA = (await h.api.get(`/projects/${slugA}`)).json;
    assert.deepEqual(ra.json, {
      slug: 'alpha',
      name: 'Alpha',
      total_documents: 14,
      by_type: { story: 10, epic: 3, prd: 1 },
      by_status: { Done: 7, Superseded: 1, Draft: 3, 'In Progress': 1, null: 2 }, // "done" is stored canonical
      completion_percentage: 80,
      last_synced_at: projectA.last_synced_at,
    });
    assert.ok(projectA.last_synced_at);
    assert.equal((await h.api.get(`/projects/${slugB}/stats`)).json.completion_percentage, 20);

    const all = await h.api.get('/stats');
    assert.equal(all.status, 200);
    assert.deepEqual(Object.keys(all.json), ['total_projects', 'total_documents', 'by_type', 'by_status', 'completion_percentage', 'projects']);
    assert.equal(all.json.total_projects, 2);
    assert.equal(all.json.total_documents, 19);
    assert.equal(all.json.completion_percentage, 60); // 9/15, not the mean 50
    assert.deepEqual(all.json.by_type, { story: 15, epic: 3, prd: 1 });
    assert.deepEqual(all.json.by_status, { Done: 8, Superseded: 1, Draft: 4, 'In Progress': 2, Ready: 1, Blocked: 1, null: 2 });
    assert.deepEqual(
      all.json.projects.map((p: Record<string, unknown>) => [p.slug, p.name, p.total_documents, p.completion_percentage, Object.keys(p).length]),
      [['alpha', 'Alpha', 14, 80, 5], ['beta', 'Beta', 5, 20, 5]],
    );
  });

  it('R13: unknown slug → 404; a project without documents → 0, {}, {}, 0.0 (and it still appears in R12)', async () => {
    expectEnvelope(await h.api.get('/projects/nope/stats'), 404, 'NOT_FOUND');
    const slug = await h.register('Empty', writeProject(h, 'empty', { 'notes.txt': 'not markdown' }));
    const r = await h.api.get(`/projects/${slug}/stats`);
    assert.deepEqual(r.json, { slug, name: 'Empty', total_documents: 0, by_type: {}, by_status: {}, completion_percentage: 0, last_synced_at: null });
    assert.deepEqual((await h.api.get('/stats')).json.projects, [{ slug, name: 'Empty', total_documents: 0, completion_percentage: 0, last_synced_at: null }]);
  });

  it('R14: api.md §8 shape; body **Epic:** lines and header-only stubs read from the stored rows; 404 for an unknown slug', async () => {
    const dir = writeProject(h, 'gamma', {
      'PRD.md': md('Product', {}),
      'epics/EP0001-one.md': md('EP0001: One', { Status: 'In Progress', Owner: 'Ann' }),
      // no Epic header, but an **Epic:** line in the body: not STORY_NO_EPIC
      'stories/US0001-a.md': md('US0001: A', { Status: 'Done', Owner: 'Ann' }, `${BODY}\n**Epic:** [EP0001: One](../epics/EP0001-one.md)\n`),
      // header only, body of whitespace: EMPTY_CONTENT (and no epic at all: STORY_NO_EPIC)
      'stories/US0002-b.md': md('US0002: B', { Status: 'Done', Owner: 'Ann' }, '\n\u00a0\n   \n'),
    });
    const slug = await registerAndSync(h, 'Gamma', dir);
    const r = await h.api.get(`/projects/${slug}/health-check`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.json), ['project_slug', 'checked_at', 'total_documents', 'findings', 'summary', 'score']);
    assert.equal(r.json.project_slug, slug);
    assert.match(r.json.checked_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    assert.equal(r.json.total_documents, 4);
    const got = r.json.findings.map((f: { rule_id: string; affected_documents: { doc_id: string }[] }) => `${f.rule_id}:${f.affected_documents.map((d) => d.doc_id).join('+')}`);
    // EPIC_NO_STORIES reads only the stories' Epic fields, not body lines (§3 rule 5)
    assert.deepEqual(got, ['MISSING_TRD:', 'EPIC_NO_STORIES:EP0001-one', 'STORY_NO_EPIC:US0002-b', 'EMPTY_CONTENT:US0002-b']);
    for (const f of r.json.findings) {
      assert.deepEqual(Object.keys(f), ['rule_id', 'severity', 'category', 'message', 'affected_documents', 'suggested_fix']);
      for (const d of f.affected_documents) assert.deepEqual(Object.keys(d), ['doc_id', 'doc_type', 'title']);
    }
    assert.deepEqual(r.json.findings[2].affected_documents, [{ doc_id: 'US0002-b', doc_type: 'story', title: 'US0002: B' }]);
    assert.deepEqual(r.json.summary, { critical: 0, high: 4, medium: 0, low: 0 });
    assert.equal(r.json.score, 80);
    expectEnvelope(await h.api.get('/projects/nope/health-check'), 404, 'NOT_FOUND');
  });

  it('R14 disabled_rules=A,B: those rules are skipped for the run; an unknown id → 422 before the slug lookup', async () => {
    const slug = await registerAndSync(h, 'Delta', writeProject(h, 'delta', { 'stories/US0001-a.md': md('US0001: A', { Status: 'Draft' }) }));
    const ids = async (q = ''): Promise<string[]> =>
      (await h.api.get(`/projects/${slug}/health-check${q}`)).json.findings.map((f: { rule_id: string }) => f.rule_id);
    const before = await ids();
    assert.ok(before.includes('MISSING_PRD') && before.includes('MISSING_OWNER'), before.join());
    const after = await ids('?disabled_rules=MISSING_PRD,missing_owner');
    assert.deepEqual(after, before.filter((id) => id !== 'MISSING_PRD' && id !== 'MISSING_OWNER'));
    const bad = expectEnvelope(await h.api.get('/projects/nope/health-check?disabled_rules=MISSING_PRD,NOT_A_RULE'), 422, 'VALIDATION_ERROR');
    assert.match(bad, /query\.disabled_rules: unknown rule id "NOT_A_RULE"/);
    expectEnvelope(await h.api.post(`/projects/${slug}/health-check`), 405, 'METHOD_NOT_ALLOWED');
  });
});

describe('round1 (Python rounding) and completion', () => {
  it('ties of the binary value go to the even digit; other values round to nearest', () => {
    assert.deepEqual([round1(0.25), round1(0.75), round1(12.25), round1(2.675), round1(66.66666)], [0.2, 0.8, 12.2, 2.7, 66.7]);
    assert.deepEqual([completionPercentage(1, 400), completionPercentage(3, 400), completionPercentage(85, 100), completionPercentage(0, 0)], [0.2, 0.8, 85, 0]);
    assert.equal(completionPercentage(2, 3), 66.7);
  });
});
