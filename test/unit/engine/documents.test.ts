// Document queries (api.md §5) on synced real corpora: list filters, sort, paging and caps; detail
// NOT_FOUND cases; relationships on the lens corpus with parents/children read from its files.
import assert from 'node:assert/strict';
import type { Engine } from '../../../src/core/engine';
import { describeShared, FIXTURES, LENS, LENS_DOCS, registerAndSync, rejectsWith, Sandbox } from './helpers';

// Needs the real corpora (../shared/corpus): registered only when they exist.
describeShared('documents (api.md §5)', () => {
  let sb: Sandbox;
  let engine: Engine;
  before(async () => {
    sb = new Sandbox();
    engine = await sb.engine();
    await registerAndSync(engine, 'Lens', sb.corpus('lens', LENS));
    const fx = sb.corpus('fx', FIXTURES);
    // same (type, doc_id) twice: the smallest file_path wins
    sb.write(fx, 'stories/archive/US0001-create-widget.md', '# US0001: Archived copy\n\n> **Status:** Superseded\n');
    await registerAndSync(engine, 'Fixtures', fx);
  });
  after(() => sb.dispose());

  describe('list', () => {
    it('defaults: page 1, 50 per page, newest first, no content, every field present', () => {
      const page = engine.listDocuments('lens');
      assert.deepEqual([page.total, page.page, page.per_page, page.pages, page.items.length], [LENS_DOCS, 1, 50, 4, 50]);
      const keys = ['doc_id', 'type', 'title', 'status', 'owner', 'priority', 'story_points', 'epic', 'story', 'updated_at'];
      for (const item of page.items) assert.deepEqual(Object.keys(item).sort(), [...keys].sort());
      for (let i = 1; i < page.items.length; i++) assert.ok(page.items[i - 1].updated_at >= page.items[i].updated_at);
    });

    it('paging: per_page capped at 100, floors at 1, a page beyond the last is empty with total kept', () => {
      const capped = engine.listDocuments('lens', { per_page: 500 });
      assert.deepEqual([capped.per_page, capped.pages, capped.items.length], [100, 2, 100]);
      const last = engine.listDocuments('lens', { per_page: 100, page: 2 });
      assert.equal(last.items.length, LENS_DOCS - 100);
      assert.equal(engine.listDocuments('lens', { per_page: 0 }).per_page, 1);
      const beyond = engine.listDocuments('lens', { page: 99 });
      assert.deepEqual([beyond.items.length, beyond.total, beyond.page], [0, LENS_DOCS, 99]);
      // all pages together are every document exactly once (stable order across pages)
      const ids = [1, 2, 3, 4, 5, 6, 7].flatMap((p) => engine.listDocuments('lens', { per_page: 30, page: p, sort: 'status' }).items.map((i) => `${i.type}/${i.doc_id}`));
      assert.equal(ids.length, LENS_DOCS);
      assert.equal(new Set(ids).size, LENS_DOCS);
    });

    it('filters: type exact, status exact and case-sensitive, "none" = null status, AND-combined', () => {
      const stories = engine.listDocuments('lens', { type: 'story', per_page: 100 });
      assert.equal(stories.total, 48);
      assert.ok(stories.items.every((i) => i.type === 'story'));
      assert.equal(engine.listDocuments('lens', { type: 'nonsense' }).total, 0);
      assert.equal(engine.listDocuments('lens', { type: 'Story' }).total, 0);
      const done = engine.listDocuments('lens', { type: 'story', status: 'Done', per_page: 100 });
      assert.ok(done.total > 0 && done.items.every((i) => i.status === 'Done' && i.type === 'story'));
      assert.equal(engine.listDocuments('lens', { status: 'done' }).total, 0);
      const none = engine.listDocuments('lens', { status: 'none', per_page: 100 });
      assert.ok(none.total > 0 && none.items.every((i) => i.status === null));
      const all = engine.listDocuments('lens', { per_page: 100 }).total;
      assert.equal(all, LENS_DOCS);
      const inProgress = engine.listDocuments('lens', { status: 'In Progress', per_page: 100 });
      assert.ok(inProgress.items.every((i) => i.status === 'In Progress'));
    });

    it('sort by title/type/status asc and desc, nulls first ascending, tie-break by file_path', () => {
      const all = engine.exportDocuments('lens');
      const pathOf = new Map(all.map((d) => [`${d.type}/${d.doc_id}`, d.file_path]));
      for (const sort of ['title', 'type', 'status'] as const) {
        for (const order of ['asc', 'desc'] as const) {
          const items = [1, 2].flatMap((page) => engine.listDocuments('lens', { sort, order, per_page: 100, page }).items);
          const key = (i: (typeof items)[number]) => (sort === 'title' ? i.title : sort === 'type' ? i.type : i.status);
          for (let n = 1; n < items.length; n++) {
            const a = key(items[n - 1]);
            const b = key(items[n]);
            if (a === b) {
              assert.ok(pathOf.get(`${items[n - 1].type}/${items[n - 1].doc_id}`)! < pathOf.get(`${items[n].type}/${items[n].doc_id}`)!, 'tie-break');
            } else if (order === 'asc') {
              assert.ok(a === null || (b !== null && a < b), `${sort} asc: ${a} before ${b}`);
            } else {
              assert.ok(b === null || (a !== null && a > b), `${sort} desc: ${a} before ${b}`);
            }
          }
        }
      }
    });

    it('unknown project → NOT_FOUND', async () => {
      await rejectsWith(() => engine.listDocuments('ghost'), 'NOT_FOUND', 'Project not found');
    });
  });

  describe('detail', () => {
    it('singletons, metadata and content without the header', () => {
      const prd = engine.getDocument('lens', 'prd', 'prd');
      assert.equal(prd.file_path, 'prd.md');
      const story = engine.getDocument('lens', 'story', 'US0001-register-new-project');
      assert.equal(story.title, 'US0001: Register a New Project');
      assert.deepEqual([story.status, story.owner, story.epic], ['Done', 'Darren', 'EP0001']);
      assert.ok(!story.content.includes('**Status:**'), 'header block removed from content');
      assert.match(story.content, /## User Story/);
      assert.ok(story.metadata && typeof story.metadata === 'object');
    });

    it('NOT_FOUND: unknown project, wrong type, bare id, unknown id', async () => {
      await rejectsWith(() => engine.getDocument('ghost', 'prd', 'prd'), 'NOT_FOUND', 'Project not found');
      await rejectsWith(() => engine.getDocument('lens', 'epic', 'US0001-register-new-project'), 'NOT_FOUND', 'Document not found');
      await rejectsWith(() => engine.getDocument('lens', 'story', 'US0001'), 'NOT_FOUND', 'Document not found');
      await rejectsWith(() => engine.getDocument('lens', 'story', 'US9999-nope'), 'NOT_FOUND');
      await rejectsWith(() => engine.getDocument('fixtures', 'story', 'US0001-register-new-project'), 'NOT_FOUND');
    });

    it('two files sharing (type, doc_id): the smallest file_path is returned', () => {
      const d = engine.getDocument('fixtures', 'story', 'US0001-create-widget');
      assert.equal(d.file_path, 'stories/US0001-create-widget.md');
      assert.equal(d.title, 'US0001: Create Widget');
      assert.equal(engine.getProject('fixtures').document_count, 11);
    });

    it('exportDocuments / documentSummaries: every document, sorted by file_path, no content', () => {
      const docs = engine.exportDocuments('lens');
      assert.equal(docs.length, LENS_DOCS);
      assert.deepEqual(docs.map((d) => d.file_path), docs.map((d) => d.file_path).sort());
      assert.ok(docs.every((d) => !('content' in d)));
      assert.deepEqual(engine.documentSummaries('lens').map((d) => d.file_path), docs.map((d) => d.file_path));
    });

    it('locate maps an absolute file path to its project and document', () => {
      const root = engine.getProject('lens').sdlc_path!;
      assert.deepEqual(engine.locate(`${root}/stories/US0001-register-new-project.md`), {
        slug: 'lens', file_path: 'stories/US0001-register-new-project.md', type: 'story', doc_id: 'US0001-register-new-project',
      });
      assert.equal(engine.locate('/definitely/elsewhere.md'), null);
    });
  });

  describe('related (documents.md §7) on the lens corpus', () => {
    const ids = (list: { doc_id: string }[]) => list.map((d) => d.doc_id);

    it('story US0001: parent EP0001; children = the plan and workflow naming it as story', () => {
      const r = engine.relatedDocuments('lens', 'story', 'US0001-register-new-project');
      assert.deepEqual(ids(r.parents), ['EP0001-project-management']);
      assert.deepEqual(ids(r.children), ['PL0001-register-new-project', 'WF0001-register-new-project']);
      assert.deepEqual(r.children.map((c) => c.type), ['plan', 'workflow']);
    });

    it('plan PL0001: parents nearest first (story, then its epic); no children', () => {
      const r = engine.relatedDocuments('lens', 'plan', 'PL0001-register-new-project');
      assert.deepEqual(ids(r.parents), ['US0001-register-new-project', 'EP0001-project-management']);
      assert.deepEqual(r.children, []);
    });

    it('epic EP0001: no parents; children = docs with epic EP0001 and no story, by type then doc_id', () => {
      const r = engine.relatedDocuments('lens', 'epic', 'EP0001-project-management');
      assert.deepEqual(r.parents, []);
      assert.deepEqual(ids(r.children), [
        'US0001-register-new-project', 'US0002-project-list-and-management-api', 'US0003-trigger-sync-and-track-status',
        'US0004-settings-page-project-management', 'US0005-sidebar-project-navigation',
        'TS0001-register-new-project', 'TS0002-project-list-and-management-api', 'TS0003-trigger-sync-and-track-status',
        'TS0004-settings-page-project-management', 'TS0005-sidebar-project-navigation',
      ]);
    });

    it('depends_on in declared order and dependents', () => {
      const cr = engine.relatedDocuments('lens', 'cr', 'CR-01KX95WV-low-severity-crs-consolidated');
      assert.deepEqual(ids(cr.depends_on), [
        'BG-01KX95DB-ref-id-not-backfilled-after-migration-007-relationship',
        'BG-01KX95QP-sdlc-path-allowlist-bypassable-via-a-two-step',
        'CR-01KX95FH-low-severity-bugs-consolidated',
      ]);
      const bug = engine.relatedDocuments('lens', 'bug', 'BG-01KX8BY1-blocking-tarball-extraction-and-filesystem-walk-run-on');
      assert.deepEqual(ids(bug.depends_on), ['BG-01KX8B04-failed-sync-can-leave-a-project-permanently-stuck']);
      assert.deepEqual(ids(bug.dependents), ['CR-01KX8B83-low-severity-crs-consolidated']);
    });

    it('PRD: all four lists empty; unknown document → NOT_FOUND "Document not found: <type>/<doc_id>"', async () => {
      const r = engine.relatedDocuments('lens', 'prd', 'prd');
      assert.deepEqual([r.parents, r.children, r.depends_on, r.dependents], [[], [], [], []]);
      await rejectsWith(() => engine.relatedDocuments('lens', 'story', 'US0001'), 'NOT_FOUND', 'Document not found: story/US0001');
      await rejectsWith(() => engine.relatedDocuments('ghost', 'prd', 'prd'), 'NOT_FOUND', 'Project not found');
    });
  });
});
