// Migration 5: what a sync reads of every stored row (sync/stored.ts) comes from the documents_sync
// index only, never from the table (whose stat columns sit behind the content's overflow pages);
// a schema-4 database gets the index at open, and the rows read back are the same.
import assert from 'node:assert/strict';
import { PARSER_EPOCH } from '../../../src/core/parse';
import { SCHEMA_VERSION } from '../../../src/core/store/schema';
import { STORED_ROWS_SQL, storedHashes, storedRows } from '../../../src/core/sync/stored';
import { dbModify, dbRows, Sandbox, SAMPLE_DOCS, syncNow } from '../engine/helpers';

describe('store: the sync reads stored rows from an index', () => {
  let sb: Sandbox;
  beforeEach(() => (sb = new Sandbox()));
  afterEach(() => sb.dispose());

  it('the query plan of the stored-rows read uses the covering index documents_sync', async () => {
    const engine = await sb.engine();
    const p = await engine.registerProject({ name: 'Idx', sdlc_path: sb.corpus('idx') });
    assert.equal((await syncNow(engine, p.slug)).added, SAMPLE_DOCS);
    const plan = await dbRows(sb.dbPath, `EXPLAIN QUERY PLAN ${STORED_ROWS_SQL}`, [PARSER_EPOCH, '', 1, '', 10]);
    assert.deepEqual(plan.map((r) => r.detail), [
      'CO-ROUTINE (subquery-1)',
      'SEARCH documents USING COVERING INDEX documents_sync (project_id=? AND file_path>?)',
      'SCAN (subquery-1)',
    ]);
  });

  it('a schema-4 database gets the index when opened; a re-sync then reads the same rows and skips every file', async () => {
    // Rewinding to 4 re-runs every later migration too: 6 (the FTS table recreated with prefix
    // indexes, every document queued) is safe to run again; a new one must be too, or be undone here.
    assert.equal(SCHEMA_VERSION, 6, 'a migration after 6: check that it can run again on a rewound database');
    let engine = await sb.engine();
    const p = await engine.registerProject({ name: 'Old', sdlc_path: sb.corpus('old') });
    await syncNow(engine, p.slug);
    const fingerprint = String((await dbRows(sb.dbPath, 'SELECT vocab_fingerprint FROM documents LIMIT 1'))[0].vocab_fingerprint);
    const withIndex = await storedRows((engine as unknown as { store: { connection: Parameters<typeof storedRows>[0] } }).store.connection, 1, fingerprint);
    await engine.close();
    await dbModify(sb.dbPath, (db) => db.exec('DROP INDEX documents_sync; PRAGMA user_version = 4'));
    assert.equal((await dbRows(sb.dbPath, "SELECT count(*) AS n FROM sqlite_master WHERE name = 'documents_sync'"))[0].n, 0);

    engine = await sb.engine();
    assert.equal((await dbRows(sb.dbPath, 'PRAGMA user_version'))[0].user_version, SCHEMA_VERSION);
    assert.equal((await dbRows(sb.dbPath, "SELECT count(*) AS n FROM sqlite_master WHERE name = 'documents_sync'"))[0].n, 1);
    const connection = (engine as unknown as { store: { connection: Parameters<typeof storedRows>[0] } }).store.connection;
    const again = await storedRows(connection, 1, fingerprint);
    assert.deepEqual([...again], [...withIndex]);
    // read in pages (of 7 rows, so several), the rows are the same: none lost or read twice at a page's edge
    assert.ok(withIndex.size > 3 * 7);
    assert.deepEqual([...(await storedRows(connection, 1, fingerprint, undefined, 7))].sort(), [...withIndex].sort());
    assert.equal(withIndex.size, SAMPLE_DOCS);
    assert.ok([...withIndex.values()].every((r) => r.current), 'every row current under its own fingerprint');
    const o = await syncNow(engine, p.slug);
    assert.deepEqual([o.skipped, o.updated, o.added, o.deleted], [SAMPLE_DOCS, 0, 0, 0]);
  });

  it('stored hashes of the rows asked, by id or read in pages of the project in id order: what the file holds, none of another project', async () => {
    const engine = await sb.engine();
    for (let i = 0; i < 4; i++) {
      const p = await engine.registerProject({ name: `H${i}`, sdlc_path: sb.corpus(`h${i}`) });
      await syncNow(engine, p.slug);
    }
    const connection = (engine as unknown as { store: { connection: Parameters<typeof storedHashes>[0] } }).store.connection;
    const stored = await dbRows(sb.dbPath, 'SELECT id, project_id, file_hash FROM documents ORDER BY id');
    const ofProject = (pid: number) => stored.filter((r) => Number(r.project_id) === pid);
    const expect = (ids: number[], pid: number) =>
      new Map(ofProject(pid).filter((r) => ids.includes(Number(r.id))).map((r) => [Number(r.id), String(r.file_hash)] as [number, string]));
    const two = ofProject(2).map((r) => Number(r.id));
    const asked = [...two.filter((_, i) => i % 3 !== 1), Number(ofProject(1)[0].id), Number(ofProject(3)[0].id)]; // two ids of other projects
    const few = asked.slice(0, 10);
    const many = [...asked, ...asked.slice(0, 40), ...asked.slice(0, 40)]; // > 64 ids: the paged read (repeats are fine)
    assert.ok(many.length > 64);
    for (const page of [7, 2000]) assert.deepEqual(await storedHashes(connection, 2, many, page), expect(many, 2), `pages of ${page}`);
    assert.deepEqual(await storedHashes(connection, 2, few), expect(few, 2));
    assert.deepEqual(await storedHashes(connection, 2, []), new Map());
  });
});
