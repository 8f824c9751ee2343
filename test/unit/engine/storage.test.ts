// The change-log storage (store/changeLog.ts, image.ts, database.ts): writes cost what changed, a
// call that changes nothing writes nothing, torn tails and crashed folds are harmless, and a failed
// final write still reaches the stored row.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Store } from '../../../src/core/store/database';
import { INTERRUPTED_MESSAGE } from '../../../src/core/sync/messages';
import { silentLogger } from '../../../src/core/types';
import { bigCorpus, dbRows, SAMPLE_DOCS, registerAndSync, Sandbox, syncNow } from './helpers';

interface DiskState {
  image: { ino: number; size: number; mtimeMs: number };
  log: number;
}

function diskState(dbPath: string): DiskState {
  const st = fs.statSync(dbPath);
  return { image: { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs }, log: fs.statSync(`${dbPath}.log`).size };
}

/** The log bytes appended since `from`. */
const logTail = (dbPath: string, from: number): string => fs.readFileSync(`${dbPath}.log`).subarray(from).toString('utf8');

describe('storage: image + change log', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = new Sandbox();
  });
  afterEach(() => sb.dispose());

  it('an unchanged re-sync writes no document data (only the project-state records) and never the image', async () => {
    const e = await sb.engine();
    await registerAndSync(e, 'Quiet', bigCorpus(sb, 'quiet', 5)); // 210 documents
    await e.whenIndexed();
    const before = diskState(sb.dbPath);
    const o = await syncNow(e, 'quiet');
    assert.equal(o.skipped, o.document_count);
    const after = diskState(sb.dbPath);
    assert.deepEqual(after.image, before.image, 'the image is not rewritten');
    const appended = after.log - before.log;
    assert.ok(appended > 0 && appended < 2048, `the claim and the outcome cost ${appended} bytes`);
    const tail = logTail(sb.dbPath, before.log);
    assert.doesNotMatch(tail, /documents/, 'no statement touches a document row');
    const [row] = await dbRows(sb.dbPath, "SELECT sync_status, last_synced_at FROM projects WHERE slug = 'quiet'");
    assert.deepEqual([row.sync_status, row.last_synced_at], ['synced', e.getProject('quiet').last_synced_at]);
  });

  it('the focus-time check (resetStaleSyncs) and a no-op recovery write nothing at all', async () => {
    const e = await sb.engine();
    await registerAndSync(e, 'Calm', sb.corpus('calm'));
    const before = diskState(sb.dbPath);
    assert.deepEqual(await e.resetStaleSyncs(), []);
    assert.equal(await e.catchUp(), false);
    await e.close();
    const e2 = await sb.engine(); // open = recovery with nothing to reset
    assert.deepEqual(await e2.resetStaleSyncs(), []);
    assert.deepEqual(diskState(sb.dbPath), before);
  });

  it('editing one document appends about that document’s size, whatever the project size', async () => {
    const e = await sb.engine();
    const root = bigCorpus(sb, 'edit', 5); // 210 documents
    await registerAndSync(e, 'Edit', root);
    const file = path.join(root, 'copy0', 'prd.md');
    fs.appendFileSync(file, '\nAn added paragraph that only this edit carries: zebra-quill.\n');
    const size = fs.statSync(file).size;
    const before = diskState(sb.dbPath);
    const o = await syncNow(e, 'edit');
    assert.deepEqual([o.updated, o.added, o.deleted], [1, 0, 0]);
    const after = diskState(sb.dbPath);
    assert.deepEqual(after.image, before.image);
    const appended = after.log - before.log;
    assert.ok(appended < 2 * size + 4096, `${appended} bytes appended for a ${size}-byte document`);
    assert.match(logTail(sb.dbPath, before.log), /zebra-quill/);
    const [doc] = await dbRows(sb.dbPath, "SELECT content FROM documents WHERE file_path = 'copy0/prd.md'");
    assert.match(String(doc.content), /zebra-quill/);
  });

  it('a torn tail record is ignored, cut off by the next writer, and later writes are readable', async () => {
    const e = await sb.engine();
    await registerAndSync(e, 'Torn', sb.corpus('torn'));
    await e.close();
    const good = fs.statSync(`${sb.dbPath}.log`).size;
    // half a record: a length that promises more bytes than follow, as a crash mid-append leaves
    const torn = Buffer.alloc(40, 7);
    torn.writeUInt32LE(5000, 0);
    fs.appendFileSync(`${sb.dbPath}.log`, torn);
    const e2 = await sb.engine();
    assert.equal(e2.getProject('torn').document_count, SAMPLE_DOCS);
    assert.equal(fs.statSync(`${sb.dbPath}.log`).size, good, 'the torn tail was cut under the lock');
    await e2.updateProject('torn', { name: 'Torn Renamed' });
    const [row] = await dbRows(sb.dbPath, "SELECT name FROM projects WHERE slug = 'torn'");
    assert.equal(row.name, 'Torn Renamed');
    const e3 = await sb.engine();
    assert.equal(e3.getProject('torn').name, 'Torn Renamed');
  });

  it('a fold that crashes between the image rename and the new log leaves a consistent database', async () => {
    const s = await Store.open(sb.dataDir, silentLogger);
    const insert = (slug: string) =>
      s.mutate((db) => db.run('INSERT INTO projects (slug, name, created_at) VALUES (?, ?, ?)', [slug, slug, 'now']));
    await insert('a');
    // A real failure at exactly that instant: the new log's temp file name is taken by a folder.
    const obstacle = `${s.logFile}.tmp-${process.pid}`;
    fs.mkdirSync(obstacle);
    const oldLog = fs.readFileSync(s.logFile);
    await s.checkpoint();
    assert.deepEqual(fs.readFileSync(s.logFile), oldLog, 'the old log is still there, no longer named by the image');
    // a second process opening now sees `a` exactly once (the stale log is not replayed on top)
    const s2 = await Store.open(sb.dataDir, silentLogger);
    assert.deepEqual(s2.all('SELECT slug FROM projects'), [{ slug: 'a' }]);
    await assert.rejects(insert('b'), /EISDIR/, 'no log can be started while the obstacle stays');
    assert.deepEqual(s.all('SELECT slug FROM projects'), [{ slug: 'a' }], 'memory did not run ahead of disk');
    fs.rmdirSync(obstacle);
    await insert('b');
    assert.equal(await s2.loadOtherWrites(), true);
    assert.deepEqual(s2.all('SELECT slug FROM projects ORDER BY slug'), [{ slug: 'a' }, { slug: 'b' }]);
    await s.close();
    await s2.close();
    const s3 = await Store.open(sb.dataDir, silentLogger);
    assert.deepEqual(s3.all('SELECT slug FROM projects ORDER BY slug'), [{ slug: 'a' }, { slug: 'b' }]);
    await s3.close();
  });

  it('the final write fails → the stored row reaches error (never syncing) once writing works again; the next sync works', async () => {
    const e = await sb.engine();
    const watcher = await sb.engine();
    const { slug } = await e.registerProject({ name: 'Disk', sdlc_path: sb.corpus('disk') });
    // A real write failure: right before the run's final transaction the log is moved away and a
    // folder takes its place, so reading and appending it fail (EISDIR), as does recording the failure.
    const log = `${sb.dbPath}.log`;
    const { done } = await e.startSync(slug, {
      onProgress: (p) => {
        if (p.phase === 'applying') {
          fs.renameSync(log, `${log}.away`);
          fs.mkdirSync(log);
        }
      },
    });
    const o = await done;
    assert.equal(o.sync_status, 'error');
    assert.match(o.sync_error!, /EISDIR/);
    assert.ok(sb.logged.some((l) => l.level === 'error' && /could not record the sync failure/.test(l.message)));
    fs.rmdirSync(log);
    fs.renameSync(`${log}.away`, log);
    // the stored row still holds the claim; the retry writes the outcome without any new trigger
    const deadline = Date.now() + 15_000;
    let stored = '';
    while (Date.now() < deadline) {
      await watcher.catchUp();
      stored = watcher.getProject(slug).sync_status;
      if (stored !== 'syncing') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(stored, 'error');
    const [row] = await dbRows(sb.dbPath, 'SELECT sync_status, sync_error, sync_owner FROM projects WHERE slug = ?', [slug]);
    assert.equal(row.sync_status, 'error');
    assert.match(String(row.sync_error), /EISDIR/);
    assert.equal(row.sync_owner, null);
    assert.equal((await dbRows(sb.dbPath, 'SELECT count(*) AS n FROM documents'))[0].n, 0, 'nothing half-written');
    const retry = await syncNow(watcher, slug);
    assert.deepEqual([retry.sync_status, retry.added], ['synced', SAMPLE_DOCS]);
  });

  it('a failure that cannot be written before close leaves a claim the next start-up resets', async () => {
    const e = await sb.engine();
    const { slug } = await e.registerProject({ name: 'Stuck', sdlc_path: sb.corpus('stuck') });
    const log = `${sb.dbPath}.log`;
    const { done } = await e.startSync(slug, {
      onProgress: (p) => {
        if (p.phase === 'applying') {
          fs.renameSync(log, `${log}.away`);
          fs.mkdirSync(log);
        }
      },
    });
    assert.equal((await done).sync_status, 'error');
    await e.close(); // the last attempt at close fails too
    fs.rmdirSync(log);
    fs.renameSync(`${log}.away`, log);
    const [before] = await dbRows(sb.dbPath, 'SELECT sync_status FROM projects WHERE slug = ?', [slug]);
    assert.equal(before.sync_status, 'syncing', 'a failed disk cannot be written');
    const e2 = await sb.engine();
    const p = e2.getProject(slug);
    assert.deepEqual([p.sync_status, p.sync_error], ['error', INTERRUPTED_MESSAGE]);
    assert.equal((await syncNow(e2, slug)).sync_status, 'synced');
  });
});
