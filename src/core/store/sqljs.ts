// Loads sql.js once per process, from an explicit wasm file (a .vsix ships no node_modules).
//
// sql.js keeps the database file in Emscripten's in-memory file system (MEMFS), which grows a
// file's buffer by only 1.125× once it is past 1 MiB and copies the whole file at every step: a
// database that grows to N bytes in one sync is copied ~9·N bytes, the largest single cost of a
// cold sync (measured: 2.5× the CPU of inserting 10k documents). The loader therefore evaluates
// sql.js's own script with that one factor changed to 2× (the factor MEMFS already uses below
// 1 MiB; the unused tail of a buffer is never touched, so it costs address space, not memory).
//
// It also gives the store the database file's bytes without copying them (fileAccess below):
// - opening an image hands its buffer to MEMFS instead of MEMFS copying it (`openOwned`);
// - a fold writes the file's own bytes (`snapshotFile`) instead of `export()`, which copies every
//   page through SQLite's backup API (an image-sized copy and ~1.5 ms per MiB on the engine's
//   thread, at each fold). The snapshot is frozen: MEMFS copies the buffer before the first write
//   that would change it in place, so a fold writing off the thread never sees a later change.
// - a file can live on disk instead (sqljsPaged.ts, pagedFile.ts): MEMFS's read, write and resize
//   of such a node are routed there.
// Every change is checked once on a scratch database at load (verifyFileAccess; a new process skips
// it when an earlier one recorded its pass for this sql.js and build: loadChecks.ts); anything
// unexpected (script not found, a pattern not there exactly once, the check failing) falls back to
// the unchanged bundled module or to export(): slower, never different.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import initSqlJs, { type Database as SqlDatabase, type SqlJsStatic } from 'sql.js';
import { wholeOf, type Bytes } from './bytes';
import type { PagedFile } from './pagedFile';
import { CHECKS_FILE, checksTrusted, forgetVerdict, recordChecksPassed } from './loadChecks';
import { compactedOnDisk, disablePaged, enablePaged, hasPagedFiles, pagedFileOf } from './sqljsPaged';

type InitSqlJs = typeof initSqlJs;

let loading: Promise<SqlJsStatic> | undefined;

/** The wasm beside the bundle (dist/sql-wasm.wasm), else the one in node_modules (tests, tsx). */
export function defaultWasmPath(): string {
  const besideBundle = path.join(__dirname, 'sql-wasm.wasm');
  if (fs.existsSync(besideBundle)) return besideBundle;
  return require.resolve('sql.js/dist/sql-wasm.wasm');
}

/** MEMFS's growth step in the minified script: `<cap>*(<cap><1048576?2:1.125)`. */
const MEMFS_GROWTH = /\b([A-Za-z_$][\w$]*)\*\(\1<1048576\?2:1\.125\)/g;

/** sql.js's script with MEMFS growing by 2×; null when the script does not have exactly one growth step. */
export function patchMemfsGrowth(source: string): string | null {
  const found = source.match(MEMFS_GROWTH);
  if (!found || found.length !== 1) return null;
  return source.replace(MEMFS_GROWTH, '$1*2');
}

function scriptPath(): string | null {
  const besideBundle = path.join(__dirname, 'sql-wasm.js');
  if (fs.existsSync(besideBundle)) return besideBundle;
  try {
    return require.resolve('sql.js/dist/sql-wasm.js');
  } catch {
    return null;
  }
}

/** Whether the loaded sql.js grows its files by 2× (false: the unchanged module). */
export let memfsGrowthPatched = false;

/** What the patched script adds to the module (patchFileAccess). */
export interface FileAccessExports {
  /** MEMFS's node of a file in `/` */
  lensNode(name: string): Record<string, unknown>;
  /** the node's minified property names: [contents, usedBytes] */
  lensNodeKeys: [string, string];
  /** buffers MEMFS takes as a new database's file instead of copying them */
  lensOwned: WeakSet<object>;
  /** set by the loader: how a file's buffer grows (growFile) */
  lensGrow?: (contents: Uint8Array, used: number, size: number) => Uint8Array;
  /** set by the loader: the copy a write makes of a frozen buffer (copyFile) */
  lensCopy?: (contents: Uint8Array, used: number) => Uint8Array;
  /** the size of sql.js's WebAssembly memory (SQLite's heap: its page cache, statements, sorts) */
  lensWasmBytes?: () => number;
  /** set by the loader: a file's read, write and resize when its node is on disk (pagedFile.ts) */
  lensRead?: (node: PagedNode, buffer: Uint8Array, offset: number, length: number, position: number) => number;
  lensWrite?: (node: PagedNode, buffer: Uint8Array, offset: number, length: number, position: number) => number;
  lensTruncate?: (node: PagedNode, size: number) => void;
}

/** A MEMFS node whose bytes are a PagedFile's. */
export type PagedNode = Record<string, unknown> & { lensPaged: PagedFile };

/**
 * How far a database file's buffer may grow in place: a resizable ArrayBuffer reserves this much
 * address space (not memory) and commits pages as it grows. V8's limit for one is 4 GiB.
 */
const RESERVE_BYTES = 2 ** 32;

type Resizable = ArrayBuffer & { resizable?: boolean; maxByteLength?: number; resize?(n: number): void };

/** `size` zeroed bytes that can grow in place (a resizable ArrayBuffer), or a plain array where that is not available. */
export function growableBytes(size: number): Uint8Array {
  try {
    return new Uint8Array(new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer)(size, { maxByteLength: Math.max(RESERVE_BYTES, size) }));
  } catch {
    return new Uint8Array(size);
  }
}

/**
 * MEMFS's growth of a file's buffer to `size` bytes (`used` of them in use): in place when the
 * buffer is resizable (no copy, and the old and new buffer are never both in memory, a transient
 * of the file's size at every doubling before), else into a new resizable buffer, once.
 */
export function growFile(contents: Uint8Array, used: number, size: number): Uint8Array {
  const buf = contents.buffer as Resizable;
  if (buf.resizable && buf.resize && contents.byteOffset === 0 && size <= (buf.maxByteLength ?? 0)) {
    try {
      buf.resize(size);
      return contents.length === size ? contents : new Uint8Array(buf);
    } catch {
      // the pages could not be committed (out of memory): a new buffer, as MEMFS itself would
    }
  }
  const next = growableBytes(size);
  next.set(contents.subarray(0, used));
  return next;
}

/** The copy of a frozen file's buffer a write makes (snapshotFile): growable, so its next growth copies nothing more. */
export function copyFile(contents: Uint8Array, used: number): Uint8Array {
  const next = growableBytes(used);
  next.set(contents.subarray(0, used));
  return next;
}

/** MEMFS's stream read: `read(stream, buffer, offset, length, position)` names the node's contents and size. */
const MEMFS_READ =
  /read\((\w+),(\w+),(\w+),(\w+),(\w+)\)\{if\(\5>=\1\.node\.([\w$]+)\)return 0;\4=Math\.min\(\1\.node\.\6-\5,\4\);\2\.set\(\1\.node\.([\w$]+)\.subarray\(\5,\5\+\4\),\3\);return \4\}/g;
/** MEMFS's stream write, up to `node = stream.node;` (the point before any change to the file). */
const MEMFS_WRITE_HEAD = /(write\((\w+),(\w+),\w+,(\w+),\w+,(\w+)\)\{\3\.buffer===[\w$]+\.buffer&&\(\5=!1\);if\(!\4\)return 0;\2=\2\.node;)/g;
/** FS.lookupPath(path, opts = {}). */
const LOOKUP_PATH = /function ([\w$]+)\((\w+),\w+=\{\}\)\{if\(!\2\)throw new/g;
/**
 * The data-file helper (a new database's bytes): `node = FS.create(path, mode); if (data) { …;
 * stream = FS.open(node, 577); FS.write(stream, data, 0, data.length, 0); …`. Its FS.write drops
 * MEMFS's own canOwn argument, so an owned buffer is set as the node's contents directly.
 */
const DATA_FILE_WRITE =
  /((\w+)=[\w$]+\(\2,\w+\);(\w+)&&\(typeof \3==="string"&&\(\3=[\w$]+\(\3\)\),\3\.subarray\|\|\(\3=new Uint8Array\(\3\)\),[\w$]+\(\2,\w+\|146\),(\w+)=[\w$]+\(\2,577\),)(([\w$]+)\(\4,\3,0,\3\.length,0\)),/g;
const MODULE_VAR = /([\w$]+)\.onRuntimeInitialized=function\(\)/g;
/** MEMFS's growth copy: `old = node.contents.subarray(0, node.usedBytes); node.contents = new Uint8Array(n); node.contents.set(old)`. */
const MEMFS_GROW_COPY = /(\w+)=(\w+)\.([\w$]+)\.subarray\(0,\2\.([\w$]+)\),\2\.\3=new Uint8Array\((\w+)\),\2\.\3\.set\(\1\)/g;
const DATABASE_EXPORT = /([\w$]+)\.Database=([\w$]+)\}/g;
/** Emscripten's memory growth: `try{wasmMemory.grow(pages)`. */
const WASM_GROW = /try\{([\w$]+)\.grow\(\w+\)/g;
/** MEMFS's stream write, its head: `write(stream, buffer, offset, length, position, canOwn){`. */
const MEMFS_WRITE_START = /write\((\w+),(\w+),(\w+),(\w+),(\w+),(\w+)\)\{(?=\2\.buffer===)/g;
/** MEMFS's setattr, where it resizes a file: `attr.size!==void 0&&(attr=attr.size,node.usedBytes!=attr&&(`. */
const MEMFS_RESIZE = /(\w+)\.size!==void 0&&\(\1=\1\.size,(\w+)\.([\w$]+)!=\1&&\(/g;

const once = (source: string, re: RegExp): RegExpMatchArray | null => {
  const all = [...source.matchAll(re)];
  return all.length === 1 ? all[0] : null;
};

/**
 * sql.js's script with the file access the store uses (see the top of this file); null when any
 * pattern is not there exactly once.
 */
export function patchFileAccess(source: string): string | null {
  const read = once(source, MEMFS_READ);
  const head = once(source, MEMFS_WRITE_HEAD);
  const lookup = once(source, LOOKUP_PATH);
  const dataWrite = once(source, DATA_FILE_WRITE);
  const mod = once(source, MODULE_VAR);
  const db = once(source, DATABASE_EXPORT);
  const grow = once(source, MEMFS_GROW_COPY);
  const writeStart = once(source, MEMFS_WRITE_START);
  const resize = once(source, MEMFS_RESIZE);
  if (!read || !head || !lookup || !dataWrite || !mod || !db || !grow || !writeStart || !resize || db[1] !== mod[1]) return null;
  const [contents, used, node, k] = [read[7], read[6], head[2], mod[1]];
  if (resize[3] !== used) return null;
  const memory = once(source, WASM_GROW); // optional: the engine's memory figures (wasmBytes)
  const memoryExport = memory ? `${k}.lensWasmBytes=function(){return ${memory[1]}.buffer.byteLength};` : '';
  // a node on disk (node.lensPaged, pagedFile.ts) is read, written and resized there
  const [, rs, rb, ro, rl, rp] = read;
  const pagedRead = read[0].replace('{', `{if(${rs}.node.lensPaged)return ${k}.lensRead(${rs}.node,${rb},${ro},${rl},${rp});`);
  const [, ws, wb, wo, wl, wp] = writeStart;
  // a frozen buffer (snapshotFile) is copied before a write would change it in place
  const thaw = `${node}.lensFrozen===${node}.${contents}&&(${node}.${contents}=${k}.lensCopy?${k}.lensCopy(${node}.${contents},${node}.${used}):${node}.${contents}.slice(0,${node}.${used}));`;
  return source
    .replace(read[0], () => pagedRead)
    .replace(MEMFS_RESIZE, `$1.size!==void 0&&$2.lensPaged?${k}.lensTruncate($2,$1.size):$1.size!==void 0&&($1=$1.size,$2.$3!=$1&&(`)
    .replace(MEMFS_WRITE_HEAD, `$1${thaw}`)
    // after the thaw (which it would hide from MEMFS_WRITE_HEAD): a node on disk is written there
    .replace(MEMFS_WRITE_START, `$&if(${ws}.node.lensPaged)return ${k}.lensWrite(${ws}.node,${wb},${wo},${wl},${wp});`)
    // a file grows in place when it can (growFile), else by MEMFS's own copy
    .replace(MEMFS_GROW_COPY, `${k}.lensGrow?$2.$3=${k}.lensGrow($2.$3,$2.$4,$5):($1=$2.$3.subarray(0,$2.$4),$2.$3=new Uint8Array($5),$2.$3.set($1))`)
    .replace(DATA_FILE_WRITE, `$1(${k}.lensOwned?.has($3)===!0?($2.${contents}=$3,$2.${used}=$3.length):$5),`)
    .replace(
      DATABASE_EXPORT,
      `$1.Database=$2;${memoryExport}${k}.lensNode=function(n){return ${lookup[1]}("/"+n).node};${k}.lensNodeKeys=[${JSON.stringify(contents)},${JSON.stringify(used)}];${k}.lensOwned=new WeakSet}`,
    );
}

/** The loaded module's file access, once verified (null: open with a copy, fold with export()). */
let fileAccess: { SQL: SqlJsStatic; x: FileAccessExports } | null = null;

/** The script as evaluated (null: sql.js's own module): what the load checks' verdict names (loadChecks.ts). */
let patchedScript: string | null = null;
/** Whether this process trusted an earlier pass of the load checks instead of running them. */
let trusted = false;

function loadFactory(): InitSqlJs {
  patchedScript = null;
  const file = scriptPath();
  if (!file) return initSqlJs;
  try {
    const source = fs.readFileSync(file, 'utf8');
    const grown = patchMemfsGrowth(source);
    if (grown === null) return initSqlJs;
    const patched = patchFileAccess(grown) ?? grown;
    const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${patched}\n})`, {
      filename: file,
    }) as (e: object, r: NodeRequire, m: { exports: unknown }, f: string, d: string) => void;
    const mod: { exports: unknown } = { exports: {} };
    wrapper(mod.exports as object, require, mod, file, path.dirname(file));
    if (typeof mod.exports !== 'function') return initSqlJs;
    memfsGrowthPatched = true;
    patchedScript = patched;
    return mod.exports as InitSqlJs;
  } catch {
    return initSqlJs;
  }
}

/**
 * One sql.js per process is enough: the first caller's wasm is used by every later engine.
 * `checksFile` (loadChecks.ts) holds the verdicts of earlier processes' load checks: when it has
 * this sql.js's, build's and Node's, the checks are not run again (recordLoadChecks writes it).
 */
export function loadSqlJs(wasmPath?: string, checksFile?: string): Promise<SqlJsStatic> {
  if (loading) return loading;
  const init = loadFactory();
  loading = fs.promises
    .readFile(wasmPath ?? defaultWasmPath())
    .then((b) => {
      trusted = checksTrusted(checksFile, patchedScript, b);
      return init({ wasmBinary: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer });
    })
    .then((SQL) => {
      const x = SQL as unknown as Partial<FileAccessExports>;
      fileAccess = x.lensNode && x.lensNodeKeys && x.lensOwned ? { SQL, x: x as FileAccessExports } : null;
      if (fileAccess) Object.assign(fileAccess.x, { lensGrow: growFile, lensCopy: copyFile });
      if (fileAccess && !trusted && !verifyFileAccess(SQL)) {
        Object.assign(fileAccess.x, { lensGrow: undefined, lensCopy: undefined }); // MEMFS's own growth and copies again
        fileAccess = null;
      }
      if (fileAccess) enablePaged(SQL, fileAccess.x, trusted);
      return SQL;
    });
  loading.catch(() => {
    loading = undefined;
    memfsGrowthPatched = false;
    fileAccess = null;
    trusted = false;
    forgetVerdict();
    disablePaged();
  });
  return loading;
}

/** Whether this process's load checks were skipped: an earlier process recorded their pass (loadChecks.ts). */
export const loadChecksSkipped = (): boolean => fileAccess !== null && trusted;

/** Records that this process's load checks passed, once its store has opened (nothing when they were skipped or failed). */
export function recordLoadChecks(): void {
  recordChecksPassed(fileAccess !== null && hasPagedFiles());
}

/** The size of sql.js's WebAssembly memory in bytes (it grows and never shrinks); null when not known. */
export const wasmBytes = (): number | null => fileAccess?.x.lensWasmBytes?.() ?? null;

/** The engine's log line at open, for each case (a test of the real bundle looks for the first). */
export const FILE_ACCESS_ON = 'sql.js: the database file is written and opened without copies';
export const FILE_ACCESS_OFF = 'sql.js: file access without copies is unavailable; folds copy the image with export() (slower, same results)';
/** Logged when the load checks were not run again (loadChecks.ts). */
export const LOAD_CHECKS_SKIPPED = `sql.js: its load checks passed before for this sql.js, build and Node (${CHECKS_FILE}); not run again`;

/** Whether folds write the file's own bytes and opens hand their buffer over (the patch loaded and passed its check). */
export const hasFileAccess = (): boolean => fileAccess !== null;

/** A database on `bytes`: MEMFS takes the buffer as its file when it can (the caller must not use it again), else copies it. */
export function openOwned(SQL: SqlJsStatic, bytes: Uint8Array): SqlDatabase {
  const x = fileAccess?.SQL === SQL ? fileAccess.x : null;
  if (!x) return new SQL.Database(bytes);
  x.lensOwned.add(bytes);
  try {
    return new SQL.Database(bytes);
  } finally {
    x.lensOwned.delete(bytes);
  }
}

export interface FileSnapshot {
  /** the database file's bytes, unchanged until release() (whatever the connection writes meanwhile) */
  bytes: Bytes;
  /** a copy made by export() (which resets the connection's PRAGMAs) rather than the file's own buffer */
  exported: boolean;
  release(): void;
  /** after these bytes were written as the image `file`: the connection reads them from there (a file on disk) */
  rebase?(file: string): void;
}

/**
 * The database file as it is now, outside any transaction: a frozen view of MEMFS's buffer (no
 * copy), or export()'s copy when the file cannot be reached or its size is not the database's.
 */
export function snapshotFile(db: SqlDatabase): FileSnapshot {
  const paged = pagedFileOf(db);
  if (paged) {
    const size = databaseSize(db);
    const view = size === paged.size ? paged.freeze() : null;
    if (view) return { bytes: view, exported: false, release: () => paged.release(), rebase: (file) => paged.rebase(file) };
  }
  const view = fileAccess && !paged ? frozenView(fileAccess.x, db) : null;
  return view ?? { bytes: db.export(), exported: true, release: () => undefined };
}

/** page_count × page_size: what the file holds when nothing is cached apart (NaN when not known). */
function databaseSize(db: SqlDatabase): number {
  const pages = db.exec('PRAGMA page_count; PRAGMA page_size').map((r) => Number(r.values[0]?.[0]));
  return pages.length === 2 ? pages[0] * pages[1] : NaN;
}

function frozenView(x: FileAccessExports, db: SqlDatabase): FileSnapshot | null {
  let node: Record<string, unknown>;
  try {
    node = x.lensNode((db as unknown as { filename: string }).filename);
  } catch {
    return null; // not a file of this module (another sql.js instance's database)
  }
  const [contentsKey, usedKey] = x.lensNodeKeys;
  const contents = node?.[contentsKey];
  const used = node?.[usedKey];
  if (!(contents instanceof Uint8Array) || typeof used !== 'number') return null;
  if (databaseSize(db) !== used) return null;
  node.lensFrozen = contents;
  return {
    bytes: contents.subarray(0, used),
    exported: false,
    release: () => {
      if (node.lensFrozen === contents) node.lensFrozen = null;
    },
  };
}

/** The in-memory file a compaction writes into (emptied again after each use; VACUUM INTO accepts an empty file). */
const COMPACT_FILE = 'lens-compact.db';

/**
 * The database rewritten without its free pages (`VACUUM INTO` a file of sql.js's file system),
 * as that file's bytes; release() empties the file. Null when the file access is not available.
 * Outside any transaction; the connection itself is left as it was.
 */
export function compactedFile(db: SqlDatabase): FileSnapshot | null {
  const x = fileAccess?.x;
  if (!x) return null;
  const paged = pagedFileOf(db);
  if (paged) return compactedOnDisk(db, paged);
  const [contentsKey, usedKey] = x.lensNodeKeys;
  const empty = (node: Record<string, unknown>) => {
    node[contentsKey] = new Uint8Array(0);
    node[usedKey] = 0;
  };
  let node: Record<string, unknown> | null = null;
  try {
    node = x.lensNode(COMPACT_FILE);
  } catch {
    node = null; // not there yet: VACUUM INTO creates it
  }
  if (node) empty(node); // a compaction that failed midway left bytes
  try {
    db.exec(`VACUUM INTO '/${COMPACT_FILE}'`);
    node = x.lensNode(COMPACT_FILE);
  } catch (e) {
    if (node) empty(node);
    throw e;
  }
  const done = node;
  const bytes = (done[contentsKey] as Uint8Array).subarray(0, done[usedKey] as number);
  return { bytes, exported: false, release: () => empty(done) };
}

/**
 * The patched file access, tried once on a scratch database: a snapshot is the database (it opens
 * and holds its rows), stays as it was while the connection writes in place and grows the file, and
 * a database opened owned uses the given buffer without copying it.
 */
function verifyFileAccess(SQL: SqlJsStatic): boolean {
  let db: SqlDatabase | null = null;
  let copy: SqlDatabase | null = null;
  try {
    db = new SQL.Database();
    db.exec('PRAGMA journal_mode = MEMORY; PRAGMA locking_mode = EXCLUSIVE; CREATE TABLE t (x); INSERT INTO t VALUES (1), (2)');
    const snap = snapshotFile(db);
    const before = Uint8Array.from(wholeOf(snap.bytes));
    db.exec("UPDATE t SET x = x + 10; INSERT INTO t SELECT zeroblob(20000) FROM t");
    const frozen = Buffer.from(wholeOf(snap.bytes)).equals(Buffer.from(before)) && snap.bytes.length > 0;
    snap.release();
    const owned = Uint8Array.from(before);
    copy = openOwned(SQL, owned);
    const rows = copy.exec('SELECT sum(x) FROM t')[0]?.values[0]?.[0];
    const node = fileAccess?.x.lensNode((copy as unknown as { filename: string }).filename);
    const shared = (node?.[fileAccess!.x.lensNodeKeys[0]] as Uint8Array | undefined)?.buffer === owned.buffer;
    return frozen && rows === 3 && shared;
  } catch {
    return false;
  } finally {
    db?.close();
    copy?.close();
  }
}
