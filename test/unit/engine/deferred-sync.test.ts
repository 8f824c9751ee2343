// A sync's batches before its last are appended to the change log without an fsync each
// (store/logBook.ts DEFERRED_SYNC_BYTES, MutateOptions.moreFollow): the fsync of a later record
// makes them durable, since an fsync flushes the whole file. The store's file layer here tracks,
// per file, the bytes written since that file's last fsync: what a crash of the machine could
// lose. After every way a sync ends, the log has none; a second engine reads every document back.
// Between those batches the store keeps its lock file (database.ts LOCK_KEEP_IDLE_MS): the sync's
// last batch releases it, and another engine's write meanwhile waits for it and then lands.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { realStoreFs, setStoreFs } from '../../../src/core/store/fsio';
import { logFileOf } from '../../../src/core/store/image';
import { generateProject } from '../../integration/support/generate';
import { foldNow, pythonRows, sandboxPerTest, syncNow } from './helpers';

/** Counts the log's appends and fsyncs, and the bytes written to it that no fsync has covered yet. */
function watchLog(logFile: string, onAppend: (appends: number) => void = () => undefined) {
  const logFds = new Set<number>();
  const seen = { appends: 0, fsyncs: 0, unsynced: 0 };
  setStoreFs({
    ...realStoreFs,
    openSync: (file, flags) => {
      const fd = realStoreFs.openSync(file, flags);
      if (file === logFile) logFds.add(fd);
      return fd;
    },
    writeSync: (fd, data, offset, length, position) => {
      const n = realStoreFs.writeSync(fd, data, offset, length, position);
      if (logFds.has(fd)) {
        seen.unsynced += n;
        onAppend(++seen.appends);
      }
      return n;
    },
    fsyncSync: (fd) => {
      realStoreFs.fsyncSync(fd);
      if (logFds.has(fd)) {
        seen.fsyncs++;
        seen.unsynced = 0; // an fsync flushes the whole file, whichever descriptor it is called on
      }
    },
    closeSync: (fd) => {
      logFds.delete(fd);
      realStoreFs.closeSync(fd);
    },
  });
  return seen;
}

describe('engine: a sync fsyncs its change log once per several batches, and always at its end', function () {
  this.timeout(120_000);
  const t = sandboxPerTest();
  let generated: string | null = null;
  afterEach(() => {
    setStoreFs(null);
    if (generated) fs.rmSync(path.dirname(path.dirname(generated)), { recursive: true, force: true });
    generated = null;
  });

  /** 3,000 documents of 1-4 KB: ~15 apply batches of 512 KiB, each its own log record. */
  async function bigProject() {
    const project = generateProject(3000, 'big');
    generated = project.dir;
    const p = await t.engine.registerProject({ name: 'Big', sdlc_path: generated });
    return { slug: p.slug, files: project.total };
  }

  it('a cold sync: one fsync for its batches (the last one), nothing written left unsynced, every document on disk', async () => {
    const { slug, files } = await bigProject();
    const seen = watchLog(logFileOf(t.sb.dbPath));
    const outcome = await syncNow(t.engine, slug);
    setStoreFs(null);
    assert.equal(outcome.sync_status, 'synced');
    assert.equal(outcome.document_count, files);
    assert.ok(seen.appends >= 10, `the sync wrote ${seen.appends} records (expected many batches)`);
    // the batches are ~7 MiB together, under DEFERRED_SYNC_BYTES: only the last batch's append fsyncs
    // (plus the claim's before them); one fsync per batch was `appends`
    assert.ok(seen.fsyncs <= 3, `${seen.fsyncs} fsyncs of the log for ${seen.appends} records`);
    assert.equal(seen.unsynced, 0, 'bytes written to the log that no fsync covered');
    // what is on disk is the whole sync: a second engine (another window) reads it back from the files
    assert.equal(fs.existsSync(`${t.sb.dbPath}.lock`), false, 'the last batch released the lock');
    const other = await t.sb.engine();
    assert.equal(other.getProject(slug).document_count, files);
  });

  it("another engine's write while the sync keeps the lock between batches waits for it, and both land", async () => {
    const { slug, files } = await bigProject();
    const other = await t.sb.engine(); // another window on the same data folder
    let registering: Promise<unknown> | null = null;
    watchLog(logFileOf(t.sb.dbPath), (appends) => {
      // the second batch is being written under the lock, which is kept after it for the next
      if (appends === 3 && !registering) registering = other.registerProject({ name: 'Meanwhile', sdlc_path: t.sb.corpus('small') });
    });
    const outcome = await syncNow(t.engine, slug);
    assert.ok(registering, 'the other write started during the sync');
    await registering;
    setStoreFs(null);
    assert.equal(outcome.sync_status, 'synced');
    assert.equal(outcome.document_count, files);
    // a third engine opens what is on disk: both writes, nothing lost to two writers at once
    const third = await t.sb.engine();
    assert.deepEqual(third.listProjects().map((p) => [p.slug, p.document_count]).sort(), [[slug, files], ['meanwhile', 0]].sort());
  });

  it('a sync cancelled after some batches: the write that records its end syncs the batches before it', async () => {
    const { slug } = await bigProject();
    let cancelled = false;
    const seen = watchLog(logFileOf(t.sb.dbPath), (appends) => {
      // the claim's record is the first; after two batches, cancel (the next batch is not written)
      if (appends === 3 && !cancelled) cancelled = t.engine.cancelSync(slug);
    });
    const outcome = await syncNow(t.engine, slug);
    setStoreFs(null);
    assert.ok(cancelled, 'the sync was running when cancelled');
    assert.equal(outcome.cancelled, true);
    assert.ok(outcome.added >= 1 && outcome.added < 3000, `added ${outcome.added}`);
    assert.equal(seen.unsynced, 0, 'bytes written to the log that no fsync covered');
    assert.equal(fs.existsSync(`${t.sb.dbPath}.lock`), false, 'the write recording the end released the lock');
    // the batches written stay: a second engine reads them from the log, python3's sqlite3 from the
    // image a fold then writes
    const other = await t.sb.engine();
    assert.equal(other.getProject(slug).document_count, outcome.added);
    await foldNow(other);
    assert.deepEqual(pythonRows(t.sb.dbPath, 'SELECT count(*) FROM documents')[0], [outcome.added]);
  });
});
