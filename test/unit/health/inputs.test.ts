// What statistics and the health check read, on real engines over real database files: the trimmed
// body length SQLite stores at write time (schema migration 4), the indexes that let both read no
// document content, and the per-process memo of the check's rows, which must show every change (a
// sync in this process, another engine, an outside writer) and never change a result.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bodyLength, runHealthCheck, type HealthDoc, type HealthReport } from '../../../src/core/health';
import { TRIM_CHARS } from '../../../src/core/health/docs';
import { healthDocsOf } from '../../../src/core/health/inputs';
import { HEALTH_COLUMNS, HEALTH_INDEX, readHealthDocs, STATS_INDEX } from '../../../src/core/health/queries';
import { Store } from '../../../src/core/store/database';
import { SCHEMA_VERSION } from '../../../src/core/store/schema';
import { dbModify, dbRows, Sandbox, syncNow } from '../engine/helpers';

const NOW = '2030-01-01T00:00:00.000Z';
const BODY = '\n## Description\n\nEnough words here to make this a real document body, well over fifty characters.\n';

function story(n: number, fields: Record<string, string> = {}, body = BODY): [string, string] {
  const id = `US${String(n).padStart(4, '0')}`;
  const all = { Status: 'In Progress', Epic: 'EP0001', Owner: 'Ann', Priority: 'P1', 'Story Points': '3', ...fields };
  const header = Object.entries(all).filter(([, v]) => v !== '').map(([k, v]) => `> **${k}:** ${v}`).join('\n');
  return [`stories/${id}.md`, `# ${id}: Story ${n}\n\n${header}\n${body}`];
}

function project(sb: Sandbox, name: string, files: [string, string][]): string {
  const root = sb.dir(path.join(name, 'sdlc-studio'));
  sb.write(root, 'PRD.md', `# Product Requirements\n${BODY}`);
  sb.write(root, 'TRD.md', `# Technical Requirements\n${BODY}`);
  sb.write(root, 'epics/EP0001-core.md', `# EP0001: Core\n\n> **Status:** In Progress\n> **Owner:** Ann\n${BODY}`);
  for (const [rel, text] of files) sb.write(root, rel, text);
  return root;
}

const ids = (r: HealthReport, rule: string): string[] =>
  r.findings.filter((f) => f.rule_id === rule).flatMap((f) => f.affected_documents.map((d) => d.doc_id));

describe('health check inputs: stored body length, indexes, per-process memo', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  beforeEach(() => {
    sb = new Sandbox();
  });
  afterEach(() => sb.dispose());

  it('body_len, written by SQLite, equals bodyLength(content) for every row: each trimmed character, inner and astral ones', async () => {
    const files: [string, string][] = [];
    [...TRIM_CHARS].forEach((c, i) => files.push(story(i + 1, {}, `${c}${c}\nshort ${c} body 😀${c}${c}`)));
    files.push(story(90, {}, '\u0085\u200b kept: NEL and ZWSP are not JS whitespace \u200b\u0085'));
    files.push(story(91, {}, `${TRIM_CHARS}${TRIM_CHARS}`));
    files.push(story(92, {}, `\n${'𝔸'.repeat(30)}\n`)); // 30 code points, 60 UTF-16 units
    const engine = await sb.engine();
    const root = project(sb, 'p', files);
    const p = await engine.registerProject({ name: 'P', sdlc_path: root });
    assert.equal((await syncNow(engine, p.slug)).sync_status, 'synced');

    const rows = await dbRows(sb.dbPath, 'SELECT file_path, content, body_len FROM documents');
    assert.equal(rows.length, files.length + 3);
    for (const r of rows) assert.equal(r.body_len, bodyLength(String(r.content)), String(r.file_path));
    const report = engine.healthCheck(p.slug, { now: NOW });
    const msg = report.findings.find((f) => f.rule_id === 'EMPTY_CONTENT' && f.affected_documents[0]!.doc_id === 'US0092')?.message;
    const stored = rows.find((r) => String(r.file_path).includes('US0092'))!;
    assert.ok(msg?.includes(`only ${bodyLength(String(stored.content))} characters`), msg);
  });

  it('schema migration 4 trims exactly TRIM_CHARS (the one definition of the character set)', async () => {
    await sb.engine();
    const [row] = await dbRows(sb.dbPath, "SELECT sql FROM sqlite_master WHERE name = 'documents'");
    const def = /body_len INTEGER GENERATED ALWAYS AS \(length\(trim\(content, char\(([\d,\s]+)\)\)\)\) VIRTUAL/.exec(String(row!.sql));
    assert.ok(def, String(row!.sql));
    const codes = def[1]!.split(',').map((s) => Number(s.trim()));
    assert.deepEqual(codes, [...TRIM_CHARS].map((c) => c.codePointAt(0)));
  });

  it('the stats index and the health index hold every column their queries read', async () => {
    await sb.engine();
    const cols = async (index: string): Promise<string[]> =>
      (await dbRows(sb.dbPath, `SELECT name FROM pragma_index_info('${index}')`)).map((r) => String(r.name));
    assert.deepEqual(await cols(STATS_INDEX), ['project_id', 'doc_type', 'status']);
    const health = await cols(HEALTH_INDEX);
    assert.deepEqual(health.slice(0, 2), ['project_id', 'file_path']);
    for (const c of HEALTH_COLUMNS) assert.ok(health.includes(c), `${c} missing from ${HEALTH_INDEX}: ${health.join(', ')}`);
  });

  it('a repeated read reuses the same frozen rows until the store changes; then it reads them again', async () => {
    const engine = await sb.engine();
    const root = project(sb, 'p', [story(1), story(2, { Owner: '' })]);
    const p = await engine.registerProject({ name: 'P', sdlc_path: root });
    await syncNow(engine, p.slug);
    const store = await Store.open(sb.dataDir, sb.logger());
    try {
      const id = Number(store.get('SELECT id FROM projects WHERE slug = ?', [p.slug])!.id);
      const first = healthDocsOf(store, id);
      assert.equal(healthDocsOf(store, id), first, 'no change: the same list');
      assert.ok(Object.isFrozen(first) && first.every((d) => Object.isFrozen(d)));
      assert.deepEqual([...first], readHealthDocs(store, id));
      assert.equal(first.find((d) => d.doc_id === 'US0002')!.owner, null);

      sb.write(root, story(2)[0], story(2, { Owner: 'Bob' })[1]);
      await syncNow(engine, p.slug);
      assert.equal(healthDocsOf(store, id), first, 'this store has not caught up yet: still what it holds');
      assert.equal(await store.loadOtherWrites(), true);
      const second = healthDocsOf(store, id);
      assert.notEqual(second, first);
      assert.equal(second.find((d) => d.doc_id === 'US0002')!.owner, 'Bob');
      assert.deepEqual([...second], readHealthDocs(store, id));
    } finally {
      await store.close();
    }
  });

  it('every change shows in the next check (own sync, another engine, an outside writer), as a fresh engine sees it', async () => {
    const a = await sb.engine();
    const root = project(sb, 'p', [story(1), story(2, { Owner: '' }), story(3)]);
    const p = await a.registerProject({ name: 'P', sdlc_path: root });
    await syncNow(a, p.slug);
    const asFresh = async (): Promise<HealthReport> => {
      const fresh = await sb.engine();
      try {
        return fresh.healthCheck(p.slug, { now: NOW });
      } finally {
        await fresh.close();
      }
    };
    let r = a.healthCheck(p.slug, { now: NOW });
    assert.deepEqual(ids(r, 'MISSING_OWNER'), ['US0002']);
    assert.deepEqual(a.healthCheck(p.slug, { now: NOW }), r);

    // this engine's own sync: an owner added, a story without one added, a story removed
    sb.write(root, story(2)[0], story(2, { Owner: 'Bob' })[1]);
    sb.write(root, ...story(4, { Owner: '' }));
    fs.rmSync(path.join(root, story(3)[0]));
    await syncNow(a, p.slug);
    r = a.healthCheck(p.slug, { now: NOW });
    assert.deepEqual(ids(r, 'MISSING_OWNER'), ['US0004']);
    assert.equal(r.total_documents, 6);
    assert.deepEqual(r, await asFresh());

    // another engine (its own store) syncs a change; this one catches up
    const b = await sb.engine();
    sb.write(root, story(1)[0], story(1, { Owner: '', Priority: '' })[1]);
    await syncNow(b, p.slug);
    await a.catchUp();
    r = a.healthCheck(p.slug, { now: NOW });
    assert.deepEqual(ids(r, 'MISSING_OWNER'), ['US0001', 'US0004']);
    assert.deepEqual(ids(r, 'MISSING_PRIORITY'), ['US0001']);

    // an outside writer replaces the image: the stored content shrinks below 50 characters
    await dbModify(sb.dbPath, (db) => db.run("UPDATE documents SET content = '  tiny  ' WHERE doc_id = 'US0004'"));
    await a.catchUp();
    r = a.healthCheck(p.slug, { now: NOW });
    const empty = r.findings.filter((f) => f.rule_id === 'EMPTY_CONTENT');
    assert.deepEqual(empty.map((f) => [f.affected_documents[0]!.doc_id, f.message]), [['US0004', 'US0004 "US0004: Story 4" has only 4 characters of content below its header.']]);
    assert.deepEqual(r, await asFresh());
  });

  it('a repeated check returns new objects: changing one report does not change the next', async () => {
    const engine = await sb.engine();
    const root = project(sb, 'p', [story(1, { Owner: '' })]);
    const p = await engine.registerProject({ name: 'P', sdlc_path: root });
    await syncNow(engine, p.slug);
    const first = engine.healthCheck(p.slug, { now: NOW });
    const pristine = structuredClone(first);
    first.findings[0]!.affected_documents[0]!.title = 'changed';
    first.findings[0]!.affected_documents.push({ doc_id: 'X', doc_type: 'story', title: 'x', file_path: 'x.md' });
    first.findings.length = 0;
    assert.deepEqual(engine.healthCheck(p.slug, { now: NOW }), pristine);
    assert.ok(pristine.findings.length > 0);
  });

  it('runHealthCheck sees changes to a list its caller changes between runs; a frozen copy gives the same findings', () => {
    const doc = (file_path: string, o: Partial<HealthDoc> = {}): HealthDoc => ({
      doc_id: path.basename(file_path, '.md'), doc_type: 'story', title: 'T', file_path, status: 'In Progress', owner: 'Ann',
      priority: 'P1', story_points: 3, epic: null, story: null, synced_at: NOW, content_length: 500, body_epic: null, ...o,
    });
    const list: HealthDoc[] = [doc('PRD.md', { doc_id: 'prd', doc_type: 'prd', status: null }), doc('stories/US0001.md', { owner: null })];
    const run = (docs: readonly HealthDoc[]): HealthReport => runHealthCheck({ project_slug: 'p', documents: docs, now: NOW });
    assert.deepEqual(ids(run(list), 'MISSING_OWNER'), ['US0001']);
    list.push(doc('stories/US0002.md', { owner: null }));
    list[1] = { ...list[1]!, owner: 'Bob' };
    const mutable = run(list);
    assert.deepEqual(ids(mutable, 'MISSING_OWNER'), ['US0002']);
    const frozen = Object.freeze(list.map((d) => Object.freeze({ ...d })));
    assert.deepEqual(run(frozen), mutable);
    assert.deepEqual(run(frozen), mutable);
  });

  it('upgrading a schema-3 database computes body_len and both indexes for the stored rows; the check is unchanged', async () => {
    // migration 6 (the search index recreated with prefix indexes) replays as it is
    assert.equal(SCHEMA_VERSION, 6, 'this test rewinds migrations 4 and 5: undo any later migration here too');
    let engine = await sb.engine();
    const root = project(sb, 'p', [story(1, { Owner: '' }), story(2, {}, '\n  short body  \n')]);
    const p = await engine.registerProject({ name: 'P', sdlc_path: root });
    await syncNow(engine, p.slug);
    const before = engine.healthCheck(p.slug, { now: NOW });
    await engine.close();
    await dbModify(sb.dbPath, (db) =>
      db.exec(`DROP INDEX documents_sync; DROP INDEX ${HEALTH_INDEX}; DROP INDEX ${STATS_INDEX}; ALTER TABLE documents DROP COLUMN body_len; PRAGMA user_version = 3`),
    );
    assert.equal((await dbRows(sb.dbPath, "SELECT count(*) AS n FROM pragma_table_xinfo('documents') WHERE name = 'body_len'"))[0]!.n, 0);

    engine = await sb.engine();
    assert.equal((await dbRows(sb.dbPath, 'PRAGMA user_version'))[0]!.user_version, SCHEMA_VERSION);
    const rows = await dbRows(sb.dbPath, 'SELECT content, body_len FROM documents');
    for (const r of rows) assert.equal(r.body_len, bodyLength(String(r.content)));
    assert.equal((await dbRows(sb.dbPath, `SELECT count(*) AS n FROM sqlite_master WHERE name IN ('${HEALTH_INDEX}', '${STATS_INDEX}')`))[0]!.n, 2);
    assert.deepEqual(engine.healthCheck(p.slug, { now: NOW }), before);
    assert.deepEqual(ids(before, 'EMPTY_CONTENT'), ['US0002']);
  });
});
