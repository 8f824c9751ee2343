// File-system faults (issue 11, sync.md §5, §7, §11): each fault gets sync.md's outcome and no
// stored document is lost. Real folders, a real engine over a real database file; the permission
// faults run the sync as uid `nobody` in a child process (the tests run as root, which ignores modes).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Engine } from '../../../src/core/engine';
import type { SyncOutcome } from '../../../src/core/types';
import { dbRows, Lab, NOBODY, SAMPLE_DOCS } from './support';

const rowsOf = (lab: Lab) =>
  dbRows(lab.dbPath, 'SELECT file_path, file_hash, synced_at, title, status, content FROM documents ORDER BY file_path');
const projectOf = async (lab: Lab) => (await dbRows(lab.dbPath, 'SELECT * FROM projects'))[0];

async function sync(engine: Engine, slug = 'harbor'): Promise<SyncOutcome> {
  return (await engine.startSync(slug)).done;
}

function syncAsNobody(lab: Lab, dir: string): Promise<SyncOutcome> {
  const child = spawn(process.execPath, ['--import', require.resolve('tsx'), path.join(__dirname, 'sync-child.ts'), lab.dataDir, 'harbor', dir], {
    ...NOBODY,
    cwd: lab.root,
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  return new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as SyncOutcome) : reject(new Error(`child exited ${code}: ${err}`)))),
  );
}

describe('reliability: file-system faults (sync.md §7)', function () {
  this.timeout(60_000);
  let lab: Lab;
  let engine: Engine;
  let dir: string;
  let before: Awaited<ReturnType<typeof rowsOf>>;

  beforeEach(async () => {
    lab = new Lab();
    dir = lab.sample('harbor');
    engine = await lab.engine();
    await engine.registerProject({ name: 'harbor', sdlc_path: dir });
    const first = await sync(engine);
    assert.equal(first.added, SAMPLE_DOCS);
    before = await rowsOf(lab);
    assert.equal(before.length, SAMPLE_DOCS);
  });
  afterEach(async () => lab.dispose());

  it('folder deleted → error "sdlc-studio path not found", every row kept, last_synced_at unchanged', async () => {
    const p0 = await projectOf(lab);
    fs.rmSync(dir, { recursive: true });
    const o = await sync(engine);
    assert.equal(o.sync_status, 'error');
    assert.match(String(o.sync_error), /sdlc-studio path not found/);
    assert.deepEqual(await rowsOf(lab), before);
    const p1 = await projectOf(lab);
    assert.equal(p1.sync_status, 'error');
    assert.equal(p1.last_synced_at, p0.last_synced_at);
  });

  it('folder emptied (rows stored) → empty-source guard: error, every row kept, config not adopted', async () => {
    const p0 = await projectOf(lab);
    for (const e of fs.readdirSync(dir)) fs.rmSync(path.join(dir, e), { recursive: true });
    fs.writeFileSync(path.join(dir, '.config.yaml'), 'schema_version: "9"\nprofile: other\n');
    const o = await sync(engine);
    assert.equal(o.sync_status, 'error');
    assert.match(String(o.sync_error), /returned no documents; refusing to delete the 42 stored documents/);
    assert.deepEqual(await rowsOf(lab), before);
    const p1 = await projectOf(lab);
    assert.deepEqual([p1.schema_version, p1.profile, p1.status_vocab, p1.last_synced_at], [p0.schema_version, p0.profile, p0.status_vocab, p0.last_synced_at]);
  });

  it('invalid UTF-8: the changed file keeps its stale row, a new one is not added; error counts 2', async () => {
    const rel = 'stories/US0002-room-detail-page.md';
    fs.writeFileSync(path.join(dir, rel), Buffer.from([0x23, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x0a]));
    fs.writeFileSync(path.join(dir, 'stories/US0099-bad-bytes.md'), Buffer.from([0x23, 0x20, 0xc0, 0xaf]));
    const o = await sync(engine);
    assert.deepEqual([o.sync_status, o.errors, o.added, o.deleted], ['error', 2, 0, 0]);
    assert.match(String(o.sync_error), /^2 files could not be synced/);
    assert.deepEqual(await rowsOf(lab), before);
  });

  it('a symlink loop (folder → its parent, folder → itself) ends, with no duplicate document', async () => {
    fs.symlinkSync('..', path.join(dir, 'stories', 'up'));
    fs.symlinkSync('.', path.join(dir, 'epics', 'self'));
    fs.mkdirSync(path.join(dir, 'a/b'), { recursive: true });
    fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'a/b/back'));
    const o = await sync(engine);
    assert.deepEqual([o.sync_status, o.added, o.updated, o.deleted, o.errors, o.document_count], ['synced', 0, 0, 0, 0, SAMPLE_DOCS]);
    assert.deepEqual(await rowsOf(lab), before.map((r) => ({ ...r })));
  });

  it('a folder or file symlink leaving the sdlc-studio folder is not followed (api.md §1.2 revised); a file link inside it is read', async () => {
    const outside = path.join(lab.root, 'elsewhere');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'US0500-outside.md'), '# US0500: Outside\n');
    fs.symlinkSync(outside, path.join(dir, 'stories', 'elsewhere'));
    fs.symlinkSync(lab.root, path.join(dir, 'root-link'));
    fs.writeFileSync(path.join(outside, 'linked.md'), '# US0501: Linked file\n');
    fs.symlinkSync(path.join(outside, 'linked.md'), path.join(dir, 'stories', 'US0501-linked.md'));
    fs.symlinkSync(path.join(dir, 'prd.md'), path.join(dir, 'stories', 'US0502-inside.md'));
    const o = await sync(engine);
    assert.deepEqual([o.sync_status, o.added, o.deleted, o.errors], ['synced', 1, 0, 0]);
    const paths = (await rowsOf(lab)).map((r) => r.file_path);
    assert.ok(paths.includes('stories/US0502-inside.md'));
    assert.ok(!paths.includes('stories/US0501-linked.md'), 'the file link out of the folder is not read');
    assert.ok(!paths.some((p) => String(p).includes('outside') || String(p).startsWith('root-link')), paths.join(','));
  });

  it('a FIFO named like a document does not hang the sync; every document kept', async () => {
    execFileSync('mkfifo', [path.join(dir, 'stories', 'US0777-fifo.md')]);
    execFileSync('mkfifo', [path.join(dir, 'epics', 'EP0777-fifo.markdown')]);
    const o = await sync(engine);
    assert.deepEqual([o.sync_status, o.added, o.deleted, o.document_count], ['synced', 0, 0, SAMPLE_DOCS]);
    assert.deepEqual(await rowsOf(lab), before);
  });

  describe('as uid nobody (permissions really apply)', () => {
    beforeEach(async () => {
      // hand the data folder and the source to `nobody`, who does the syncs from here on
      await engine.close();
      fs.chmodSync(lab.root, 0o755);
      execFileSync('chown', ['-R', `${NOBODY.uid}:${NOBODY.gid}`, lab.dataDir]);
    });

    it('one file unreadable (chmod 000) → its row kept untouched, error counting 1, the rest synced', async () => {
      fs.chmodSync(path.join(dir, 'stories/US0002-room-detail-page.md'), 0o000);
      fs.appendFileSync(path.join(dir, 'prd.md'), '\nedited\n');
      const o = await syncAsNobody(lab, dir);
      assert.deepEqual([o.sync_status, o.errors, o.updated, o.deleted, o.document_count], ['error', 1, 1, 0, SAMPLE_DOCS]);
      assert.match(String(o.sync_error), /^1 file could not be synced .*US0002-room-detail-page\.md could not be read \(EACCES\)/);
      const after = await rowsOf(lab);
      assert.deepEqual(after.filter((r) => r.file_path !== 'prd.md'), before.filter((r) => r.file_path !== 'prd.md'));
    });

    it('folder unreadable (chmod 000) → error, every row kept', async () => {
      fs.chmodSync(dir, 0o000);
      const o = await syncAsNobody(lab, dir);
      assert.equal(o.sync_status, 'error');
      assert.equal(o.deleted, 0);
      assert.deepEqual(await rowsOf(lab), before);
      assert.equal((await projectOf(lab)).sync_status, 'error');
    });

    it('a subfolder unreadable (chmod 000) → its rows kept, one error, a new file elsewhere added', async () => {
      fs.chmodSync(path.join(dir, 'stories'), 0o000);
      fs.writeFileSync(path.join(dir, 'epics/EP0009-new.md'), '# EP0009: New\n');
      const o = await syncAsNobody(lab, dir);
      assert.deepEqual([o.sync_status, o.added, o.errors, o.deleted], ['error', 1, 1, 0]);
      const after = await rowsOf(lab);
      assert.deepEqual(after.filter((r) => r.file_path !== 'epics/EP0009-new.md'), before);
    });
  });
});
