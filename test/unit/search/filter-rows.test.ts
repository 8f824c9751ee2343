// Filters over many matches intersect with the rows the filter keeps, remembered while the database
// is unchanged: a document moved to another project, retyped or removed must leave those rows at
// once. A bare Store and SearchIndex (no background work) hold each state still; fewMatches = 0
// sends every filtered search down the remembered-rows path.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { SearchIndex } from '../../../src/core/search';
import { Store } from '../../../src/core/store/database';
import { silentLogger } from '../../../src/core/types';
import { registerAndSync, Sandbox } from '../engine/helpers';
import { pagingDocs, writeCorpus } from './fixture';

const ids = (r: { items: { doc_id: string }[] }): string[] => r.items.map((i) => i.doc_id).sort();

describe('search filters over many matches follow the documents', () => {
  let sb: Sandbox;
  let store: Store;
  let search: SearchIndex;

  beforeEach(async () => {
    sb = new Sandbox();
    const engine = await sb.engine();
    await registerAndSync(engine, 'Main', writeCorpus(path.join(sb.dir('main'), 'sdlc-studio'), pagingDocs(6)));
    await registerAndSync(engine, 'Other', writeCorpus(path.join(sb.dir('other'), 'sdlc-studio'), pagingDocs(9).slice(6)));
    await engine.close();
    store = await Store.open(sb.dataDir, silentLogger);
    search = new SearchIndex(store, () => undefined, 0);
  });

  afterEach(async () => {
    await store.close();
    await sb.dispose();
  });

  it('project, type and status rows are read again after a change', () => {
    const find = (extra: object) => search.search({ q: 'pagingword', per_page: 50, ...extra });
    assert.equal(find({ project: 'main' }).total, 6);
    assert.equal(find({ project: 'other' }).total, 3);
    assert.equal(find({ project: 'main', type: 'story', status: 'Draft' }).total, 6);
    assert.equal(find({ project: 'ghost' }).total, 0);

    store.applyInMemory((db) => db.run("UPDATE documents SET project_id = (SELECT id FROM projects WHERE slug = 'other') WHERE doc_id = 'US0100-paging-0' AND project_id = (SELECT id FROM projects WHERE slug = 'main')"));
    assert.equal(find({ project: 'main' }).total, 5, 'moved out of main');
    assert.equal(find({ project: 'other' }).total, 4, 'moved into other');
    assert.ok(ids(find({ project: 'other' })).includes('US0100-paging-0'));

    store.applyInMemory((db) => db.run("UPDATE documents SET status = 'Done', doc_type = 'bug' WHERE doc_id = 'US0101-paging-1'"));
    assert.equal(find({ project: 'main', type: 'story', status: 'Draft' }).total, 4);
    assert.deepEqual(ids(find({ type: 'bug', status: 'Done' })), ['US0101-paging-1']);

    store.applyInMemory((db) => db.run("DELETE FROM documents WHERE doc_id = 'US0102-paging-2'"));
    assert.equal(find({ project: 'main' }).total, 4);
    assert.equal(find({ project: 'other' }).total, 4);
    assert.equal(find({}).total, 8);
  });
});
