// The database on disk: a sql.js image (the base) plus an append-only change log beside it. A write
// appends one fsynced record of the statements it ran, so it costs what changed; the log is folded
// into a new image when it grows (or at close). Processes share it under a lock file and catch up
// by replaying only the records appended since they last looked. Crash-safe at every instant:
// a record is committed once its bytes are synced, a torn tail is ignored, an image is swapped by rename.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Database as SqlDatabase, SqlJsStatic, SqlValue } from 'sql.js';
import { appendAt, encodeHeader, encodeRecord, HEADER_BYTES, newLogId, recordBytes, truncateLog, writeAtomic, type Statement } from './changeLog';
import { sizePayload, type SizedPayload } from './logCodec';
import { ensureDir } from './dataDir';
import { acquireLock } from './filelock';
import { applyLog, applyPragmas, imageLogId, logFileOf, metaOf, stampMeta } from './image';
import { phase } from './phase';
import { recordingView, type RecordBudget } from './recorder';
import { migrate, SCHEMA_VERSION, schemaVersionOf, hasFtsTable, rebuildFts } from './schema';
import { loadSqlJs } from './sqljs';
import type { Logger } from '../types';

export const DB_FILE = 'sdlc-lens.db';

type Row = Record<string, SqlValue>;

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
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

  private constructor(
    private readonly SQL: SqlJsStatic,
    readonly file: string,
    private readonly logger: Logger,
  ) {
    this.logFile = logFileOf(file);
  }

  static async open(dataDir: string, logger: Logger, wasmPath?: string): Promise<Store> {
    const SQL = await loadSqlJs(wasmPath);
    await ensureDir(dataDir);
    const store = new Store(SQL, path.join(dataDir, DB_FILE), logger);
    await store.withLock(async () => {
      store.loadAll(true);
      const db = store.connection;
      if (schemaVersionOf(db) === SCHEMA_VERSION && hasFtsTable(db) && store.logId !== 0) return;
      // Fresh, older or index-less image: migrate (or repair) and write a new base image.
      store.transaction((d) => {
        migrate(d);
        if (!hasFtsTable(d)) rebuildFts(d);
      });
      store.fold();
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
  async refresh(): Promise<boolean> {
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
    const st = applyLog(this.db, this.logFile, this.logId, this.seq, this.logOffset ?? 0);
    if (st.offset !== null && st.torn) truncateLog(this.logFile, st.offset); // a writer died mid-append
    this.seq = st.seq;
    this.logOffset = st.offset;
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

  /** Loads image + log. At start-up a corrupt or unreadable file is moved aside, never deleted. */
  private loadAll(startup: boolean): void {
    let bytes: Uint8Array | null = null;
    if (fs.existsSync(this.file)) {
      try {
        bytes = fs.readFileSync(this.file);
      } catch (e) {
        if (!startup) throw e;
        this.setAside(`could not be read (${(e as Error).message})`);
      }
    }
    let db: SqlDatabase | null = null;
    if (bytes && bytes.length > 0) {
      try {
        db = new this.SQL.Database(bytes);
        db.exec('SELECT count(*) FROM sqlite_master');
        if (schemaVersionOf(db) > SCHEMA_VERSION) {
          throw new Error(`it was written by a newer SDLC Lens (schema ${schemaVersionOf(db)})`);
        }
      } catch (e) {
        db?.close();
        db = null;
        if (!startup) throw e;
        this.setAside(`is not a database this version can open (${(e as Error).message})`);
      }
    }
    db ??= new this.SQL.Database();
    applyPragmas(db);
    const meta = metaOf(db);
    let st = { seq: meta.seq, offset: null as number | null, torn: false };
    if (meta.logId !== 0) {
      try {
        st = applyLog(db, this.logFile, meta.logId, meta.seq);
      } catch (e) {
        if (!startup) {
          db.close();
          throw e;
        }
        // A record that cannot be replayed: keep the image's state, keep the log's bytes aside.
        const aside = `${this.logFile}.corrupt-${timestamp()}`;
        fs.renameSync(this.logFile, aside);
        db.close();
        db = new this.SQL.Database(bytes!);
        applyPragmas(db);
        const message = `The SDLC Lens change log ${(e as Error).message}; it was moved to ${aside} and the last saved image was opened. Sync your projects again.`;
        this.warnings.push(message);
        this.logger.warn(message);
      }
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

  private setAside(reason: string): void {
    const aside = `${this.file}.corrupt-${timestamp()}`;
    fs.renameSync(this.file, aside);
    if (fs.existsSync(this.logFile)) fs.renameSync(this.logFile, `${aside}.log`);
    const message = `The SDLC Lens database ${reason}; it was moved to ${aside} and a fresh database was started. Register and sync your projects again.`;
    this.warnings.push(message);
    this.logger.warn(message);
  }

  private applyPragmas(): void {
    applyPragmas(this.connection);
  }
}
