// A broken search index must not fail a sync (sync.md §9: an index failure is logged as a warning
// and does not change the sync status). Another writer leaves an image whose FTS table is unusable;
// the next sync applies every change, ends `synced`, logs a warning, and the database it leaves
// opens in a fresh engine with a working index.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dbModify, dbRows, Lab, SAMPLE_DOCS } from './support';

describe('reliability: a broken search index does not fail the sync (sync.md §9)', function () {
  this.timeout(60_000);
  let lab: Lab;
  beforeEach(() => {
    lab = new Lab();
  });
  afterEach(() => lab.dispose());

  it('FTS table replaced by a plain table: edit, add and delete all applied, synced, a warning logged, index rebuilt', async () => {
    const dir = lab.sample('harbor');
    const engine = await lab.engine();
    await engine.registerProject({ name: 'harbor', sdlc_path: dir });
    await (await engine.startSync('harbor')).done;
    await engine.whenIndexed();
    await dbModify(lab.dbPath, (db) => {
      db.run('DROP TABLE documents_fts');
      db.run('CREATE TABLE documents_fts (x TEXT)');
    });
    await engine.catchUp();

    fs.appendFileSync(path.join(dir, 'stories/US0002-room-detail-page.md'), '\nQuokkaword appears after the break.\n');
    fs.rmSync(path.join(dir, 'stories/US0003-filter-by-capacity-and-equipment.md'));
    fs.writeFileSync(path.join(dir, 'stories/US0098-added.md'), '# US0098: Added after the break\n\n> **Status:** Draft\n\nWombatword.\n');

    const o = await (await engine.startSync('harbor')).done;
    assert.deepEqual([o.sync_status, o.sync_error, o.updated, o.added, o.deleted, o.errors], ['synced', null, 1, 1, 1, 0]);
    assert.ok(lab.logged.some((l) => l.level === 'warn' && /search index/.test(l.message)), `no warning: ${JSON.stringify(lab.logged.slice(-5))}`);

    // read back as stored (image + log, no engine), then from a fresh engine
    const [p] = await dbRows(lab.dbPath, "SELECT sync_status, (SELECT count(*) FROM documents) AS n FROM projects WHERE slug = 'harbor'");
    assert.deepEqual([p.sync_status, p.n], ['synced', SAMPLE_DOCS]);
    const stored = await dbRows(lab.dbPath, "SELECT file_path FROM documents WHERE file_path LIKE 'stories/US009%' OR file_path LIKE 'stories/US0003%'");
    assert.deepEqual(stored.map((r) => r.file_path), ['stories/US0098-added.md']);
    await engine.close();
    const fresh = await lab.engine();
    await fresh.whenIndexed();
    for (const [word, id] of [['Quokkaword', 'US0002'], ['Wombatword', 'US0098']]) {
      const hits = fresh.search({ q: word });
      assert.equal(hits.total, 1, word);
      assert.ok(hits.items[0].doc_id.startsWith(id), `${word}: ${hits.items[0].doc_id}`);
    }
    const again = await (await fresh.startSync('harbor')).done;
    assert.deepEqual([again.sync_status, again.skipped], ['synced', SAMPLE_DOCS]);
  });
});
