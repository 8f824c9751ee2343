// The base image and how a state is rebuilt from it: image + the change-log records after its seq.
// The image records which log continues it: `PRAGMA application_id` (readable from 4 bytes of the
// file header without loading it) holds the log id, and `lens_meta` holds the last folded seq.
import * as fs from 'node:fs';
import type { Database as SqlDatabase, SqlJsStatic } from 'sql.js';
import { decodeRecords, readLogFrom, type LogRecord } from './changeLog';
import { replay } from './recorder';

/** Offset of application_id in the SQLite file header (big-endian u32). */
const APP_ID_OFFSET = 68;

export const logFileOf = (dbFile: string): string => `${dbFile}.log`;

/**
 * The connection settings every state is built and replayed under (foreign keys drive the cascades
 * a replayed delete relies on). sql.js's export() resets them, so they are applied again after it.
 * The image lives in memory and durability comes from the fsynced log and the atomic image write,
 * so a rollback journal on sql.js's in-memory file system would only add copying.
 */
export function applyPragmas(db: SqlDatabase): void {
  db.exec('PRAGMA foreign_keys = ON; PRAGMA journal_mode = MEMORY; PRAGMA temp_store = MEMORY;');
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
  /** bytes after the last valid record (a torn tail) */
  torn: boolean;
  applied: number;
}

/**
 * Applies the records of the log (from `from`) whose seq is above `seq`, each in its own
 * transaction. A log whose header names another id is stale (a fold crashed before replacing it)
 * and is ignored. A torn tail is reported, not applied.
 */
export function applyLog(db: SqlDatabase, logFile: string, logId: number, seq: number, from = 0): LogState {
  const read = readLogFrom(logFile, from);
  if (!read || read.id === null || read.id !== logId) {
    return { seq, offset: null, torn: false, applied: 0 };
  }
  const start = Math.max(from, read.size - read.bytes.length);
  const { records, validEnd, torn } = decodeRecords(read.bytes, start);
  let applied = 0;
  for (const r of records) {
    if (r.seq <= seq) continue;
    applyRecord(db, r);
    seq = r.seq;
    applied++;
  }
  return { seq, offset: validEnd, torn, applied };
}

function applyRecord(db: SqlDatabase, r: LogRecord): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    replay(db, r.statements);
    db.exec('COMMIT');
  } catch (e) {
    db.exec('ROLLBACK');
    throw new Error(`change log record ${r.seq} could not be applied: ${(e as Error).message}`);
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
    return { db, logId, seq: applyLog(db, logFileOf(dbFile), logId, seq).seq };
  } catch (e) {
    db.close();
    throw e;
  }
}
