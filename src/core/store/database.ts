// The database on disk: a sql.js image (the base) plus an append-only change log beside it. A write
// appends one fsynced record of the statements it ran, so it costs what changed; the log is folded
// into a new image when it grows (or at close). Processes share it under a lock file and catch up
// by replaying only the records appended since they last looked. Crash-safe at every instant:
// a record is committed once its bytes are synced, a torn tail is ignored, an image is swapped by rename.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Database as SqlDatabase, SqlJsStatic, SqlValue } from 'sql.js';
import { appendAt, encodeHeader, encodeRecord, HEADER_BYTES, newLogId, recordBytes, truncateLog, writeAtomic, type LogProblem, type Statement } from './changeLog';
import { sizePayload, type SizedPayload } from './logCodec';
import { DB_FILE, ensureDir } from './dataDir';
import { acquireLock } from './filelock';
import { imageSumMatches, recordImageSum } from './imageSum';
import { applyLog, applyPragmas, imageHeader, imageLogId, integrityProblems, isDamageError, logFileOf, metaOf, stampMeta, type LogState } from './image';
import { readRegistry, registrationsOf, registryFileOf, restoreRegistrations, saveRegistry, type Registration } from './registry';
import { LensError, messageOf } from '../errors';
import { phase } from './phase';
import { recordingView, type RecordBudget } from './recorder';
import { migrate, SCHEMA_VERSION, schemaVersionOf, hasFtsTable, rebuildFts } from './schema';
import { loadSqlJs } from './sqljs';
import type { Logger } from '../types';

export { DB_FILE };

type Row = Record<string, SqlValue>;

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

/** Test hook: a fixed fold size, so crash tests fold often. */
const FOLD_OVERRIDE = Number(process.env.SDLC_LENS_FOLD_BYTES) || 0;
/** Log size past which a write folds the log into a new image (or the image's size, if larger). */
const FOLD_MIN_BYTES = FOLD_OVERRIDE || 16 * 1024 * 1024;
/** At close or when idle, fold once the log is this big (or an eighth of the image). */
const IDLE_FOLD_MIN_BYTES = Math.min(FOLD_MIN_BYTES, 1024 * 1024);
const IDLE_FOLD_MS = 5_000;

export class Store {
  private db: SqlDatabase | null = null;
  /** Id of the log that continues the loaded image (0: none yet). */
  private logId = 0;
  /** Seq of the last change applied to memory: the identity of what this process has seen. */
  private seq = 0;
  /** File offset after the last applied log record; null when the log is missing or stale. */
  private logOffset: number | null = null;
  private imageBytes = 0;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  /** Serialises this process's writers so the lock file is taken once at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  readonly warnings: string[] = [];
  readonly logFile: string;
  /** `sdlc-lens.projects.json`: the registrations again, so a damaged database never loses them. */
  readonly registryFile: string;
  /** Registrations to put back after a damaged image or log was set aside at open. */
  private restore: Registration[] | null = null;
  private registryWarned = false;

  private constructor(
    private readonly SQL: SqlJsStatic,
    readonly file: string,
    private readonly logger: Logger,
  ) {
    this.logFile = logFileOf(file);
    this.registryFile = registryFileOf(file);
  }

  static async open(dataDir: string, logger: Logger, wasmPath?: string): Promise<Store> {
    const SQL = await loadSqlJs(wasmPath);
    await ensureDir(dataDir);
    const store = new Store(SQL, path.join(dataDir, DB_FILE), logger);
    await store.withLock(async () => {
      store.loadAll(true);
      const db = store.connection;
      const restore = store.restore;
      store.restore = null;
      if (schemaVersionOf(db) === SCHEMA_VERSION && hasFtsTable(db) && store.logId !== 0 && !restore) {
        store.saveRegistrations(); // a data folder from before the registrations file gets one
        return;
      }
      // Fresh, older, index-less or rebuilt image: migrate (or repair), register again what a
      // damaged database held, and write a new base image.
      store.transaction((d) => {
        migrate(d);
        if (!hasFtsTable(d)) rebuildFts(d);
        if (restore) restoreRegistrations(d, restore);
      });
      store.fold();
      store.saveRegistrations();
    });
    return store;
  }

  get isOpen(): boolean {
    return this.db !== null;
  }

  /** The live connection. Throws when closed. */
  get connection(): SqlDatabase {
    if (!this.db) throw new Error('database is closed');
    return this.db;
  }

  /** What this process has applied: the log id and the seq of its last record (never ino/size/mtime). */
  get generation(): { logId: number; seq: number } {
    return { logId: this.logId, seq: this.seq };
  }

  all(sql: string, params: SqlValue[] = []): Row[] {
    const stmt = this.connection.prepare(sql);
    try {
      stmt.bind(params);
      const rows: Row[] = [];
      while (stmt.step()) rows.push(stmt.getAsObject());
      return rows;
    } finally {
      stmt.free();
    }
  }

  get(sql: string, params: SqlValue[] = []): Row | undefined {
    return this.all(sql, params)[0];
  }

  run(sql: string, params: SqlValue[] = []): number {
    this.connection.run(sql, params);
    return this.connection.getRowsModified();
  }

  /** Applies what other processes committed since we last looked. True when anything changed. */
  async loadOtherWrites(): Promise<boolean> {
    if (!this.db || !this.changedOnDisk()) return false;
    return this.withLock(async () => (this.db ? this.catchUp() : false));
  }

  /**
   * Runs `fn` as one transaction on the latest state, under the cross-process lock. The statements
   * it runs are appended to the log (fsynced) before the commit; if that fails, everything is rolled
   * back, so memory never runs ahead of disk. A call that changes nothing writes nothing.
   */
  mutate<T>(fn: (db: SqlDatabase) => T): Promise<{ value: T; reloaded: boolean }> {
    return this.withLock(async () => {
      const reloaded = this.catchUp();
      const db = this.connection;
      const recorded: Statement[] = [];
      // past this, the record would fold the log at once: stop recording, write a new image instead
      const budget: RecordBudget = { limit: this.foldBytes() - this.logBytes(), bytes: 0, over: false };
      db.exec('BEGIN IMMEDIATE');
      let value: T;
      let foldInstead = false;
      try {
        value = fn(recordingView(db, recorded, budget));
        if (budget.over) foldInstead = true;
        else if (recorded.length > 0) {
          // A record that would make the log fold right away (a cold sync): write the new image
          // instead of logging every statement first and then writing the image anyway.
          const sized = sizePayload(recorded);
          foldInstead = this.logBytes() + recordBytes(sized) > this.foldBytes();
          if (!foldInstead) this.append(sized);
        }
      } catch (e) {
        db.exec('ROLLBACK');
        throw e;
      }
      db.exec('COMMIT');
      if (foldInstead) this.foldCommitted();
      else if (recorded.length > 0) {
        if (this.logBytes() > this.foldBytes()) this.tryFold();
        this.scheduleIdleFold();
      }
      if (foldInstead || recorded.length > 0) this.saveRegistrations();
      return { value, reloaded };
    });
  }

  /**
   * Runs `fn` as one transaction in memory only, without the lock or a write. For derived data
   * that is safe to lose (the search index queue): it reaches disk with the next fold, and a
   * process that opens the database before then simply redoes the work.
   */
  applyInMemory<T>(fn: (db: SqlDatabase) => T): T {
    return this.transaction(fn);
  }

  /** Folds the log into a new base image now (under the lock, after catching up). */
  checkpoint(): Promise<void> {
    return this.withLock(async () => {
      this.catchUp();
      this.fold();
    });
  }

  /** Folds a sizeable log into the image (so the next open replays little), then closes. */
  async close(): Promise<void> {
    if (!this.db) return;
    this.clearIdleTimer();
    if (this.logBytes() > this.idleFoldBytes()) {
      await this.withLock(async () => {
        if (!this.db) return;
        this.catchUp();
        this.tryFold();
      }).catch((e) => this.logger.warn(`could not fold the change log at close: ${(e as Error).message}`));
    }
    this.db?.close();
    this.db = null;
  }

  private withLock<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      const release = await acquireLock(this.file + '.lock');
      try {
        return await fn();
      } finally {
        release();
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private transaction<T>(fn: (db: SqlDatabase) => T): T {
    const db = this.connection;
    db.exec('BEGIN IMMEDIATE');
    try {
      const value = fn(db);
      db.exec('COMMIT');
      return value;
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
  }

  // ── disk state ─────────────────────────────────────────────────────────────

  private logBytes(): number {
    return this.logOffset === null ? 0 : this.logOffset - HEADER_BYTES;
  }

  private idleFoldBytes(): number {
    return FOLD_OVERRIDE || Math.max(IDLE_FOLD_MIN_BYTES, this.imageBytes / 8);
  }

  /** Cheap check without the lock: 4 bytes of the image header and the log's size. */
  private changedOnDisk(): boolean {
    if (imageLogId(this.file) !== this.logId) return true;
    let size: number;
    try {
      size = fs.statSync(this.logFile).size;
    } catch {
      return false;
    }
    if (this.logOffset !== null) return size !== this.logOffset;
    return size > HEADER_BYTES; // a log appeared (or a stale one lingers: catchUp sorts it out)
  }

  /** Under the lock: apply new log records, or reload everything when the image was replaced. */
  private catchUp(): boolean {
    if (!this.db || imageLogId(this.file) !== this.logId) {
      this.loadAll(false);
      return true;
    }
    const st = this.readLog(this.db, this.logId, this.seq, this.logOffset ?? 0);
    // Memory holds exactly the records applied so far, whatever stopped the replay: note where it
    // is, so a later call neither applies them twice nor wedges; it meets the same record and fails
    // with the same clear error until the cause is gone (a restart sets a damaged log aside).
    if (st.offset !== null || !st.problem) {
      this.seq = st.seq;
      this.logOffset = st.offset;
    }
    if (st.problem) throw this.logRefusal(st.problem, false);
    if (st.offset !== null && st.torn) truncateLog(this.logFile, st.offset); // a writer died mid-append
    return st.applied > 0;
  }

  /** Log size past which a write folds the log into a new image. */
  private foldBytes(): number {
    return FOLD_OVERRIDE || Math.max(FOLD_MIN_BYTES, this.imageBytes);
  }

  /**
   * Makes a transaction committed in memory durable by folding it into a new image. If that
   * fails, memory is reloaded from disk (which does not have it), so it never runs ahead of disk.
   */
  private foldCommitted(): void {
    this.seq++;
    try {
      this.fold();
    } catch (e) {
      try {
        this.loadAll(false);
      } catch (reload) {
        this.logger.error(`could not reload the database after a failed write: ${(reload as Error).message}`);
      }
      throw e;
    }
  }

  private append(statements: Statement[] | SizedPayload): void {
    const seq = this.seq + 1;
    const record = encodeRecord(seq, statements);
    phase('append');
    if (this.logOffset === null) this.createLog();
    appendAt(this.logFile, this.logOffset!, record);
    phase('appended');
    this.seq = seq;
    this.logOffset! += record.length;
  }

  /** A new, empty log for the current image (temp + rename, so it is never half there). */
  private createLog(): void {
    writeAtomic(this.logFile, encodeHeader(this.logId));
    this.logOffset = HEADER_BYTES;
  }

  /**
   * Writes memory as the new base image, continued by a new empty log. A crash after the image's
   * rename but before the log's leaves the old log, whose id the image no longer names: it is
   * ignored (everything in it is in the image), so every instant is consistent.
   */
  private fold(): void {
    const db = this.connection;
    const next = newLogId(this.logId);
    phase('fold');
    let image: Uint8Array;
    try {
      stampMeta(db, next, this.seq);
      image = db.export(); // sql.js closes and reopens the connection here
      this.applyPragmas();
      writeAtomic(this.file, image);
      recordImageSum(this.file, image);
    } catch (e) {
      this.applyPragmas();
      db.exec(`PRAGMA application_id = ${this.logId | 0}`);
      throw e;
    }
    phase('fold-image');
    this.logId = next;
    this.logOffset = null;
    this.imageBytes = image.length;
    try {
      this.createLog();
    } catch (e) {
      // the old log is now stale and ignored; the next write creates this one
      this.logger.warn(`could not start a new change log: ${(e as Error).message}`);
    }
    phase('fold-done');
  }

  private tryFold(): void {
    try {
      this.fold();
    } catch (e) {
      this.logger.warn(`could not fold the change log into the database image (retried later): ${(e as Error).message}`);
    }
  }

  private scheduleIdleFold(): void {
    this.clearIdleTimer();
    if (this.logBytes() <= this.idleFoldBytes()) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      void this.withLock(async () => {
        if (!this.db || this.logBytes() <= this.idleFoldBytes()) return;
        this.catchUp();
        this.tryFold();
      }).catch(() => undefined);
    }, IDLE_FOLD_MS);
    this.idleTimer.unref?.();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /**
   * Loads image + log, classifying every failure (RELIABILITY.md):
   * - a read that fails (EACCES, EIO, EMFILE, EBUSY, out of memory…): DATABASE_UNAVAILABLE, nothing touched;
   * - a newer schema or a log record this version cannot decode: DATABASE_TOO_NEW, nothing touched;
   * - genuinely damaged (not SQLite, fails its integrity check; a log record that fails to decode or
   *   replay, a seq gap): at start-up the damaged files are set aside (kept) and the database is rebuilt
   *   with every registration (from the registrations file, else salvaged); later, a clear error.
   */
  private loadAll(startup: boolean): void {
    const bytes = this.readImage();
    let db: SqlDatabase | null = null;
    if (bytes) {
      const opened = this.openImage(bytes, startup);
      if ('damage' in opened) {
        if (!startup) throw unavailable(this.file, 'is damaged', new Error(opened.damage));
        this.setAside(opened.damage, true);
        this.restore = readRegistry(this.registryFile) ?? opened.salvage;
      } else db = opened.db;
    }
    db ??= new this.SQL.Database();
    applyPragmas(db);
    const meta = metaOf(db);
    let st: LogState;
    try {
      st = this.readLog(db, meta.logId, meta.seq, 0);
    } catch (e) {
      db.close();
      throw e;
    }
    if (st.problem) {
      if (st.problem.kind === 'too-new' || !startup) {
        db.close();
        throw this.logRefusal(st.problem, startup);
      }
      // Damaged log: keep the image and every record before the damage, set the log aside whole.
      this.setAside(`change log ${st.problem.message}`, false);
      this.restore = readRegistry(this.registryFile) ?? this.salvageFrom(db);
      st = { ...st, offset: null, torn: false };
    }
    if (st.offset !== null && st.torn) truncateLog(this.logFile, st.offset);
    this.db?.close();
    this.db = db;
    this.applyPragmas();
    this.logId = meta.logId;
    this.seq = st.seq;
    this.logOffset = st.offset;
    this.imageBytes = bytes?.length ?? 0;
  }

  /** The image's bytes; null when there is none. Any other failure is transient: refused, not reset. */
  private readImage(): Uint8Array | null {
    try {
      return fs.readFileSync(this.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw unavailable(this.file, 'could not be read', e);
    }
  }

  /**
   * Loads an image, or says why it is damaged (with whatever registrations it still yields). The
   * header is judged first, so a newer schema is refused without loading it; the page check runs at
   * start-up (and for a newer schema, so a damaged header is not mistaken for a newer version).
   */
  private openImage(bytes: Uint8Array, check: boolean): { db: SqlDatabase } | { damage: string; salvage: Registration[] } {
    const header = imageHeader(bytes);
    if (!header) return { damage: 'is not an SQLite database', salvage: [] };
    let db: SqlDatabase | null = null;
    try {
      db = new this.SQL.Database(bytes);
      db.exec('SELECT count(*) FROM sqlite_master');
      // the page check is skipped for the exact bytes a fold wrote or a check passed (imageSum.ts)
      const full = (check && !imageSumMatches(this.file, bytes)) || header.userVersion > SCHEMA_VERSION;
      const problems = full ? integrityProblems(db) : null;
      if (problems) return { damage: `fails its integrity check (${problems})`, salvage: this.salvageFrom(db) };
      if (full && header.userVersion <= SCHEMA_VERSION) recordImageSum(this.file, bytes);
      if (header.userVersion > SCHEMA_VERSION) {
        throw tooNew(this.file, `has schema ${header.userVersion} (this version reads up to ${SCHEMA_VERSION})`);
      }
      const opened = db;
      db = null;
      return { db: opened };
    } catch (e) {
      if (e instanceof LensError) throw e;
      if (isDamageError(e)) return { damage: `is damaged (${messageOf(e)})`, salvage: db ? this.salvageFrom(db) : [] };
      throw unavailable(this.file, 'could not be loaded', e);
    } finally {
      db?.close();
    }
  }

  /** The registrations a damaged database still yields (best-effort: nothing when it cannot be read). */
  private salvageFrom(db: SqlDatabase): Registration[] {
    try {
      return registrationsOf(db);
    } catch {
      return [];
    }
  }

  /** Replays the log; a read that fails is transient (the log is left as it is). */
  private readLog(db: SqlDatabase, logId: number, seq: number, from: number): LogState {
    try {
      return applyLog(db, this.logFile, logId, seq, from);
    } catch (e) {
      throw unavailable(this.logFile, 'could not be read', e);
    }
  }

  private logRefusal(problem: LogProblem, startup: boolean): LensError {
    if (problem.kind === 'too-new') return tooNew(this.file, `has a change log that ${problem.message}`);
    const next = startup ? '' : ' Restart SDLC Lens: it sets the damaged log aside (kept) and keeps every registration.';
    return new LensError(
      'DATABASE_UNAVAILABLE',
      `The SDLC Lens change log ${this.logFile} ${problem.message}; nothing was cut or changed.${next}`,
    );
  }

  /**
   * Moves damaged files aside (`<db>.corrupt-<time>`, never deleted) so the data folder can start
   * over; the registrations are put back by `open`. `image` false: only the log (the image is sound).
   */
  private setAside(reason: string, image: boolean): void {
    const aside = `${this.file}.corrupt-${timestamp()}`;
    try {
      if (image) fs.renameSync(this.file, aside);
      if (fs.existsSync(this.logFile)) fs.renameSync(this.logFile, `${aside}.log`);
    } catch (e) {
      throw unavailable(this.file, `is damaged (${reason}) but could not be set aside`, e);
    }
    const kept = image ? `${aside}` : `${aside}.log`;
    const then = image
      ? 'a new one was started with your registered projects: sync them to rebuild their documents.'
      : 'the database was opened as saved before the damage, with your registered projects: sync them to bring them up to date.';
    const message = `The SDLC Lens ${image ? `database ${reason}` : reason}; it was moved to ${kept} (kept) and ${then}`;
    this.warnings.push(message);
    this.logger.warn(message);
  }

  /** Keeps the registrations file in step (under the lock, after a commit). Never fails a write. */
  private saveRegistrations(): void {
    if (saveRegistry(this.registryFile, this.connection)) {
      this.registryWarned = false;
      return;
    }
    if (this.registryWarned) return;
    this.registryWarned = true;
    this.logger.warn(`could not write ${this.registryFile} (retried with the next change)`);
  }

  private applyPragmas(): void {
    applyPragmas(this.connection);
  }
}
