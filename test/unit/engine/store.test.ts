// The sql.js store on disk: round trips, corrupt files moved aside, schema version, atomic writes,
// project deletion (documents and index entries), deletion while a sync runs.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SCHEMA_VERSION } from '../../../src/core/store/schema';
import { bigCorpus, dbModify, dbRows, foldNow, registerAndSync, rejectsWith, SAMPLE_DOCS, Sandbox, syncNow } from './helpers';

describe('store: the database file', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = new Sandbox();
  });
  afterEach(() => sb.dispose());

  it('round-trips projects and documents across close/open', async () => {
    const e1 = await sb.engine();
    await registerAndSync(e1, 'Round Trip', sb.corpus('rt'));
    const projects = e1.listProjects();
    const docs = e1.exportDocuments('round-trip');
    const detail = e1.getDocument('round-trip', 'story', 'US0002-room-detail-page');
    await e1.close();
    const e2 = await sb.engine();
    assert.deepEqual(e2.listProjects(), projects);
    assert.deepEqual(e2.exportDocuments('round-trip'), docs);
    assert.deepEqual(e2.getDocument('round-trip', 'story', 'US0002-room-detail-page'), detail);
    assert.deepEqual(e2.warnings, []);
    assert.equal(e2.health().status, 'healthy');
  });

  it('opening and reading never rewrite the database file (several windows open it at once)', async () => {
    const e1 = await sb.engine();
    await registerAndSync(e1, 'Quiet', sb.corpus('quiet'));
    await e1.whenIndexed();
    await e1.close();
    const before = fs.statSync(sb.dbPath);
    const e2 = await sb.engine();
    e2.listProjects();
    e2.exportDocuments('quiet');
    await e2.catchUp();
    await e2.close();
    const after = fs.statSync(sb.dbPath);
    assert.deepEqual([after.ino, after.mtimeMs, after.size], [before.ino, before.mtimeMs, before.size]);
  });

  it('PRAGMA user_version of the file equals the schema version; health reports migration_ok', async () => {
    const e = await sb.engine();
    assert.equal(e.dbPath, sb.dbPath);
    const [row] = await dbRows(sb.dbPath, 'PRAGMA user_version');
    assert.equal(row.user_version, SCHEMA_VERSION);
    assert.ok(SCHEMA_VERSION >= 1);
    const h = e.health();
    assert.deepEqual([h.migration_ok, h.fts_ok, h.ready, h.database], [true, true, true, 'connected']);
  });

  it('a file that is not a database is moved aside (bytes kept), a fresh one starts, warnings explain it', async () => {
    fs.mkdirSync(sb.dataDir, { recursive: true });
    const garbage = Buffer.from('this is not an SQLite database at all \x00\x01\x02'.repeat(200));
    fs.writeFileSync(sb.dbPath, garbage);
    const e = await sb.engine();
    const aside = fs.readdirSync(sb.dataDir).filter((f) => f.startsWith('sdlc-lens.db.corrupt-'));
    assert.equal(aside.length, 1);
    assert.deepEqual(fs.readFileSync(path.join(sb.dataDir, aside[0])), garbage, 'the corrupt bytes are preserved');
    assert.equal(e.warnings.length, 1);
    assert.match(e.warnings[0], /is not an SQLite database; it was moved to .*sdlc-lens\.db\.corrupt-.* \(kept\) and a new one was started/);
    assert.ok(sb.logged.some((l) => l.level === 'warn' && l.message === e.warnings[0]), 'the warning is logged');
    assert.deepEqual(e.listProjects(), []);
    const [row] = await dbRows(sb.dbPath, 'PRAGMA user_version');
    assert.equal(row.user_version, SCHEMA_VERSION);
    // the fresh database works and persists
    await registerAndSync(e, 'After Corruption', sb.corpus('ac'));
    await e.close();
    const e2 = await sb.engine();
    assert.equal(e2.getProject('after-corruption').document_count, SAMPLE_DOCS);
    assert.deepEqual(e2.warnings, []);
    assert.equal(fs.readdirSync(sb.dataDir).filter((f) => f.includes('.corrupt-')).length, 1, 'never deleted');
  });

  it('a database written by a newer schema is refused: DATABASE_TOO_NEW, nothing set aside or overwritten', async () => {
    const e = await sb.engine();
    await e.registerProject({ name: 'Future', sdlc_path: sb.corpus('f') });
    await e.close();
    await dbModify(sb.dbPath, (db) => db.exec('PRAGMA user_version = 99'));
    const newer = fs.readFileSync(sb.dbPath);
    const listing = fs.readdirSync(sb.dataDir).sort();
    await rejectsWith(sb.engine(), 'DATABASE_TOO_NEW', /has schema 99 .*newer SDLC Lens\. Update SDLC Lens/);
    assert.deepEqual(fs.readFileSync(sb.dbPath), newer);
    assert.deepEqual(fs.readdirSync(sb.dataDir).sort(), listing);
  });

  it('leaves no temp or lock files behind after syncs (only the image, its checksum and its change log)', async () => {
    const e = await sb.engine();
    await registerAndSync(e, 'Tidy', sb.corpus('tidy'));
    await syncNow(e, 'tidy');
    await e.deleteProject('tidy');
    const kept = ['sdlc-lens.db', 'sdlc-lens.db.log', 'sdlc-lens.db.sum', 'sdlc-lens.projects.json'];
    assert.deepEqual(fs.readdirSync(sb.dataDir).sort(), kept);
    await e.close();
    assert.deepEqual(fs.readdirSync(sb.dataDir).sort(), kept);
  });

  it('deleting a project removes its documents and their search-index rows, and nothing else', async () => {
    const e = await sb.engine();
    await registerAndSync(e, 'Keep', sb.corpus('keep'));
    await registerAndSync(e, 'Drop', bigCorpus(sb, 'drop', 5));
    await foldNow(e); // the index reaches disk with a fold
    const [{ id: dropId }] = await dbRows(sb.dbPath, "SELECT id FROM projects WHERE slug = 'drop'");
    assert.equal((await dbRows(sb.dbPath, 'SELECT id FROM documents WHERE project_id = ?', [dropId])).length, 5 * SAMPLE_DOCS);
    assert.equal((await dbRows(sb.dbPath, 'SELECT docid FROM documents_fts')).length, 6 * SAMPLE_DOCS);
    await e.deleteProject('drop');
    await rejectsWith(() => e.getProject('drop'), 'NOT_FOUND', 'Project not found');
    await rejectsWith(e.deleteProject('drop'), 'NOT_FOUND');
    await foldNow(e);
    assert.equal((await dbRows(sb.dbPath, 'SELECT id FROM documents WHERE project_id = ?', [dropId])).length, 0);
    const fts = await dbRows(sb.dbPath, 'SELECT docid FROM documents_fts');
    const docs = await dbRows(sb.dbPath, 'SELECT id FROM documents');
    assert.equal(fts.length, SAMPLE_DOCS);
    assert.deepEqual(fts.map((r) => r.docid).sort(), docs.map((r) => r.id).sort());
    // the search index still answers for the kept project, and only for it
    const hits = await dbRows(sb.dbPath, "SELECT docid FROM documents_fts WHERE documents_fts MATCH 'booking'");
    assert.ok(hits.length > 0 && hits.every((h) => docs.some((d) => d.id === h.docid)));
    assert.equal(e.getProject('keep').document_count, SAMPLE_DOCS);
  });

  it('deleting a project while its sync runs: the run is cancelled, writes nothing, the project stays gone', async () => {
    const e = await sb.engine();
    const root = bigCorpus(sb, 'busy', 5);
    await e.registerProject({ name: 'Busy', sdlc_path: root });
    let deleting: Promise<void> | undefined;
    let reregistered: Promise<unknown> | undefined;
    const { done } = await e.startSync('busy', {
      onProgress: (p) => {
        if (p.phase === 'collecting' && p.seen === 10 && !deleting) {
          deleting = e.deleteProject('busy');
          // the same slug registered again while the old run is still in flight
          reregistered = deleting.then(() => e.registerProject({ name: 'Busy', sdlc_path: root }));
        }
      },
    });
    const o = await done;
    await deleting;
    await reregistered;
    assert.equal(o.cancelled, true);
    assert.equal(e.isSyncing('busy'), false);
    const p = e.getProject('busy');
    assert.deepEqual([p.sync_status, p.document_count, p.last_synced_at, p.sync_error], ['never_synced', 0, null, null]);
    assert.equal((await dbRows(sb.dbPath, 'SELECT count(*) AS n FROM documents'))[0].n, 0);
    assert.equal((await dbRows(sb.dbPath, 'SELECT count(*) AS n FROM documents_fts'))[0].n, 0);
    const [row] = await dbRows(sb.dbPath, "SELECT sync_status, sync_owner FROM projects WHERE slug = 'busy'");
    assert.deepEqual(row, { sync_status: 'never_synced', sync_owner: null });
  });

  it('deleting a project whose run is already applying: the run writes nothing after the delete', async () => {
    const e = await sb.engine();
    await e.registerProject({ name: 'Late', sdlc_path: bigCorpus(sb, 'late', 5) });
    let deleting: Promise<void> | undefined;
    const { done } = await e.startSync('late', {
      onProgress: (p) => {
        // 'applying' is emitted right before the run's final transaction is queued
        if (p.phase === 'applying') deleting = e.deleteProject('late');
      },
    });
    const o = await done;
    await deleting;
    assert.ok(deleting, 'the applying phase was reached');
    await rejectsWith(() => e.getProject('late'), 'NOT_FOUND');
    assert.notEqual(o.sync_status, 'synced');
    assert.equal((await dbRows(sb.dbPath, 'SELECT count(*) AS n FROM documents'))[0].n, 0);
    assert.equal((await dbRows(sb.dbPath, 'SELECT count(*) AS n FROM projects'))[0].n, 0);
  });
});
