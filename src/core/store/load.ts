// Opening a data folder's image and change log, and classifying every way that can fail
// (RELIABILITY.md): unavailable (a read failed, nothing touched), too new (refused, nothing touched)
// or damaged (at start-up the damaged files are set aside, kept, and the registrations put back).
import * as fs from 'node:fs';
import type { Database as SqlDatabase, SqlJsStatic } from 'sql.js';
import { truncateLog, type LogProblem } from './changeLog';
import { recordKnownSum, sumNamesFile, sumRecorded } from './imageSum';
import { applyLog, applyPragmas, imageHeader, integrityProblems, isDamageError, metaOf, type LogState } from './image';
import { readRegistry, registrationsOf, type Registration } from './registry';
import { LensError, messageOf } from '../errors';
import { SCHEMA_VERSION } from './schema';
import { crcOf, type ChunkedBytes } from './bytes';
import { growableBytes, openOwned } from './sqljs';
import { isPaged, openPaged } from './sqljsPaged';

/** The files of one data folder, and where a warning met while opening them goes. */
export interface LoadContext {
  readonly SQL: SqlJsStatic;
  /** The image (`sdlc-lens.db`). */
  readonly file: string;
  readonly logFile: string;
  readonly registryFile: string;
  /** A damaged file was set aside: said once, to the user and the log. */
  warn(message: string): void;
}

/** A loaded state: the connection, where it stands in the log, and what to register again. */
export interface Loaded {
  db: SqlDatabase;
  logId: number;
  seq: number;
  /** File offset after the last applied log record; null when the log is missing or stale. */
  logOffset: number | null;
  imageBytes: number;
  /** Statements in the log records applied (what the next process replays too). */
  logStatements: number;
  /** Registrations to put back after a damaged image or log was set aside (null: nothing was). */
  restore: Registration[] | null;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/**
 * A database this process must not touch right now (a read fails: EACCES, EIO, EMFILE, EBUSY, out
 * of memory…). Never a reason to reset anything: the same call works once the cause is gone.
 */
function unavailable(file: string, what: string, e: unknown): LensError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const why = code ? `${code}: ${messageOf(e).replace(/^\w+: /, '')}` : messageOf(e);
  return new LensError(
    'DATABASE_UNAVAILABLE',
    `The SDLC Lens database ${file} ${what} (${why}). Nothing was changed or reset; try again once the cause is fixed.`,
  );
}

/** Written by a newer SDLC Lens: refused, every byte left in place, so that version keeps working. */
function tooNew(file: string, what: string): LensError {
  return new LensError(
    'DATABASE_TOO_NEW',
    `The SDLC Lens database ${file} ${what}: it was written by a newer SDLC Lens. Update SDLC Lens to use it; nothing was opened for writing and every byte is left in place.`,
  );
}

/**
 * Loads image + log, classifying every failure (RELIABILITY.md):
 * - a read that fails (EACCES, EIO, EMFILE, EBUSY, out of memory…): DATABASE_UNAVAILABLE, nothing touched;
 * - a newer schema or a log record this version cannot decode: DATABASE_TOO_NEW, nothing touched;
 * - genuinely damaged (not SQLite, fails its integrity check; a log record that fails to decode or
 *   replay, a seq gap): at start-up the damaged files are set aside (kept) and the database is rebuilt
 *   with every registration (from the registrations file, else salvaged); later, a clear error.
 */
export function loadAll(ctx: LoadContext, startup: boolean): Loaded {
  const image = openImageFile(ctx.file);
  let db: SqlDatabase | null = null;
  let restore: Registration[] | null = null;
  if (image) {
    const opened = openImage(ctx, image, startup);
    if ('damage' in opened) {
      if (!startup) throw unavailable(ctx.file, 'is damaged', new Error(opened.damage));
      setAside(ctx, opened.damage, true);
      restore = readRegistry(ctx.registryFile) ?? opened.salvage;
    } else db = opened.db;
  }
  db ??= connect(ctx, null); // no image yet: an empty database, on disk where it can be
  applyPragmas(db);
  const meta = metaOf(db);
  let st: LogState;
  try {
    st = readLog(db, ctx.logFile, meta.logId, meta.seq, 0);
  } catch (e) {
    db.close();
    throw e;
  }
  if (st.problem) {
    if (st.problem.kind === 'too-new' || !startup) {
      db.close();
      throw logRefusal(ctx, st.problem, startup);
    }
    // Damaged log: keep the image and every record before the damage, set the log aside whole.
    setAside(ctx, `change log ${st.problem.message}`, false);
    restore = readRegistry(ctx.registryFile) ?? salvageFrom(db);
    st = { ...st, offset: null, torn: false };
  }
  if (st.offset !== null && st.torn) truncateLog(ctx.logFile, st.offset);
  return { db, logId: meta.logId, seq: st.seq, logOffset: st.offset, imageBytes: image?.size ?? 0, logStatements: st.offset === null ? 0 : st.statements, restore };
}

/** The image, opened: its descriptor and size; null when there is none. Any other failure is transient: refused, not reset. */
function openImageFile(file: string): ImageFile | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw unavailable(file, 'could not be read', e);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) fs.readFileSync(fd); // fails as reading it does (EISDIR…)
    return { fd, size: st.size };
  } catch (e) {
    fs.closeSync(fd);
    throw unavailable(file, 'could not be read', e);
  }
}

interface ImageFile {
  fd: number;
  size: number;
}

/** The image read in chunks (its checksum, imageSum.ts), without holding it in memory. */
function chunksOfFile(image: ImageFile): ChunkedBytes {
  return {
    length: image.size,
    *chunks(chunk = 4 * 1024 * 1024) {
      const buf = Buffer.allocUnsafe(Math.min(chunk, Math.max(image.size, 1)));
      for (let at = 0; at < image.size; ) {
        const n = fs.readSync(image.fd, buf, 0, Math.min(buf.length, image.size - at), at);
        if (n <= 0) throw Object.assign(new Error('the database image is shorter than its size'), { code: 'EIO' });
        yield buf.subarray(0, n);
        at += n;
      }
    },
  };
}

/**
 * The image's bytes in a buffer sql.js can take as its database file and grow in place (sqljs.ts
 * growableBytes): read once, never copied after. Where the file cannot stay on disk (openPaged).
 */
function readGrowable(image: ImageFile): Uint8Array {
  const bytes = growableBytes(image.size);
  let done = 0;
  while (done < image.size) {
    const n = fs.readSync(image.fd, bytes, done, image.size - done, done);
    if (n === 0) break; // shorter than its stat: what is there
    done += n;
  }
  return done === image.size ? bytes : bytes.subarray(0, done);
}

/** The first 100 bytes of the image (its header), fewer when it is shorter. */
function headOf(image: ImageFile): Uint8Array {
  const head = Buffer.alloc(Math.min(100, image.size));
  let done = 0;
  while (done < head.length) {
    const n = fs.readSync(image.fd, head, done, head.length - done, done);
    if (n === 0) break;
    done += n;
  }
  return head.subarray(0, done);
}

/**
 * A connection on the image (taking over its descriptor): the file stays on disk where it can
 * (sqljs.ts openPaged: only SQLite's page cache in memory), else it is read into memory.
 */
function connect(ctx: LoadContext, image: ImageFile | null): SqlDatabase {
  let paged: SqlDatabase | null = null;
  try {
    paged = openPaged(ctx.SQL, image, ctx.file);
  } catch {
    paged = null; // no work file here (a read-only folder…): in memory, as before
  }
  if (paged) return paged;
  if (!image) return new ctx.SQL.Database();
  try {
    return openOwned(ctx.SQL, readGrowable(image));
  } finally {
    fs.closeSync(image.fd);
  }
}

/**
 * Loads an image, or says why it is damaged (with whatever registrations it still yields). The
 * header is judged first, so a newer schema is refused without loading it; the page check runs at
 * start-up (and for a newer schema, so a damaged header is not mistaken for a newer version).
 * Takes over the image's descriptor (closed with the connection, or here).
 */
function openImage(ctx: LoadContext, image: ImageFile, check: boolean): { db: SqlDatabase } | { damage: string; salvage: Registration[] } {
  let db: SqlDatabase | null = null;
  let fdOwned = true;
  try {
    const header = imageHeader(headOf(image));
    if (!header) return { damage: 'is not an SQLite database', salvage: [] };
    // the page check is skipped for the exact bytes a fold wrote or a check passed (imageSum.ts)
    const newer = header.userVersion > SCHEMA_VERSION;
    // the file the record was taken of, unwritten since: its bytes are those, no need to read them all
    const untouched = check && !newer && sumNamesFile(ctx.file, image.fd);
    const crc = check && !newer && !untouched ? crcOf(chunksOfFile(image)) : null;
    const full = (crc !== null && !sumRecorded(ctx.file, image.size, crc)) || newer;
    const fd = image.fd;
    fdOwned = false;
    db = connect(ctx, image);
    db.exec('SELECT count(*) FROM sqlite_master');
    const problems = full ? integrityProblems(db) : null;
    if (problems) return { damage: `fails its integrity check (${problems})`, salvage: salvageFrom(db) };
    if (full && crc !== null) recordKnownSum(ctx.file, image.size, crc, isPaged(db) ? fd : undefined);
    if (newer) {
      throw tooNew(ctx.file, `has schema ${header.userVersion} (this version reads up to ${SCHEMA_VERSION})`);
    }
    const opened = db;
    db = null;
    return { db: opened };
  } catch (e) {
    if (e instanceof LensError) throw e;
    if (isDamageError(e)) return { damage: `is damaged (${messageOf(e)})`, salvage: db ? salvageFrom(db) : [] };
    throw unavailable(ctx.file, 'could not be loaded', e);
  } finally {
    db?.close();
    if (fdOwned) fs.closeSync(image.fd);
  }
}

/** The registrations a damaged database still yields (best-effort: nothing when it cannot be read). */
function salvageFrom(db: SqlDatabase): Registration[] {
  try {
    return registrationsOf(db);
  } catch {
    return [];
  }
}

/** Replays the log; a read that fails is transient (the log is left as it is). */
export function readLog(db: SqlDatabase, logFile: string, logId: number, seq: number, from: number): LogState {
  try {
    return applyLog(db, logFile, logId, seq, from);
  } catch (e) {
    throw unavailable(logFile, 'could not be read', e);
  }
}

/** The error for a log this process must not replay past: too new, or damaged (startup: set aside next). */
export function logRefusal(ctx: Pick<LoadContext, 'file' | 'logFile'>, problem: LogProblem, startup: boolean): LensError {
  if (problem.kind === 'too-new') return tooNew(ctx.file, `has a change log that ${problem.message}`);
  const next = startup ? '' : ' Restart SDLC Lens: it sets the damaged log aside (kept) and keeps every registration.';
  return new LensError(
    'DATABASE_UNAVAILABLE',
    `The SDLC Lens change log ${ctx.logFile} ${problem.message}; nothing was cut or changed.${next}`,
  );
}

/**
 * Moves damaged files aside (`<db>.corrupt-<time>`, never deleted) so the data folder can start
 * over; the registrations are put back by `Store.open`. `image` false: only the log (the image is sound).
 */
function setAside(ctx: LoadContext, reason: string, image: boolean): void {
  const aside = `${ctx.file}.corrupt-${timestamp()}`;
  try {
    if (image) fs.renameSync(ctx.file, aside);
    if (fs.existsSync(ctx.logFile)) fs.renameSync(ctx.logFile, `${aside}.log`);
  } catch (e) {
    throw unavailable(ctx.file, `is damaged (${reason}) but could not be set aside`, e);
  }
  const kept = image ? `${aside}` : `${aside}.log`;
  const then = image
    ? 'a new one was started with your registered projects: sync them to rebuild their documents.'
    : 'the database was opened as saved before the damage, with your registered projects: sync them to bring them up to date.';
  ctx.warn(`The SDLC Lens ${image ? `database ${reason}` : reason}; it was moved to ${kept} (kept) and ${then}`);
}
