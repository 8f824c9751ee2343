// The full-text index (schema migration 2): filled from a queue after each sync, in slices, and
// consistent with the documents through edits, renames, deletes, project removal and restarts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Store } from '../../../src/core/store/database';
import { INDEX_SLICE, ONE_SHOT_INDEX_SLICE } from '../../../src/core/store/ftsIndex';
import { requeueIndex } from '../../../src/core/store/schema';
import { silentLogger } from '../../../src/core/types';
import { bigCorpus, dbRows, foldNow, registerAndSync, Sandbox, SAMPLE_DOCS, SQL, syncNow, sandboxPerTest } from './helpers';

/** Ids matching a phrase, from the database file as it is on disk. */
async function hits(dbPath: string, phrase: string): Promise<number[]> {
  const rows = await dbRows(dbPath, 'SELECT docid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY docid', [
    `"${phrase}"`,
  ]);
  return rows.map((r) => Number(r.docid));
}

async function pending(dbPath: string): Promise<number> {
  return Number((await dbRows(dbPath, 'SELECT count(*) AS n FROM fts_pending'))[0].n);
}

/** FTS4's own consistency check: throws when the index disagrees with the documents table. */
async function assertIndexConsistent(dbPath: string): Promise<void> {
  await dbRows(dbPath, "INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')");
}

describe('search index', () => {
  const t = sandboxPerTest();

  it('catches up after a sync: every document indexed, queue empty, index consistent on disk', async () => {
    await registerAndSync(t.engine, 'Lens', t.sb.corpus('lens'));
    await foldNow(t.engine);
    assert.equal(await pending(t.sb.dbPath), 0);
    await assertIndexConsistent(t.sb.dbPath);
    const [{ id }] = await dbRows(t.sb.dbPath, "SELECT id FROM documents WHERE file_path = 'prd.md'");
    assert.ok((await hits(t.sb.dbPath, 'free meeting room')).includes(Number(id)));
    // diacritic- and case-insensitive, `_` is a word character
    assert.ok((await hits(t.sb.dbPath, 'ROOM_ID')).length > 0);
    assert.deepEqual(await hits(t.sb.dbPath, 'booking'), await hits(t.sb.dbPath, 'BOOKING'));
  });

  it('follows edits, renames and deletions; removed text is no longer found', async () => {
    const root = t.sb.corpus('p');
    await registerAndSync(t.engine, 'P', root);
    await foldNow(t.engine);
    const story = path.join(root, 'stories', 'US0001-browse-rooms-by-floor.md');
    fs.appendFileSync(story, '\nquokkaphrase alpha\n');
    fs.renameSync(path.join(root, 'stories', 'US0002-room-detail-page.md'), path.join(root, 'stories', 'US0002-renamed.md'));
    fs.rmSync(path.join(root, 'epics'), { recursive: true });
    const o = await syncNow(t.engine, 'p');
    assert.deepEqual([o.updated, o.added, o.deleted], [1, 1, 5]);
    await foldNow(t.engine);
    await assertIndexConsistent(t.sb.dbPath);
    const [{ id: storyId }] = await dbRows(t.sb.dbPath, "SELECT id FROM documents WHERE file_path = 'stories/US0001-browse-rooms-by-floor.md'");
    assert.deepEqual(await hits(t.sb.dbPath, 'quokkaphrase alpha'), [Number(storyId)]);
    fs.writeFileSync(story, '# US0001: Browse rooms by floor\n\n> **Status:** Done\n\nnothing left\n');
    await syncNow(t.engine, 'p');
    await foldNow(t.engine);
    await assertIndexConsistent(t.sb.dbPath);
    assert.deepEqual(await hits(t.sb.dbPath, 'quokkaphrase'), []);
    const ids = (await dbRows(t.sb.dbPath, 'SELECT id FROM documents ORDER BY id')).map((r) => Number(r.id));
    const booking = await hits(t.sb.dbPath, 'booking');
    assert.ok(booking.length > 0 && booking.every((h) => ids.includes(h)));
  });

  it('documents deleted before they were ever indexed leave nothing queued and the index consistent', async () => {
    const root = t.sb.corpus('p');
    await registerAndSync(t.engine, 'P', root);
    // no whenIndexed(): delete the project while its documents may still be queued
    await t.engine.deleteProject('p');
    await foldNow(t.engine);
    assert.equal(await pending(t.sb.dbPath), 0);
    await assertIndexConsistent(t.sb.dbPath);
    assert.deepEqual(await hits(t.sb.dbPath, 'booking'), []);
  });

  it('emptying the index and queueing every document (a sync rewriting most of them) is logged and replays in another process', async () => {
    await registerAndSync(t.engine, 'Lens', t.sb.corpus('lens'));
    await foldNow(t.engine);
    await t.engine.close();
    const documents = Number((await dbRows(t.sb.dbPath, 'SELECT count(*) AS n FROM documents'))[0].n);
    assert.ok((await hits(t.sb.dbPath, 'free meeting room')).length > 0);
    const store = await Store.open(t.sb.dataDir, silentLogger);
    try {
      await store.mutate((db) => requeueIndex(db));
      // the image is as before: the file's reader replays the change log's record on top of it
      assert.equal(await pending(t.sb.dbPath), documents);
      assert.deepEqual(await hits(t.sb.dbPath, 'free meeting room'), [], 'the index is empty until the indexer fills it again');
      assert.deepEqual(await dbRows(t.sb.dbPath, 'SELECT level FROM documents_fts_segdir'), [], 'no segment left');
    } finally {
      await store.close();
    }
    const next = await t.sb.engine(); // its indexer rebuilds it
    await next.search({ q: 'meeting' });
    await foldNow(next);
    assert.equal(await pending(t.sb.dbPath), 0);
    assert.ok((await hits(t.sb.dbPath, 'free meeting room')).length > 0);
    await assertIndexConsistent(t.sb.dbPath);
    await next.close();
  });

  it('work left queued by a closed engine is finished by the next one', async () => {
    const root = bigCorpus(t.sb, 'big', 5);
    await registerAndSync(t.engine, 'Big', root);
    await t.engine.close(); // stops the indexer after its current slice, saving what it indexed
    const left = await pending(t.sb.dbPath);
    const e2 = await t.sb.engine();
    await foldNow(e2);
    assert.equal(await pending(t.sb.dbPath), 0, `${left} queued documents were not indexed after restart`);
    await assertIndexConsistent(t.sb.dbPath);
    assert.equal(e2.getProject('big').document_count, 5 * SAMPLE_DOCS);
    assert.ok((await hits(t.sb.dbPath, 'free slot')).length > 0);
  });

  it('an engine that answers nobody while it indexes (indexSlice: the one-shot CLI) takes slices of that size; by default INDEX_SLICE', async () => {
    const root = bigCorpus(t.sb, 'big', 30);
    await t.engine.close();
    const found: number[] = [];
    for (const slice of [ONE_SHOT_INDEX_SLICE, undefined]) {
      fs.rmSync(t.sb.dataDir, { recursive: true, force: true });
      const e = await t.sb.engine(slice === undefined ? {} : { indexSlice: slice });
      // the real store, each in-memory transaction's result recorded: the indexer's slices return how many they indexed
      const store = (e as unknown as { store: { applyInMemory<T>(fn: (db: unknown) => T): T } }).store;
      const real = store.applyInMemory.bind(store);
      const slices: number[] = [];
      store.applyInMemory = <T>(fn: (db: unknown) => T): T =>
        real((db) => {
          const r = fn(db);
          if (typeof r === 'number' && r > 0) slices.push(r);
          return r;
        });
      await registerAndSync(e, 'Big', root);
      await e.whenIndexed();
      const n = 30 * SAMPLE_DOCS;
      const size = slice ?? INDEX_SLICE;
      assert.equal(slices.reduce((a, b) => a + b, 0), n);
      assert.deepEqual(slices, [...Array(Math.ceil(n / size)).keys()].map((i) => Math.min(size, n - i * size)));
      await foldNow(e);
      assert.equal(await pending(t.sb.dbPath), 0);
      await assertIndexConsistent(t.sb.dbPath);
      found.push((await hits(t.sb.dbPath, 'free slot')).length);
      await e.close();
    }
    assert.ok(found[0] > 0);
    assert.equal(found[0], found[1], 'the same index either way');
  });

  it('indexing in slices keeps every level above the first under the 16 segments FTS4 would merge all at once', async () => {
    // FTS4 merges a level inside the insert that adds a segment to a level holding 16, holding the
    // thread for that whole level: the second level's merge held it 160-230 ms at 10k documents.
    // One document a slice, so the second level fills within a few hundred slices: a real store,
    // and after every in-memory transaction the segments each level holds (documents_fts_segdir,
    // read in the same connection; level % 1024 is the level within its index).
    const sb = new Sandbox();
    try {
      const engine = await sb.engine({ indexSlice: 1 });
      const root = bigCorpus(sb, 'big', 10);
      const store = (engine as unknown as { store: { applyInMemory<T>(fn: (db: import('sql.js').Database) => T): T } }).store;
      const real = store.applyInMemory.bind(store);
      const most = new Map<number, number>();
      let slices = 0;
      store.applyInMemory = <T>(fn: (db: import('sql.js').Database) => T): T =>
        real((db) => {
          const r = fn(db);
          if (typeof r === 'number' && r > 0) slices++;
          for (const [level, n] of db.exec('SELECT level % 1024, count(*) FROM documents_fts_segdir GROUP BY level')[0]?.values ?? []) {
            most.set(Number(level), Math.max(most.get(Number(level)) ?? 0, Number(n)));
          }
          return r;
        });
      await registerAndSync(engine, 'Big', root);
      await engine.whenIndexed();
      const n = 10 * SAMPLE_DOCS;
      assert.equal(slices, n, `${n} documents, one a slice`);
      assert.ok((most.get(1) ?? 0) >= 12, `a level is merged once it holds 12, as rarely as FTS4's 16 allows (most in the second: ${most.get(1)})`);
      for (const [level, m] of most) if (level >= 1) assert.ok(m < 16, `level ${level} never reached 16 segments (most: ${m})`);
      await foldNow(engine);
      await assertIndexConsistent(sb.dbPath);
      assert.equal(await pending(sb.dbPath), 0);
      assert.ok((await hits(sb.dbPath, 'free slot')).length > 0);
    } finally {
      await sb.dispose();
    }
  });

  it('(the measure of the test above) FTS4 left to itself fills the second level to 16 segments', async () => {
    const db = new (await SQL()).Database();
    try {
      db.exec('CREATE VIRTUAL TABLE t USING fts4(title, content, prefix="2,3")');
      let most = 0;
      for (let i = 0; i < 10 * SAMPLE_DOCS; i++) {
        db.run('INSERT INTO t (docid, title, content) VALUES (?, ?, ?)', [i + 1, `title ${i}`, `free slot number ${i}`]);
        const levels = db.exec('SELECT count(*) FROM t_segdir WHERE level % 1024 = 1 GROUP BY level')[0]?.values ?? [];
        most = Math.max(most, ...levels.map((v: unknown[]) => Number(v[0])));
      }
      assert.equal(most, 16);
    } finally {
      db.close();
    }
  });
});
