// The base image and how a state is rebuilt from it: image + the change-log records after its seq.
// The image records which log continues it: `PRAGMA application_id` (readable from 4 bytes of the
// file header without loading it) holds the log id, and `lens_meta` holds the last folded seq.
import * as fs from 'node:fs';
import type { Database as SqlDatabase, SqlJsStatic } from 'sql.js';
import { decodeRecords, LogProblem, readLogFrom, type LogRecord } from './changeLog';
import { replay, StatementCache } from './recorder';
import { isPaged } from './sqljsPaged';

/** Offset of application_id in the SQLite file header (big-endian u32). */
const APP_ID_OFFSET = 68;

export const logFileOf = (dbFile: string): string => `${dbFile}.log`;

/**
 * The connection settings every state is built and replayed under (foreign keys drive the cascades
 * a replayed delete relies on). sql.js's export() resets them, so they are applied again after it.
 * The image lives in memory and durability comes from the fsynced log and the atomic image write,
 * so a rollback journal on sql.js's in-memory file system would only add copying. No other
 * connection ever opens a connection's in-memory file, so it keeps its lock between statements
 * (locking_mode EXCLUSIVE): else every statement outside a transaction takes the lock again, looks
 * for a hot journal and re-reads the header through sql.js's file system, ~60 µs a statement
 * (a query of one row took 68 µs, 9 µs without).
 */
export function applyPragmas(db: SqlDatabase): void {
  db.exec('PRAGMA foreign_keys = ON; PRAGMA journal_mode = MEMORY; PRAGMA temp_store = MEMORY; PRAGMA locking_mode = EXCLUSIVE;');
  if (isPaged(db)) db.exec(`PRAGMA cache_size = -${PAGED_CACHE_KIB}`);
}

/**
 * SQLite's page cache for a file on disk (sqljs.ts openPaged), in KiB: twice SQLite's default. Measured
 * at 10k documents (bench/search.ts, query language): search p95 3.3 ms with 4 MiB, 4.3 ms with 16 MiB
 * (the pages come from the OS's file cache either way); catching the index up at 11.7k: 4.8 / 4.7 s;
 * the host's memory: ~11 MB less with 4 MiB.
 */
const PAGED_CACHE_KIB = 4 * 1024;

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/** Offset of user_version (the schema version) in the SQLite file header (big-endian u32). */
const USER_VERSION_OFFSET = 60;

/** What the 100-byte SQLite header says, before anything is loaded: null when it is not one. */
export function imageHeader(bytes: Uint8Array): { userVersion: number } | null {
  if (bytes.length < 100 || !Buffer.from(bytes.subarray(0, SQLITE_MAGIC.length)).equals(SQLITE_MAGIC)) return null;
  return { userVersion: Buffer.from(bytes.buffer, bytes.byteOffset, 100).readUInt32BE(USER_VERSION_OFFSET) };
}

/** True for SQLite's own verdict that a file is damaged (as opposed to, say, running out of memory). */
export const isDamageError = (e: unknown): boolean =>
  /not a database|malformed|corrupt/i.test(e instanceof Error ? e.message : String(e));

/**
 * SQLite's page-level check of every ordinary table and its indexes ("ok" → null, else the first
 * problems found). The FTS4 table's own check is left out (its shadow tables' pages are checked):
 * it compares the index with the documents, which lags its queue by design. Throws what SQLite throws.
 * Cost: ~0.3 s for a 47 MB image (10k documents) on a loaded 2-core machine, once per open.
 */
export function integrityProblems(db: SqlDatabase): string | null {
  // the index's shadow tables (documents_fts_segments…) are checked too: a damaged page there makes
  // every search fail with "malformed", and nothing rebuilds an index SQLite cannot read
  const tables = db.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")[0]?.values ?? [];
  const found: string[] = [];
  for (const [name] of tables) {
    const rows = db.exec(`PRAGMA quick_check("${String(name).replace(/"/g, '""')}")`)[0]?.values ?? [];
    // a row that breaks a CHECK or NOT NULL rule is the reader's to degrade (BG-01KX95AZ), not damage
    for (const [line] of rows) if (String(line) !== 'ok' && !/^(CHECK|NOT NULL) constraint failed/i.test(String(line))) found.push(String(line));
    if (found.length >= 5) break;
  }
  return found.length === 0 ? null : found.slice(0, 5).join('; ');
}

/** The log id the image on disk names, read from its header only; null when there is no image. */
export function imageLogId(file: string): number | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const b = Buffer.alloc(4);
    return fs.readSync(fd, b, 0, 4, APP_ID_OFFSET) === 4 ? b.readUInt32BE(0) : null;
  } finally {
    fs.closeSync(fd);
  }
}

export function metaOf(db: SqlDatabase): { logId: number; seq: number } {
  const logId = Number(db.exec('PRAGMA application_id')[0]?.values[0]?.[0] ?? 0) >>> 0;
  let seq = 0;
  try {
    seq = Number(db.exec("SELECT value FROM lens_meta WHERE key = 'seq'")[0]?.values[0]?.[0] ?? 0);
  } catch {
    // an image from before the change log: no meta table yet
  }
  return { logId, seq };
}

/** Stamps the in-memory image with the log that will continue it (done right before export). */
export function stampMeta(db: SqlDatabase, logId: number, seq: number): void {
  db.exec(`PRAGMA application_id = ${logId | 0}`);
  db.run("INSERT OR REPLACE INTO lens_meta (key, value) VALUES ('seq', ?)", [String(seq)]);
}

export interface LogState {
  seq: number;
  /** file offset after the last applied record; null when the log is missing or belongs to another image */
  offset: number | null;
  /** bytes after the last valid record (a torn tail: an incomplete final record) */
  torn: boolean;
  applied: number;
  /** statements in the records applied (what replaying them costs a process) */
  statements: number;
  /** why replay stopped before the end (never a torn tail): the caller refuses or sets aside, never cuts */
  problem: LogProblem | null;
}

/**
 * Applies the records of the log (from `from`) whose seq is above `seq`, each under its own
 * savepoint of one transaction (a commit per record wrote its pages to the database file each time:
 * 186 small records, an unchanged CLI sync's two per run, took 28 ms to replay, 0.15 ms each),
 * and checks that their seqs continue `seq` without a gap. A log whose header names
 * another id is stale (a fold crashed before replacing it) and is ignored. A torn tail is reported,
 * not applied. A record that cannot be read or replayed stops the replay: the state reached so far
 * is returned with the problem, so the caller knows exactly what memory holds.
 */
export function applyLog(db: SqlDatabase, logFile: string, logId: number, seq: number, from = 0): LogState {
  const read = readLogFrom(logFile, from);
  if (read?.newer) {
    const problem = new LogProblem('too-new', 'was written by a newer SDLC Lens (a later log format)', 0);
    return { seq, offset: null, torn: false, applied: 0, statements: 0, problem };
  }
  if (!read || read.id === null || read.id !== logId) {
    return { seq, offset: null, torn: false, applied: 0, statements: 0, problem: null };
  }
  const start = Math.max(from, read.size - read.bytes.length);
  const decoded = decodeRecords(read.bytes, start);
  let applied = 0;
  let statements = 0;
  let offset = start;
  const cache = new StatementCache(db);
  let inTransaction = false;
  try {
    for (const r of decoded.records) {
      if (r.seq <= seq) {
        offset = r.end;
        continue;
      }
      if (r.seq !== seq + 1) {
        const problem = new LogProblem('corrupt', `skips from record ${seq} to record ${r.seq}`, offset);
        return { seq, offset, torn: false, applied, statements, problem };
      }
      if (!inTransaction) {
        db.exec('BEGIN IMMEDIATE');
        inTransaction = true;
      }
      try {
        applyRecord(db, r, cache);
      } catch (e) {
        const problem = new LogProblem('corrupt', `record ${r.seq} could not be applied (${(e as Error).message})`, offset);
        return { seq, offset, torn: false, applied, statements, problem };
      }
      seq = r.seq;
      offset = r.end;
      applied++;
      statements += r.statements.length;
    }
  } finally {
    cache.free();
    if (inTransaction) commitReplay(db);
  }
  return { seq, offset: decoded.validEnd, torn: decoded.torn, applied, statements, problem: decoded.problem };
}

/** Commits the records applied; if that fails none of them is kept, and the error says why (it is not the log's fault). */
function commitReplay(db: SqlDatabase): void {
  try {
    db.exec('COMMIT');
  } catch (e) {
    try {
      db.exec('ROLLBACK');
    } catch {
      // SQLite already rolled back
    }
    throw e;
  }
}

/** One record under a savepoint: a record that fails leaves nothing of itself, the ones before it stay. */
function applyRecord(db: SqlDatabase, r: LogRecord, cache: StatementCache): void {
  db.exec('SAVEPOINT lens_record');
  try {
    replay(db, r.statements, cache);
    db.exec('RELEASE lens_record');
  } catch (e) {
    db.exec('ROLLBACK TO lens_record');
    db.exec('RELEASE lens_record');
    throw e;
  }
}

/**
 * A read-only snapshot of the database as stored (image + committed log records), for tools and
 * tests: no lock, nothing written.
 */
export function readSnapshot(SQL: SqlJsStatic, dbFile: string): { db: SqlDatabase; logId: number; seq: number } {
  const db = new SQL.Database(fs.readFileSync(dbFile));
  try {
    applyPragmas(db);
    const { logId, seq } = metaOf(db);
    const st = applyLog(db, logFileOf(dbFile), logId, seq);
    if (st.problem) throw new Error(`the change log ${st.problem.message}`);
    return { db, logId, seq: st.seq };
  } catch (e) {
    db.close();
    throw e;
  }
}
