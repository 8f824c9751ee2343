// A document's relations come from the project's link columns read once per store state
// (core/linkGraph.ts) instead of four to six statements a call. They must be what those statements
// answer, with SQLite's own rules: this test computes every document's relations with the
// statements themselves, run by a separate sql.js on the database file, and compares. The corpus
// adds what the sample lacks: aliases, references in other letter case, a reference written with
// `_`, two documents sharing an id whose paths sort differently by UTF-16 unit and by code point.
import assert from 'node:assert/strict';
import type { SqlValue } from 'sql.js';
import type { RelatedDocuments } from '../../../src/core/types';
import { dbRows, foldNow, registerAndSync, sandboxPerTest, syncNow } from './helpers';

type Row = Record<string, SqlValue>;
const COLS = 'id, doc_id, doc_type, title, status, epic, story';
const TITLE_US0001 = 'US0001: Browse rooms by floor';

/** documents.md §7 as the statements compute it (the code before linkGraph.ts), on the file as stored. */
async function expectedRelated(dbPath: string, projectId: number, self: Row): Promise<RelatedDocuments> {
  const rows = (sql: string, params: SqlValue[]) => dbRows(dbPath, sql, params);
  const selfId = Number(self.id);
  const selfRef = (self.ref_id as string | null) ?? null;
  const resolve = async (ref: SqlValue): Promise<Row | undefined> => {
    if (ref === null || ref === '') return undefined;
    const [r] = await rows(`SELECT ${COLS} FROM documents WHERE project_id = ? AND (ref_id = ? OR aliases LIKE ?) ORDER BY file_path LIMIT 1`, [
      projectId,
      ref,
      `%"${String(ref)}"%`,
    ]);
    return r && Number(r.id) !== selfId ? r : undefined;
  };
  const parents: Row[] = [];
  if (self.story !== null) {
    const story = await resolve(self.story);
    if (story) {
      parents.push(story);
      const epic = await resolve(story.epic);
      if (epic && Number(epic.id) !== Number(story.id)) parents.push(epic);
    }
  } else if (self.epic !== null) {
    const epic = await resolve(self.epic);
    if (epic) parents.push(epic);
  }
  let children: Row[] = [];
  if (selfRef && (self.doc_type === 'epic' || self.doc_type === 'story')) {
    const condition = self.doc_type === 'epic' ? 'epic = ? AND story IS NULL' : 'story = ?';
    children = await rows(`SELECT ${COLS} FROM documents WHERE project_id = ? AND ${condition} AND id != ? ORDER BY doc_type, doc_id`, [projectId, selfRef, selfId]);
  }
  const dependsOn: Row[] = [];
  for (const ref of (self.depends_on ? (JSON.parse(String(self.depends_on)) as string[]) : [])) {
    const r = await resolve(ref);
    if (r && !dependsOn.some((d) => d.id === r.id)) dependsOn.push(r);
  }
  const dependents = selfRef
    ? await rows(`SELECT ${COLS} FROM documents WHERE project_id = ? AND depends_on LIKE ? AND id != ? ORDER BY doc_type, doc_id`, [projectId, `%"${selfRef}"%`, selfId])
    : [];
  const item = (r: Row) => ({ doc_id: String(r.doc_id), type: String(r.doc_type), title: String(r.title), status: r.status === null ? null : String(r.status) });
  return {
    doc_id: String(self.doc_id),
    type: String(self.doc_type),
    title: String(self.title),
    parents: parents.map(item),
    children: children.map(item),
    depends_on: dependsOn.map(item),
    dependents: dependents.map(item),
  };
}

const doc = (title: string, fields: Record<string, string>) =>
  `# ${title}\n\n${Object.entries(fields)
    .map(([k, v]) => `> **${k}:** ${v}`)
    .join('\n')}\n\nBody.\n`;

describe('related documents from the link graph', () => {
  const t = sandboxPerTest();

  it("every document's relations are what the statements answer on the stored file, and follow the next sync", async () => {
    const root = t.sb.corpus('g');
    t.sb.write(root, 'epics/EP0900-aliased-epic.md', doc('EP0900: Aliased epic', { Status: 'Draft', Aliases: 'EP0899, EP0898' }));
    t.sb.write(root, 'stories/US0900-under-an-alias.md', doc('US0900: Under an alias', { Status: 'Draft', Epic: 'EP0899', 'Depends on': 'US0901, EP0898, US0001' }));
    // two stories share US0901; SQLite orders their paths by code point (U+FF21 first), UTF-16 units the other way
    t.sb.write(root, 'stories/US0901-\u{1F600}.md', doc('US0901: Emoji', { Status: 'Draft', Epic: 'EP0900' }));
    t.sb.write(root, 'stories/US0901-\uFF21.md', doc('US0901: Fullwidth', { Status: 'Done', Epic: 'EP0900' }));
    t.sb.write(root, 'plans/PL0900-for-us0900.md', doc('PL0900: Plan', { Status: 'Draft', Story: 'US0900' }));
    t.sb.write(root, 'bugs/BG0900-lower-case.md', doc('BG0900: Lower case refs', { Status: 'Open', 'Depends on': 'us0900, ep0900' }));
    await registerAndSync(t.engine, 'G', root);
    await foldNow(t.engine);
    const [{ id: projectId }] = await dbRows(t.sb.dbPath, "SELECT id FROM projects WHERE slug = 'g'");
    const check = async (): Promise<number> => {
      const all = await dbRows(t.sb.dbPath, 'SELECT id, doc_id, doc_type, title, status, epic, story, ref_id, depends_on FROM documents WHERE project_id = ?', [projectId]);
      let withRelations = 0;
      for (const self of all) {
        const got = t.engine.relatedDocuments('g', String(self.doc_type), String(self.doc_id));
        if (got.parents.length + got.children.length + got.depends_on.length + got.dependents.length > 0) withRelations++;
        // where two rows share (type, doc_id), the engine answers for the first by path: compare with that one
        const [first] = await dbRows(t.sb.dbPath, 'SELECT id FROM documents WHERE project_id = ? AND doc_type = ? AND doc_id = ? ORDER BY file_path LIMIT 1', [
          projectId,
          self.doc_type,
          self.doc_id,
        ]);
        if (first.id !== self.id) continue;
        assert.deepEqual(got, await expectedRelated(t.sb.dbPath, Number(projectId), self), `${self.doc_type}/${self.doc_id}`);
      }
      return withRelations;
    };
    assert.ok((await check()) > 20, 'most documents have relations');
    const us0900 = t.engine.relatedDocuments('g', 'story', 'US0900-under-an-alias');
    assert.deepEqual(us0900.parents.map((p) => p.doc_id), ['EP0900-aliased-epic'], 'the epic found by its alias');
    // US0901 is the first by path in SQLite's order (code points), EP0898 an alias of EP0900
    assert.deepEqual(us0900.depends_on.map((p) => p.title), ['US0901: Fullwidth', 'EP0900: Aliased epic', TITLE_US0001]);

    // a sync that changes the links: the next answer reads them again
    t.sb.write(root, 'stories/US0900-under-an-alias.md', doc('US0900: Under an alias', { Status: 'Draft', Epic: 'EP0001' }));
    await syncNow(t.engine, 'g');
    await foldNow(t.engine);
    assert.deepEqual(t.engine.relatedDocuments('g', 'story', 'US0900-under-an-alias').depends_on, []);
    await check();
  });
});
