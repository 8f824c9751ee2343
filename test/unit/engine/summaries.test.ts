// A project's document summaries (the tree's groups, Open by Id, the board, the dashboard) are
// read from the health check's covering index as one JSON array (documents.ts summaries). They must
// be what the table query before answered: this test runs that query with a separate sql.js on the
// database file and compares every type's list, the whole project's and some paths', in SQLite's
// path order (code points: two paths here sort the other way by UTF-16 unit) with metadata,
// references, points, blanks and non-ASCII text.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SqlValue } from 'sql.js';
import type { DocumentSummary } from '../../../src/core/engine-api';
import { dbRows, foldNow, registerAndSync, sandboxPerTest, syncNow } from './helpers';

type Row = Record<string, SqlValue>;

/** The summaries as the table query computed them (the code before), on the file as stored. */
async function expected(dbPath: string, projectId: SqlValue, type?: string, paths?: string[]): Promise<DocumentSummary[]> {
  const params: SqlValue[] = [projectId];
  let where = 'project_id = ?';
  if (type !== undefined) {
    where += ' AND doc_type = ?';
    params.push(type);
  }
  if (paths) {
    where += ` AND file_path IN (${paths.map(() => '?').join(', ')})`;
    params.push(...paths);
  }
  const rows = await dbRows(
    dbPath,
    `SELECT doc_id, doc_type, title, status, owner, priority, story_points, epic, story, synced_at, metadata, file_path, ref_id
       FROM documents WHERE ${where} ORDER BY file_path`,
    params,
  );
  const str = (v: SqlValue) => (v === null ? null : String(v));
  return rows.map((r: Row) => ({
    doc_id: String(r.doc_id),
    type: String(r.doc_type),
    title: String(r.title),
    status: str(r.status),
    owner: str(r.owner),
    priority: str(r.priority),
    story_points: r.story_points === null ? null : Number(r.story_points),
    epic: str(r.epic),
    story: str(r.story),
    updated_at: String(r.synced_at),
    file_path: String(r.file_path),
    ref_id: str(r.ref_id),
    metadata: r.metadata === null ? null : (JSON.parse(String(r.metadata)) as Record<string, string>),
  }));
}

const doc = (title: string, fields: Record<string, string>, body = 'Body.') =>
  `# ${title}\n\n${Object.entries(fields)
    .map(([k, v]) => `> **${k}:** ${v}`)
    .join('\n')}\n\n${body}\n`;

describe('document summaries from the covering index', () => {
  const t = sandboxPerTest();

  it('every type, the whole project and a set of paths list what the table query answers, in code-point path order', async () => {
    const root = t.sb.corpus('s');
    // two stories whose paths sort one way by code point (U+FF21 first) and the other by UTF-16 unit
    t.sb.write(root, 'stories/US0901-\u{1F600}.md', doc('US0901: Emoji \u{1F600}', { Status: 'Draft', Epic: 'EP0001', Owner: 'Zoë', 'Story Points': '5' }));
    t.sb.write(root, 'stories/US0901-\uFF21.md', doc('US0901: Fullwidth', { Status: 'Done', Priority: 'P1', Reviewer: 'Ana "Quote" Lee', Sprint: '12\\13' }));
    t.sb.write(root, 'stories/US0902-points.md', doc('US0902: Unparsable points', { Status: 'Ready', 'Story Points': 'lots' }, 'x'.repeat(20_000)));
    t.sb.write(root, 'bugs/BG0900-blank.md', '# BG0900\n\nNo header at all.\n');
    await registerAndSync(t.engine, 'S', root);
    await foldNow(t.engine);
    const [{ id: projectId }] = await dbRows(t.sb.dbPath, "SELECT id FROM projects WHERE slug = 's'");
    const check = async () => {
      const types = (await dbRows(t.sb.dbPath, 'SELECT DISTINCT doc_type FROM documents WHERE project_id = ?', [projectId])).map((r) => String(r.doc_type));
      assert.ok(types.length >= 6, `types ${types}`);
      for (const type of types) assert.deepEqual(t.engine.documentsOfType('s', type), await expected(t.sb.dbPath, projectId, type), type);
      const all = await expected(t.sb.dbPath, projectId);
      assert.deepEqual(t.engine.documentSummaries('s'), all);
      const some = all.filter((_, i) => i % 3 === 0).map((d) => d.file_path);
      assert.deepEqual(t.engine.documentsAt('s', some), await expected(t.sb.dbPath, projectId, undefined, some));
      return all;
    };
    const all = await check();
    const stories = all.filter((d) => d.doc_id === 'US0901-\uFF21' || d.doc_id === 'US0901-\u{1F600}').map((d) => d.title);
    assert.deepEqual(stories, ['US0901: Fullwidth', 'US0901: Emoji \u{1F600}'], 'code-point order, not UTF-16');
    assert.ok(all.some((d) => d.metadata !== null && d.metadata.reviewer === 'Ana "Quote" Lee'), 'metadata read back');
    assert.equal(t.engine.documentsOfType('s', 'no-such-type').length, 0);

    // after a sync that changes a row and removes one: the same
    t.sb.write(root, 'stories/US0902-points.md', doc('US0902: Points now', { Status: 'Done', 'Story Points': '3' }));
    fs.rmSync(path.join(root, 'bugs/BG0900-blank.md'));
    await syncNow(t.engine, 's');
    await foldNow(t.engine);
    await check();
  });
});
