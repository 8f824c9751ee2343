// The store reaches sql.js's in-memory file without copying it (store/sqljs.ts): a fold writes the
// file's own bytes, frozen while they are written, and an image opened hands its buffer over. What
// is written is read back by python3's sqlite3, an independent reader; a fold writing off the thread
// is held open (its write waits on a gate) while the connection changes the file in memory.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { realStoreFs, setStoreFs, type StoreFs } from '../../../src/core/store/fsio';
import { Store } from '../../../src/core/store/database';
import { pythonRows } from '../engine/helpers';
import { wholeOf } from '../../../src/core/store/bytes';
import { growableBytes, growFile, hasFileAccess, loadSqlJs, openOwned, patchFileAccess, patchMemfsGrowth, snapshotFile } from '../../../src/core/store/sqljs';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

const py = pythonRows;

const big = (n: number) => `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${n}) SELECT i FROM c`;

describe('store: sql.js file access without copies', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-file-access-'));
  });
  afterEach(() => {
    setStoreFs(null);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the bundled sql.js takes the patch, once, and passes its check at load', async () => {
    const source = patchMemfsGrowth(fs.readFileSync(require.resolve('sql.js/dist/sql-wasm.js'), 'utf8'));
    assert.ok(source);
    const patched = patchFileAccess(source);
    assert.ok(patched, 'every pattern found exactly once');
    for (const hook of ['lensFrozen===', 'lensOwned?.has(', '.lensNode=function']) assert.equal(patched.split(hook).length, 2, hook);
    assert.equal(patchFileAccess('nothing to patch'), null);
    await loadSqlJs();
    assert.equal(hasFileAccess(), true);
  });

  it('a snapshot is the file without a copy and stays as it was while the connection writes in place and grows the file', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    try {
      db.exec(`PRAGMA journal_mode = MEMORY; PRAGMA locking_mode = EXCLUSIVE; CREATE TABLE t (n INTEGER, b BLOB); INSERT INTO t SELECT i, randomblob(300) FROM (${big(2000)})`);
      const exported = db.export();
      const snap = snapshotFile(db);
      assert.equal(snap.exported, false);
      assert.equal(snap.bytes.length, exported.length);
      const before = Buffer.from(wholeOf(snap.bytes)); // a copy, to compare with after the writes
      db.exec('UPDATE t SET n = n + 1000000'); // every page of t changed in place
      db.exec(`INSERT INTO t SELECT i, randomblob(2000) FROM (${big(3000)})`); // the file grows
      assert.ok(Buffer.from(wholeOf(snap.bytes)).equals(before), 'the snapshot did not change');
      snap.release();
      const file = path.join(tmp, 'snap.db');
      fs.writeFileSync(file, wholeOf(snap.bytes));
      assert.deepEqual(py(file, 'SELECT count(*), sum(n) FROM t'), [[2000, 2001000]]);
      assert.deepEqual(py(file, 'PRAGMA integrity_check'), [['ok']]);
      // the connection has every write
      assert.deepEqual(db.exec('SELECT count(*), sum(n) FROM t')[0].values, [[5000, 2001000 + 2000 * 1000000 + 4501500]]);
      // released: the next write changes the buffer in place again (no copy once nothing is frozen)
      const again = snapshotFile(db);
      again.release();
      const live = Buffer.from(wholeOf(again.bytes));
      db.exec('UPDATE t SET n = 0');
      assert.ok(!Buffer.from(wholeOf(again.bytes)).equals(live), 'a released snapshot is the live buffer again');
    } finally {
      db.close();
    }
  });

  it('an image opened owned is the given buffer (no copy), and a database of another sql.js is exported', async () => {
    const SQL = await loadSqlJs();
    const src = new SQL.Database();
    src.exec('CREATE TABLE t (x); INSERT INTO t VALUES (7)');
    const image = src.export();
    src.close();
    const owned = openOwned(SQL, image);
    try {
      assert.deepEqual(owned.exec('SELECT x FROM t')[0].values, [[7]]);
      const x = SQL as unknown as { lensNode(n: string): Record<string, Uint8Array>; lensNodeKeys: [string, string] };
      assert.equal(x.lensNode((owned as unknown as { filename: string }).filename)[x.lensNodeKeys[0]].buffer, image.buffer);
    } finally {
      owned.close();
    }
    // read into a growable buffer, the file grows in place: the same memory, no copy at any doubling
    const growable = growableBytes(image.length);
    growable.set(image);
    const grows = openOwned(SQL, growable);
    try {
      const x = SQL as unknown as { lensNode(n: string): Record<string, Uint8Array>; lensNodeKeys: [string, string] };
      const file = () => x.lensNode((grows as unknown as { filename: string }).filename)[x.lensNodeKeys[0]];
      grows.exec(`PRAGMA journal_mode = MEMORY; INSERT INTO t SELECT randomblob(3000) FROM (${big(4000)})`);
      assert.equal(file().buffer, growable.buffer, 'grown in place');
      assert.ok(file().length >= 4000 * 3000, `the file is ${file().length} bytes`);
      assert.deepEqual(grows.exec('SELECT count(*) FROM t')[0].values, [[4001]]);
    } finally {
      grows.close();
    }
    // the unpatched module's databases live in another file system: snapshotFile copies with export()
    const plain = await initSqlJs({ wasmBinary: fs.readFileSync(require.resolve('sql.js/dist/sql-wasm.wasm')) as unknown as ArrayBuffer });
    const other = new plain.Database();
    try {
      other.exec('CREATE TABLE t (x); INSERT INTO t VALUES (8)');
      const snap = snapshotFile(other);
      assert.equal(snap.exported, true);
      const file = path.join(tmp, 'other.db');
      fs.writeFileSync(file, wholeOf(snap.bytes));
      assert.deepEqual(py(file, 'SELECT x FROM t'), [[8]]);
    } finally {
      other.close();
    }
  });

  it('a file grows in place while its buffer can, else into a new growable buffer with the same bytes', () => {
    const grown = growableBytes(8);
    grown.set([1, 2, 3]);
    const same = growFile(grown, 3, 4096);
    assert.equal(same.buffer, grown.buffer, 'in place');
    assert.deepEqual([...same.subarray(0, 4)], [1, 2, 3, 0]);
    assert.equal(same.length, 4096);
    const plain = Uint8Array.from([7, 8, 9, 10]);
    const moved = growFile(plain, 3, 64);
    assert.notEqual(moved.buffer, plain.buffer);
    assert.deepEqual([...moved.subarray(0, 4)], [7, 8, 9, 0], 'the bytes in use, the rest zero');
    assert.equal((moved.buffer as ArrayBuffer & { resizable?: boolean }).resizable, true, 'the new one grows in place next time');
    const small = new Uint8Array(new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer)(4, { maxByteLength: 8 }));
    small.set([5, 6]);
    const past = growFile(small, 2, 16); // beyond what that buffer may reserve
    assert.notEqual(past.buffer, small.buffer);
    assert.deepEqual([...past.subarray(0, 3)], [5, 6, 0]);
  });

  it('a fold writing off the thread writes the state it started from while an in-memory transaction changes the file', async () => {
    const store = await Store.open(tmp, quiet);
    assert.equal(hasFileAccess(), true, 'the fold writes the frozen file, not an export');
    try {
      await store.mutate((db) => {
        db.run(`INSERT INTO projects (slug, name, created_at) VALUES ('p', 'Before', '2026-01-01')`);
      });
      // the fold's image write waits on a gate, so the in-memory change lands while it is in flight
      let entered!: () => void;
      const writing = new Promise<void>((r) => (entered = r));
      let open!: () => void;
      const gate = new Promise<void>((r) => (open = r));
      const layer: StoreFs = {
        ...realStoreFs,
        write: async (fd, data, offset, length, position) => {
          entered();
          await gate;
          return realStoreFs.write(fd, data, offset, length, position);
        },
      };
      setStoreFs(layer);
      const folding = store.checkpoint();
      await writing;
      store.applyInMemory((db) => {
        db.run(`UPDATE projects SET name = 'After' WHERE slug = 'p'`);
        db.run(`INSERT INTO fts_pending (id) SELECT value FROM json_each('[1,2,3,4,5,6,7,8,9,10]')`);
      });
      open();
      await folding;
      setStoreFs(null);
      const file = path.join(tmp, 'sdlc-lens.db');
      assert.deepEqual(py(file, "SELECT name FROM projects WHERE slug = 'p'"), [['Before']], 'the image is the state the fold started from');
      assert.deepEqual(py(file, 'SELECT count(*) FROM fts_pending'), [[0]]);
      assert.deepEqual(py(file, 'PRAGMA integrity_check'), [['ok']]);
      assert.equal(store.get("SELECT name FROM projects WHERE slug = 'p'")?.name, 'After', 'memory keeps the change');
    } finally {
      setStoreFs(null);
      await store.close();
    }
  });
});
