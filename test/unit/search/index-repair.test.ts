// The index is repaired, never a 500 (api.md §6, sync.md §9): missing, lagging behind its queue,
// stale, or unreadable. A bare Store (no background indexer) holds each state still while the search
// runs; a two-engine test covers the queue another process left behind.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Database as SqlDatabase } from 'sql.js';
import { SearchIndex, type IndexRepair } from '../../../src/core/search';
import { Store } from '../../../src/core/store/database';
import { pendingCount } from '../../../src/core/store/ftsIndex';
import { hasFtsTable } from '../../../src/core/store/schema';
import { silentLogger } from '../../../src/core/types';
import { registerAndSync, Sandbox } from '../engine/helpers';
import { DOCS, pagingDocs, writeCorpus } from './fixture';

const ids = (r: { items: { doc_id: string }[] }): string[] => r.items.map((i) => i.doc_id).sort();
const ftsHits = (db: SqlDatabase, phrase: string): number =>
  Number(db.exec('SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?', [`"${phrase}"`])[0].values[0][0]);

describe('search index repair', () => {
  let sb: Sandbox;
  let store: Store | null;
  let repairs: IndexRepair[];
  let search: SearchIndex;

  beforeEach(async () => {
    sb = new Sandbox();
    const engine = await sb.engine();
    await registerAndSync(engine, 'Main', writeCorpus(path.join(sb.dir('main'), 'sdlc-studio')));
    await engine.whenIndexed();
    await engine.close();
    store = await Store.open(sb.dataDir, silentLogger);
    repairs = [];
    search = new SearchIndex(store, (why) => repairs.push(why));
    assert.deepEqual(ids(search.search({ q: '"api key"' })), ['US0001-api-key-header']);
    assert.deepEqual(search.search({ q: '"api key"' }) && repairs.filter((r) => r !== 'lagging'), [], 'a synced index is sound');
    repairs = [];
  });

  afterEach(async () => {
    await store?.close();
    await sb.dispose();
  });

  it('a missing index table is created and filled; the search answers correctly', () => {
    store!.applyInMemory((db) => db.exec('DROP TABLE documents_fts'));
    assert.equal(hasFtsTable(store!.connection), false);
    assert.deepEqual(ids(search.search({ q: '"api key"' })), ['US0001-api-key-header']);
    assert.deepEqual(repairs, ['missing']);
    assert.equal(hasFtsTable(store!.connection), true);
    assert.deepEqual(ids(search.search({ q: 'cafe' })), ['EP0001-cafe-ordering']);
    assert.deepEqual(repairs, ['missing'], 'repaired once');
  });

  it('a queue not drained: queued documents are indexed before answering', () => {
    store!.applyInMemory((db) => {
      db.exec('DELETE FROM documents_fts');
      db.exec('INSERT INTO fts_pending (id) SELECT id FROM documents');
    });
    assert.equal(pendingCount(store!.connection), DOCS.length);
    assert.equal(ftsHits(store!.connection, 'api key'), 0, 'precondition: the index does not have it');
    assert.deepEqual(ids(search.search({ q: '"api key"' })), ['US0001-api-key-header']);
    assert.deepEqual(repairs, ['lagging']);
    assert.equal(pendingCount(store!.connection), 0);
  });

  it('documents changed since indexing: the new text is found, the old text is not', () => {
    store!.applyInMemory((db) =>
      db.run("UPDATE documents SET content = 'Entirely new quokka text.' WHERE doc_id = 'US0001-api-key-header'"),
    );
    assert.equal(pendingCount(store!.connection), 1, 'precondition: the change is queued, not indexed');
    assert.deepEqual(ids(search.search({ q: 'quokka' })), ['US0001-api-key-header']);
    assert.deepEqual(ids(search.search({ q: 'every request' })), []);
    assert.equal(search.search({ q: 'quokka' }).items[0].snippet, 'Entirely new <mark>quokka</mark> text.');
  });

  it('a stale index (entries gone, nothing queued) is rebuilt', () => {
    store!.applyInMemory((db) => db.exec('DELETE FROM documents_fts'));
    assert.equal(pendingCount(store!.connection), 0);
    assert.deepEqual(ids(search.search({ q: 'sync_status' })), ['US0003-state-column']);
    assert.deepEqual(repairs, ['stale']);
  });

  it('an unreadable index (a shadow table dropped) is rebuilt from scratch instead of failing', () => {
    store!.applyInMemory((db) => db.exec('DROP TABLE documents_fts_segdir'));
    assert.throws(() => ftsHits(store!.connection, 'api key'), 'precondition: the index cannot answer');
    assert.deepEqual(ids(search.search({ q: '"api key"' })), ['US0001-api-key-header']);
    assert.ok(repairs.includes('unreadable'), repairs.join());
    assert.equal(ftsHits(store!.connection, 'api key'), 1);
  });

  it('through two engines on one data folder: a search right after catching up with the other\'s sync finds every document', async () => {
    await store!.close();
    store = null;
    const a = await sb.engine();
    const b = await sb.engine();
    await registerAndSync(b, 'Paging', writeCorpus(path.join(sb.dir('paging'), 'sdlc-studio'), pagingDocs(150)));
    assert.equal(await a.catchUp(), true, 'a picked up b\'s writes');
    // a's indexer has had one 100-document slice at most; the search must not miss the rest
    const r = a.search({ q: 'pagingword', per_page: 50 });
    assert.equal(r.total, 150);
    assert.equal(a.search({ q: 'pagingword number 149' }).total, 1);
  });
});
