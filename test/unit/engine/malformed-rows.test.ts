// One malformed stored row degrades that row only, never the whole list or tree (BG-01KX95AZ).
import assert from 'node:assert/strict';
import { dbModify, registerAndSync, SAMPLE_DOCS, Sandbox } from './helpers';

describe('malformed stored rows', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = new Sandbox();
  });
  afterEach(() => sb.dispose());

  it('invalid metadata / aliases / depends_on JSON and an unknown project status degrade that item only', async () => {
    const e = await sb.engine();
    await registerAndSync(e, 'Bad Rows', sb.corpus('bad'));
    const victim = e.documentSummaries('bad-rows')[0];
    await e.close();
    await dbModify(sb.dbPath, (db) => {
      db.run("UPDATE documents SET metadata = '{not json', aliases = '[\"x\"', depends_on = '{\"a\":1}' WHERE file_path = ?", [victim.file_path]);
      // the CHECK constraint stops a bad status today; an image written before it (or by hand) may still hold one
      db.run('PRAGMA ignore_check_constraints = ON');
      db.run("UPDATE projects SET sync_status = 'bogus' WHERE slug = 'bad-rows'");
    });
    const e2 = await sb.engine();
    const p = e2.getProject('bad-rows');
    assert.deepEqual([p.sync_status, p.document_count], ['error', SAMPLE_DOCS]);
    assert.match(p.sync_error!, /Unrecognised stored sync status: bogus/);
    assert.equal(e2.listProjects().length, 1);
    const summaries = e2.documentSummaries('bad-rows');
    assert.equal(summaries.length, SAMPLE_DOCS);
    assert.equal(summaries.find((s) => s.file_path === victim.file_path)!.metadata, null);
    assert.equal(e2.listDocuments('bad-rows', { per_page: 100 }).total, SAMPLE_DOCS);
    const exported = e2.exportDocuments('bad-rows');
    const bad = exported.find((d) => d.file_path === victim.file_path)!;
    assert.deepEqual([bad.metadata, bad.aliases, bad.depends_on], [null, null, null]);
    const detail = e2.getDocument('bad-rows', victim.type, victim.doc_id);
    assert.equal(detail.metadata, null);
    e2.relatedDocuments('bad-rows', victim.type, victim.doc_id); // does not throw
  });
});
