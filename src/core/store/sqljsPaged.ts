// The database file on disk (pagedFile.ts) as sql.js's file: the hooks sqljs.ts patched into
// MEMFS (a node with `lensPaged` is read, written, resized and synced there), the connections that
// use it, and the check they pass once at load. Where any of it is unavailable, or with
// SDLC_LENS_PAGED=0, connections keep their file in memory (sqljs.ts) as before.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Database as SqlDatabase, SqlJsStatic } from 'sql.js';
import { wholeOf } from './bytes';
import { PagedFile } from './pagedFile';
import type { FileAccessExports, FileSnapshot } from './sqljs';

export const PAGED_FILES_ON = 'sql.js: the database file stays on disk (the image and a work file); only SQLite\'s page cache is in memory';

/** Whether connections keep their file on disk (the hooks loaded and passed their check at load). */
let pagedOn = false;
/** The PagedFile of each connection whose file is on disk (closed with the connection). */
const pagedOf = new WeakMap<SqlDatabase, PagedFile>();
/** EIO as Emscripten's file system reports it to SQLite (an error of any other kind would unwind through SQLite's C code). */
const EMSCRIPTEN_EIO = 29;

/** The loaded sql.js and its patched file access, once enablePaged ran. */
let loaded: { SQL: SqlJsStatic; x: FileAccessExports } | null = null;

/**
 * Installs the hooks on a sql.js whose file access passed its check (sqljs.ts loadSqlJs), then
 * checks them, unless `trusted` (an earlier process recorded their pass: loadChecks.ts).
 */
export function enablePaged(SQL: SqlJsStatic, x: FileAccessExports, trusted = false): void {
  if (process.env.SDLC_LENS_PAGED === '0') return; // the database file in memory, as before (A/B measurements)
  loaded = { SQL, x };
  let Errno: (new (errno: number) => Error) | null = null;
  try {
    x.lensNode('lens-no-such-file');
  } catch (e) {
    if ((e as Error)?.name === 'ErrnoError') Errno = (e as Error).constructor as new (errno: number) => Error;
  }
  if (!Errno) return;
  const ErrnoError = Errno;
  const used = x.lensNodeKeys[1];
  const failed = (e: unknown): never => {
    if ((e as Error)?.name === 'ErrnoError') throw e;
    throw new ErrnoError(EMSCRIPTEN_EIO);
  };
  x.lensRead = (node, buffer, offset, length, position) => {
    try {
      return node.lensPaged.read(buffer, offset, length, position);
    } catch (e) {
      return failed(e);
    }
  };
  x.lensWrite = (node, buffer, offset, length, position) => {
    try {
      const n = node.lensPaged.write(buffer, offset, length, position);
      node[used] = node.lensPaged.size;
      return n;
    } catch (e) {
      return failed(e);
    }
  };
  x.lensTruncate = (node, size) => {
    try {
      node.lensPaged.truncate(size);
      node[used] = node.lensPaged.size;
    } catch (e) {
      failed(e);
    }
  };
  // SQLite's sync of the file (its commit) writes what the file gathered (pagedFile.ts GATHER_BYTES):
  // Emscripten calls the stream's `fsync` when there is one (MEMFS's file streams have none)
  if (!installSync(SQL, x, failed)) return;
  const proto = SQL.Database.prototype as unknown as { close(this: SqlDatabase): void };
  const close = proto.close;
  proto.close = function (this: SqlDatabase) {
    const paged = pagedOf.get(this);
    try {
      close.call(this);
    } finally {
      pagedOf.delete(this);
      paged?.close();
    }
  };
  pagedOn = trusted || verifyPaged(SQL);
}

/** Adds `fsync` to MEMFS's file stream operations (shared by every file): a node on disk flushes, any other does nothing. */
function installSync(SQL: SqlJsStatic, x: FileAccessExports, failed: (e: unknown) => never): boolean {
  const scratch = new SQL.Database();
  try {
    const node = x.lensNode((scratch as unknown as { filename: string }).filename);
    const ops = Object.values(node).find(
      (v): v is Record<string, unknown> => typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>).read === 'function' && typeof (v as Record<string, unknown>).write === 'function',
    );
    if (!ops || 'fsync' in ops) return false;
    ops.fsync = (stream: { node?: { lensPaged?: PagedFile } }): number => {
      try {
        stream.node?.lensPaged?.flush();
      } catch (e) {
        failed(e);
      }
      return 0;
    };
    return true;
  } catch {
    return false;
  } finally {
    scratch.close();
  }
}

/** The load failed: no connection keeps its file on disk. */
export function disablePaged(): void {
  pagedOn = false;
  loaded = null;
}

/** The PagedFile of a connection whose file is on disk, else undefined. */
export const pagedFileOf = (db: SqlDatabase): PagedFile | undefined => pagedOf.get(db);

/** Whether new connections keep their file on disk (openPaged). */
export const hasPagedFiles = (): boolean => pagedOn;

/** Whether this connection's file is on disk. */
export const isPaged = (db: SqlDatabase): boolean => pagedOf.has(db);

/**
 * A connection whose file is on disk: `image` (a descriptor and size, taken over: closed with the
 * connection) as its base, or empty; what it writes goes to work files named after `workPrefix`
 * (pagedFile.ts). Null when that is not available here: the caller keeps the file in memory.
 * Throws what creating the work file throws.
 */
export function openPaged(SQL: SqlJsStatic, image: { fd: number; size: number } | null, workPrefix: string): SqlDatabase | null {
  const x = pagedOn && loaded?.SQL === SQL ? loaded.x : null;
  if (!x) return null;
  const paged = new PagedFile(image, workPrefix);
  let db: SqlDatabase;
  try {
    db = new SQL.Database();
    attach(x, db, paged);
  } catch (e) {
    paged.close();
    throw e;
  }
  return db;
}

function attach(x: FileAccessExports, db: SqlDatabase, paged: PagedFile): void {
  const node = x.lensNode((db as unknown as { filename: string }).filename);
  node.lensPaged = paged;
  node[x.lensNodeKeys[1]] = paged.size;
  pagedOf.set(db, paged);
}

/**
 * The store's database file machinery, tried once on a scratch database in the temp folder: the
 * file on disk holds what was written across many blocks; a frozen view stays as it was while the
 * connection writes on and shrinks the file; the view written out is that database; after a rebase
 * onto it the connection reads and writes on.
 */
function verifyPaged(SQL: SqlJsStatic): boolean {
  pagedOn = true;
  const prefix = path.join(os.tmpdir(), 'sdlc-lens-check');
  const out = `${prefix}-${process.pid}-${Date.now()}.db`;
  let db: SqlDatabase | null = null;
  let copy: SqlDatabase | null = null;
  try {
    db = openPaged(SQL, null, prefix)!;
    db.exec('PRAGMA journal_mode = MEMORY; PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = 8; CREATE TABLE t (x)');
    db.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO t SELECT randomblob(1000) FROM n");
    const paged = pagedOf.get(db)!;
    // a commit reaches the work file (SQLite syncs the file at commit: what was gathered is written)
    if (paged.shape.gathered !== 0) return (pagedOn = false);
    const view = paged.freeze()!;
    db.exec('DELETE FROM t WHERE rowid > 100; VACUUM; INSERT INTO t VALUES (zeroblob(5000))');
    const bytes = wholeOf(view);
    fs.writeFileSync(out, bytes);
    copy = new SQL.Database(bytes);
    const frozen = copy.exec('SELECT count(*) FROM t')[0]?.values[0]?.[0];
    if (!paged.rebase(out)) return (pagedOn = false);
    db.exec('INSERT INTO t VALUES (1)');
    const now = db.exec('SELECT count(*), sum(length(x)) FROM t')[0]?.values[0];
    const check = db.exec('PRAGMA integrity_check')[0]?.values[0]?.[0];
    pagedOn = frozen === 300 && now?.[0] === 102 && now?.[1] === 100 * 1000 + 5000 + 1 && check === 'ok' && paged.shape.layers === 1;
    return pagedOn;
  } catch {
    return (pagedOn = false);
  } finally {
    db?.close();
    copy?.close();
    try {
      fs.rmSync(out, { force: true });
    } catch {
      // the temp folder is unusable (not a folder, no access): the check failed, nothing to remove
    }
  }
}

/** compactedFile for a connection on disk: VACUUM INTO an empty database whose file is on disk too. */
export function compactedOnDisk(db: SqlDatabase, paged: PagedFile): FileSnapshot {
  const { SQL, x } = loaded!; // a connection on disk exists only once enablePaged ran
  const target = new SQL.Database();
  try {
    const file = new PagedFile(null, paged.workPrefix);
    attach(x, target, file);
    db.exec(`VACUUM INTO '/${(target as unknown as { filename: string }).filename}'`);
    return { bytes: file.view(), exported: false, release: () => target.close() };
  } catch (e) {
    target.close();
    throw e;
  }
}
