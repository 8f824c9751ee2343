// One named test per bug of sync.md §12 that applies to local folders and had no test of its own.
// (BG-01KXDFGD deactivate and BG-01KX8BY1 responsiveness are extension-side: tested there.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { displayId } from '../../../src/core/parse';
import type { SyncOutcome } from '../../../src/core/types';
import { holdWrites } from './hold';
import { dbModify, dbRows, Lab, SAMPLE_DOCS } from './support';

function childSync(lab: Lab, dir: string): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', require.resolve('tsx'), path.join(__dirname, 'sync-child.ts'), lab.dataDir, 'harbor', dir]);
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

describe('reliability: regressions (sync.md §12)', function () {
  this.timeout(60_000);
  let lab: Lab;
  let dir: string;
  beforeEach(() => {
    lab = new Lab();
    dir = lab.sample('harbor');
  });
  afterEach(async () => lab.dispose());

  describe('regression BG-01KX8B04: the stored status when recording the outcome fails', () => {
    it('a run whose final write fails leaves no stored `syncing`: another process and this one can sync again', async () => {
      const engine = await lab.engine();
      await engine.registerProject({ name: 'harbor', sdlc_path: dir });
      assert.equal((await (await engine.startSync('harbor')).done).sync_status, 'synced');
      fs.appendFileSync(path.join(dir, 'prd.md'), '\nedited\n');
      const hold = holdWrites(lab.dbPath);
      const { done } = await engine.startSync('harbor', { onProgress: hold.onProgress });
      await hold.held; // the claim is on disk; the run's final write waits for the lock
      const away = `${lab.dataDir}.away`;
      fs.renameSync(lab.dataDir, away);
      fs.writeFileSync(lab.dataDir, 'not a folder'); // every write into the data folder now fails (ENOTDIR)
      let outcome: SyncOutcome;
      try {
        outcome = await done; // its write finds no data folder (ENOTDIR), and no retry can write either
      } finally {
        fs.rmSync(lab.dataDir);
        fs.renameSync(away, lab.dataDir);
        await hold.release(); // the held lock came back with the folder
      }
      assert.equal(outcome.sync_status, 'error');
      // The data folder is back: the engine's retry writes the outcome it could not write before.
      await lab.whenLogged(/recorded the earlier sync failure/);
      assert.equal((await dbRows(lab.dbPath, 'SELECT sync_status FROM projects'))[0].sync_status, 'error');
      // The data folder is back: the stored row must not read as a live `syncing` to anyone.
      const other = await childSync(lab, dir);
      assert.equal(other.code, 0, other.err);
      assert.equal((JSON.parse(other.out) as SyncOutcome).sync_status, 'synced');
      await engine.catchUp();
      assert.equal((await (await engine.startSync('harbor')).done).sync_status, 'synced');
      assert.equal((await dbRows(lab.dbPath, 'SELECT sync_status FROM projects'))[0].sync_status, 'synced');
    });
  });

  describe('regression BG-01KX95DB: derived state incomplete on unchanged files', () => {
    it('rows with a stale parser epoch or a missing ref_id are re-parsed once although their bytes are unchanged', async () => {
      let engine = await lab.engine();
      await engine.registerProject({ name: 'harbor', sdlc_path: dir });
      await (await engine.startSync('harbor')).done;
      const good = await dbRows(lab.dbPath, 'SELECT file_path, ref_id, doc_type, status FROM documents ORDER BY file_path');
      await engine.close();
      await dbModify(lab.dbPath, (db) => {
        db.run("UPDATE documents SET ref_id = NULL WHERE file_path LIKE 'stories/%'");
        db.run("UPDATE documents SET parser_epoch = 0, doc_type = 'other', status = 'Complete (81/88 — raw)' WHERE file_path LIKE 'epics/%'");
      });
      const broken = (await dbRows(lab.dbPath, "SELECT count(*) AS n FROM documents WHERE (file_path LIKE 'stories/%' AND ref_id IS NULL AND doc_id GLOB 'US*') OR file_path LIKE 'epics/%'"))[0].n as number;
      engine = await lab.engine();
      const o = await (await engine.startSync('harbor')).done;
      assert.equal(o.sync_status, 'synced');
      assert.ok(o.updated >= broken - 2 && o.updated > 0, `updated ${o.updated} of ${broken} stale rows`);
      assert.deepEqual(await dbRows(lab.dbPath, 'SELECT file_path, ref_id, doc_type, status FROM documents ORDER BY file_path'), good);
      const again = await (await engine.startSync('harbor')).done;
      assert.deepEqual([again.updated, again.skipped], [0, SAMPLE_DOCS]);
    });
  });

  describe('regression BG-01KX95AZ: one malformed stored row degrades only that row', () => {
    it('bad metadata / depends_on JSON in one row: lists, the tree summaries and the other rows still answer', async () => {
      let engine = await lab.engine();
      await engine.registerProject({ name: 'harbor', sdlc_path: dir });
      await (await engine.startSync('harbor')).done;
      await engine.close();
      await dbModify(lab.dbPath, (db) => {
        db.run("UPDATE documents SET metadata = '{not json', depends_on = '[broken', aliases = '\"x' WHERE doc_id = 'US0002-room-detail-page'");
      });
      engine = await lab.engine();
      assert.equal(engine.listProjects()[0].document_count, SAMPLE_DOCS);
      assert.equal(engine.listDocuments('harbor', { per_page: 100 }).total, SAMPLE_DOCS);
      assert.equal(engine.documentSummaries('harbor').length, SAMPLE_DOCS);
      const bad = engine.getDocument('harbor', 'story', 'US0002-room-detail-page');
      assert.equal(bad.metadata, null);
      assert.equal(bad.title.length > 0, true);
      assert.ok(engine.getDocument('harbor', 'story', 'US0001-browse-rooms-by-floor').content.length > 0);
      assert.equal(engine.exportDocuments('harbor').length, SAMPLE_DOCS);
    });
  });

  describe('regression BG-01KX95CR: ULID ids keep their full label', () => {
    it('US-01KZH5A2-… shows as US-01KZH5A2, never as "US"; numeric ids as before; no id head → the doc_id', async () => {
      const engine = await lab.engine();
      await engine.registerProject({ name: 'harbor', sdlc_path: dir });
      await (await engine.startSync('harbor')).done;
      const ulid = engine.documentSummaries('harbor').filter((d) => /^[A-Z]+-01[0-9A-Z]{6}/.test(d.doc_id));
      assert.ok(ulid.length >= 5, `ULID documents in the sample: ${ulid.length}`);
      for (const d of ulid) {
        const label = displayId(d.doc_id);
        assert.match(label, /^[A-Z]+-01[0-9A-Z]{6}$/, `${d.doc_id} → ${label}`);
        assert.ok(d.doc_id.startsWith(label));
      }
      assert.equal(displayId('US0001-browse-rooms-by-floor'), 'US0001');
      assert.equal(displayId('prd'), 'prd');
      assert.equal(displayId('re-run-the-import'), 're-run-the-import'); // hyphenated words are not ids (CR-01KX95FH)
    });
  });

  describe('regression CR-01KX8B1W: self and cyclic references', () => {
    it('an epic pointing at itself and a story cycle: sync, related documents and summaries all terminate', async () => {
      fs.writeFileSync(path.join(dir, 'epics/EP0050-self.md'), '# EP0050: Self\n\n> **Status:** Draft\n> **Epic:** EP0050\n');
      fs.writeFileSync(path.join(dir, 'stories/US0050-a.md'), '# US0050: A\n\n> **Status:** Draft\n> **Epic:** EP0050\n> **Story:** US0051\n');
      fs.writeFileSync(path.join(dir, 'stories/US0051-b.md'), '# US0051: B\n\n> **Status:** Draft\n> **Epic:** EP0050\n> **Story:** US0050\n');
      const engine = await lab.engine();
      await engine.registerProject({ name: 'harbor', sdlc_path: dir });
      const o = await (await engine.startSync('harbor')).done;
      assert.deepEqual([o.sync_status, o.document_count], ['synced', SAMPLE_DOCS + 3]);
      const self = engine.relatedDocuments('harbor', 'epic', 'EP0050-self');
      assert.ok(self);
      engine.relatedDocuments('harbor', 'story', 'US0050-a');
      engine.relatedDocuments('harbor', 'story', 'US0051-b');
      assert.equal(engine.documentSummaries('harbor').length, SAMPLE_DOCS + 3);
      assert.equal(engine.getDocument('harbor', 'epic', 'EP0050-self').epic, 'EP0050');
    });
  });

  describe('regression CR-01KX8B83: index failures are logged, not swallowed', () => {
    it('a search index that cannot be updated leaves a warning in the log', async () => {
      const engine = await lab.engine();
      await engine.registerProject({ name: 'harbor', sdlc_path: dir });
      await (await engine.startSync('harbor')).done;
      await engine.whenIndexed();
      // another writer leaves an image whose index table is unusable (dropped and replaced by a plain table)
      await dbModify(lab.dbPath, (db) => {
        const fts = db.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%VIRTUAL TABLE%'")[0]?.values ?? [];
        for (const [name] of fts) {
          db.run(`DROP TABLE "${String(name)}"`);
          db.run(`CREATE TABLE "${String(name)}" (x TEXT)`);
        }
      });
      // the reload queues the whole project for re-indexing, which now fails
      await engine.catchUp();
      await engine.whenIndexed();
      const warned = lab.logged.filter((l) => l.level === 'warn' && /search index update failed/.test(l.message));
      assert.ok(warned.length > 0, `no index failure was logged: ${JSON.stringify(lab.logged.slice(-5))}`);
    });
  });
});
