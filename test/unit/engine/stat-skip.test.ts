// Unchanged files are not read (issue 8 build 3): a file whose size, mtime (ns) and inode equal
// the stored ones is skipped without reading it; any difference means read + hash, and touched but
// byte-identical content still counts as skipped. fullRehash reads everything.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSyncRelevantPath } from '../../../src/core/sync/rules';
import { dbRows, SAMPLE_DOCS, sandboxPerTest } from './helpers';

const PAST = new Date('2024-01-02T03:04:05Z');
const LATER = new Date('2024-02-03T04:05:06Z');

/** Sets every file below `dir` to an mtime well in the past (older than the racy window). */
function age(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) age(p);
    else fs.utimesSync(p, PAST, PAST);
  }
}

describe('sync: stat-based skipping', () => {
  const t = sandboxPerTest();
  const REL = 'stories/US0001-browse-rooms-by-floor.md';

  async function setup(): Promise<{ root: string; file: string }> {
    const root = t.sb.corpus('stat');
    age(root);
    await t.engine.registerProject({ name: 'Stat', sdlc_path: root });
    const first = await (await t.engine.startSync('stat')).done;
    assert.equal(first.added, SAMPLE_DOCS);
    return { root, file: path.join(root, REL) };
  }

  /** Same size, different bytes, same mtime: only a read could notice. */
  function sneakyEdit(file: string): string {
    const text = fs.readFileSync(file, 'utf8');
    const changed = text.replace(/Browse/, 'BROWSE');
    assert.notEqual(changed, text);
    assert.equal(Buffer.byteLength(changed), Buffer.byteLength(text));
    fs.writeFileSync(file, changed);
    fs.utimesSync(file, PAST, PAST);
    return changed;
  }

  const storedTitle = async (): Promise<string> =>
    String((await dbRows(t.sb.dbPath, 'SELECT title FROM documents WHERE file_path = ?', [REL]))[0].title);

  it('a file whose stat matches is not read (a same-size, same-mtime edit goes unnoticed) until fullRehash', async () => {
    const { file } = await setup();
    const [stat] = await dbRows(t.sb.dbPath, 'SELECT file_size, file_mtime_ns, file_ino FROM documents WHERE file_path = ?', [REL]);
    const st = fs.statSync(file, { bigint: true });
    assert.deepEqual(stat, { file_size: Number(st.size), file_mtime_ns: String(st.mtimeNs), file_ino: String(st.ino) });
    sneakyEdit(file);
    const o = await (await t.engine.startSync('stat')).done;
    assert.deepEqual([o.skipped, o.updated], [SAMPLE_DOCS, 0]);
    assert.match(await storedTitle(), /Browse/, 'the file was not read');
    const full = await (await t.engine.startSync('stat', { fullRehash: true })).done;
    assert.deepEqual([full.skipped, full.updated], [SAMPLE_DOCS - 1, 1]);
    assert.match(await storedTitle(), /BROWSE/);
  });

  it('touched but identical → skipped (the new stat is stored); changed mtime and bytes → updated', async () => {
    const { file } = await setup();
    fs.utimesSync(file, LATER, LATER);
    const touched = await (await t.engine.startSync('stat')).done;
    assert.deepEqual([touched.skipped, touched.updated], [SAMPLE_DOCS, 0]);
    const [row] = await dbRows(t.sb.dbPath, 'SELECT file_mtime_ns, synced_at FROM documents WHERE file_path = ?', [REL]);
    assert.equal(row.file_mtime_ns, String(fs.statSync(file, { bigint: true }).mtimeNs), 'the touched stat is remembered');
    const edited = sneakyEdit(file);
    fs.utimesSync(file, LATER, new Date(LATER.getTime() + 1000));
    const o = await (await t.engine.startSync('stat')).done;
    assert.deepEqual([o.skipped, o.updated], [SAMPLE_DOCS - 1, 1]);
    assert.match(edited, /BROWSE/);
    assert.match(await storedTitle(), /BROWSE/);
  });

  it('a file modified within the racy window keeps no stat, so the next run reads it again', async () => {
    const { file } = await setup();
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8') + '\nfresh line\n'); // mtime = now
    const o = await (await t.engine.startSync('stat')).done;
    assert.equal(o.updated, 1);
    const [row] = await dbRows(t.sb.dbPath, 'SELECT file_size FROM documents WHERE file_path = ?', [REL]);
    assert.equal(row.file_size, null);
  });
});

describe('isSyncRelevantPath (the walk’s rules, for the file watcher)', () => {
  it('documents count, hidden files too; _index.md, other extensions and skipped or hidden folders do not', () => {
    for (const p of ['prd.md', 'stories/US0001-x.md', 'stories/.hidden.md', 'a/b/README.MD', 'epics\\EP0001.md', '.config.yaml', '.version']) {
      assert.equal(isSyncRelevantPath(p), true, p);
    }
    for (const p of ['_index.md', 'stories/_index.md', 'notes.markdown', 'x.txt', '.git/x.md', 'stories/.drafts/x.md', 'node_modules/a.md', '', '../prd.md', 'stories/.config.yaml']) {
      assert.equal(isSyncRelevantPath(p), false, p);
    }
  });
});
