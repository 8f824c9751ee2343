// Issue 9: the parser corrections bump PARSER_EPOCH, so rows stored by the previous parser are
// re-derived once on the next sync although their bytes are unchanged (sync.md §6). Real temp
// folder, real engine, real database file read back.
import assert from 'node:assert/strict';
import { PARSER_EPOCH } from '../../../src/core/parse';
import { dbModify, dbRows, registerAndSync, Sandbox, syncNow } from '../engine/helpers';

const FILES: Record<string, string> = {
  'stories/US0042-export.md':
    '<!--\nTemplate: User Story (Streamlined)\nFile: sdlc-studio/stories/US{NNNN}-{slug}.md\n-->\n# US0042: Export\n\n> **Status:** In Progress\n> **Epic:** EP0007\n> **Owner:** Sam\n\n## User Story\nBody of the story, long enough to be content.\n',
  'decisions/BG0074.md': '# BG0074 decision ledger\n\n> **Status:** Accepted\n\nWhy we fixed it this way.\n',
  'bugs/BG0074-login.md': '# BG0074: Login fails\n\n> **Status:** Open\n\nSteps.\n',
  'issues/IS0001-flaky.md': '# IS0001: Flaky sync\n\n> **Status:** Triaging\n\nSeen twice.\n',
};

/** What parser epoch 1 stored for these files (before the corrections). */
function applyEpoch1(db: { run(sql: string, params?: (string | number | null)[]): unknown }): void {
  db.run("UPDATE documents SET parser_epoch = 1");
  db.run("UPDATE documents SET doc_type = 'bug' WHERE file_path = 'decisions/BG0074.md'");
  db.run("UPDATE documents SET doc_type = 'other', ref_id = NULL, status = 'Triaging' WHERE file_path = 'issues/IS0001-flaky.md'");
  db.run("UPDATE documents SET status = NULL, epic = NULL, owner = NULL, content = ? WHERE file_path = 'stories/US0042-export.md'", [
    FILES['stories/US0042-export.md']!,
  ]);
}

const COLUMNS = 'file_path, doc_type, doc_id, ref_id, title, status, owner, epic, content, parser_epoch';

describe('parse/epoch: the corrections re-derive stored rows once', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = new Sandbox();
  });
  afterEach(() => sb.dispose());

  it('PARSER_EPOCH is 2 (bumped for issue 9)', () => {
    assert.equal(PARSER_EPOCH, 2);
  });

  it('rows left by parser epoch 1 are re-parsed on the next sync, then skipped', async () => {
    const root = sb.dir('proj/sdlc-studio');
    for (const [rel, text] of Object.entries(FILES)) sb.write(root, rel, text);
    const engine = await sb.engine();
    const first = await registerAndSync(engine, 'Epoch', root);
    assert.equal(first.added, 4);
    const fresh = await dbRows(sb.dbPath, `SELECT ${COLUMNS} FROM documents ORDER BY file_path`);
    const byPath = new Map(fresh.map((r) => [r.file_path, r]));
    assert.equal(byPath.get('decisions/BG0074.md')!.doc_type, 'decision');
    assert.equal(byPath.get('issues/IS0001-flaky.md')!.doc_type, 'issue');
    assert.equal(byPath.get('issues/IS0001-flaky.md')!.ref_id, 'IS0001');
    assert.equal(byPath.get('stories/US0042-export.md')!.status, 'In Progress');
    assert.equal(byPath.get('stories/US0042-export.md')!.epic, 'EP0007');
    assert.ok(String(byPath.get('stories/US0042-export.md')!.content).startsWith('\n## User Story'));
    await engine.close();

    // The database as the previous parser left it: same bytes, old derived values, epoch 1.
    await dbModify(sb.dbPath, applyEpoch1);
    const stale = await dbRows(sb.dbPath, `SELECT ${COLUMNS} FROM documents ORDER BY file_path`);
    assert.notDeepEqual(stale, fresh);

    const e2 = await sb.engine();
    const { slug } = e2.listProjects()[0]!;
    const o1 = await syncNow(e2, slug);
    assert.deepEqual([o1.added, o1.updated, o1.skipped, o1.deleted, o1.errors], [0, 4, 0, 0, 0]);
    assert.deepEqual(await dbRows(sb.dbPath, `SELECT ${COLUMNS} FROM documents ORDER BY file_path`), fresh);
    assert.equal(e2.getDocument(slug, 'decision', 'BG0074').file_path, 'decisions/BG0074.md');

    const o2 = await syncNow(e2, slug);
    assert.deepEqual([o2.updated, o2.skipped], [0, 4]);
  });
});
