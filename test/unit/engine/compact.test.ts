// Removing or clearing a large project gives its space back (store/database.ts compact, projects.ts
// requeueForRemoval): the search index is emptied and the other documents queued instead of each
// removed document's words being taken out one by one, then the database is rewritten without its
// free pages (a fold of `VACUUM INTO`) and reloaded. What is on disk is read by python3's sqlite3,
// and a new engine opens it; a compaction whose image write fails loses nothing.
import assert from 'node:assert/strict';
import { realStoreFs, setStoreFs } from '../../../src/core/store/fsio';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateProject } from '../../integration/support/generate';
import { pythonRows, registerAndSync, Sandbox, sandboxPerTest } from './helpers';

/** The first row of `sql` on the image, read by python3's sqlite3 (the caller folds first). */
const py = (file: string, sql: string): unknown[] => pythonRows(file, sql)[0];

const pagesOf = (file: string) => {
  const [pages, free] = [py(file, 'PRAGMA page_count')[0], py(file, 'PRAGMA freelist_count')[0]] as number[];
  return { pages, free };
};

describe('engine: removing a large project gives its space back', function () {
  this.timeout(120_000);
  const t = sandboxPerTest();

  const generated: string[] = [];
  afterEach(() => {
    for (const dir of generated.splice(0)) fs.rmSync(path.dirname(path.dirname(dir)), { recursive: true, force: true });
  });

  async function twoProjects(sb: Sandbox) {
    // 3,000 documents of 1-4 KB: their rows and index are well past COMPACT_MIN_FREE_BYTES
    const dir = generateProject(3000, 'big').dir;
    generated.push(dir);
    const big = await registerAndSync(t.engine, 'Big', dir);
    const small = await registerAndSync(t.engine, 'Small', sb.corpus('small'));
    assert.deepEqual([big.sync_status, small.sync_status], ['synced', 'synced']);
    await t.engine.whenIndexed();
    return { big, small };
  }

  it('delete: the index is requeued, the image is rewritten without free pages, the rest is whole and searchable', async () => {
    const { small } = await twoProjects(t.sb);
    const found = (await t.engine.search({ q: 'acceptance', project: 'small' })).total;
    assert.ok(found > 0);
    const before = pagesOf(t.sb.dbPath);
    await t.engine.deleteProject('big');
    const after = pagesOf(t.sb.dbPath); // the compaction wrote the image: it is the whole state
    assert.ok(after.pages * 3 < before.pages, `pages ${before.pages} -> ${after.pages}`);
    assert.equal(after.free, 0);
    assert.deepEqual(py(t.sb.dbPath, 'PRAGMA integrity_check'), ['ok']);
    assert.deepEqual(py(t.sb.dbPath, 'SELECT count(*) FROM documents'), [small.document_count]);
    assert.deepEqual(py(t.sb.dbPath, "SELECT count(*) FROM projects WHERE slug = 'big'"), [0]);
    assert.ok(t.sb.logged.some((l) => l.level === 'info' && /database compacted: [\d.]+ MiB of free pages dropped/.test(l.message)));
    // the connection is the compacted database, and the requeued index answers as before
    assert.equal((await t.engine.search({ q: 'acceptance', project: 'small' })).total, found);
    await t.engine.whenIndexed();
    const fresh = await t.sb.engine(); // a second engine (another window) opens what is on disk
    assert.equal((await fresh.search({ q: 'acceptance', project: 'small' })).total, found);
    assert.equal(fresh.getProject('small').document_count, small.document_count);
  });

  it('clear: the same, and the next sync stores the project again', async () => {
    const { big } = await twoProjects(t.sb);
    const before = pagesOf(t.sb.dbPath);
    await t.engine.clearDocuments('big');
    const after = pagesOf(t.sb.dbPath);
    assert.ok(after.pages * 3 < before.pages, `pages ${before.pages} -> ${after.pages}`);
    assert.equal(t.engine.getProject('big').document_count, 0);
    const again = await t.engine.startSync('big').then((s) => s.done);
    assert.deepEqual([again.sync_status, again.added], ['synced', big.document_count]);
    assert.ok((await t.engine.search({ q: 'widget', project: 'big' })).total > 0);
  });

  it('a small removal compacts nothing (under a quarter of the file or 8 MiB free)', async () => {
    await twoProjects(t.sb);
    const image = pagesOf(t.sb.dbPath).pages;
    await t.engine.deleteProject('small');
    assert.equal(pagesOf(t.sb.dbPath).pages, image, 'the image was not rewritten');
    assert.ok(!t.sb.logged.some((l) => /database compacted/.test(l.message)));
  });

  it('a compaction whose image write fails (ENOSPC) keeps the removal and every other document; a warning says so', async () => {
    const { small } = await twoProjects(t.sb);
    const image = pagesOf(t.sb.dbPath).pages;
    // every write into a new image fails (the disk is full); the change log's append goes through
    const imageFds = new Set<number>();
    setStoreFs({
      ...realStoreFs,
      openSync: (file, flags) => {
        const fd = realStoreFs.openSync(file, flags);
        if (path.basename(file).startsWith('sdlc-lens.db.tmp-')) imageFds.add(fd);
        return fd;
      },
      writeSync: (fd, data, offset, length, position) => {
        if (imageFds.has(fd)) throw Object.assign(new Error('ENOSPC: injected'), { code: 'ENOSPC' });
        return realStoreFs.writeSync(fd, data, offset, length, position);
      },
      closeSync: (fd) => {
        imageFds.delete(fd);
        realStoreFs.closeSync(fd);
      },
    });
    try {
      await t.engine.deleteProject('big');
    } finally {
      setStoreFs(null);
    }
    assert.equal(pagesOf(t.sb.dbPath).pages, image, 'the previous image is in place');
    assert.ok(t.sb.logged.some((l) => l.level === 'warn' && /could not compact the database .*ENOSPC/.test(l.message)));
    await t.engine.close();
    const reopened = await t.sb.engine();
    assert.deepEqual(
      reopened.listProjects().map((p) => [p.slug, p.document_count]),
      [['small', small.document_count]],
    );
  });
});
