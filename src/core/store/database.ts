// The database on disk: a sql.js image (the base) plus an append-only change log beside it. A write
// appends one fsynced record of the statements it ran, so it costs what changed; the log is folded
// into a new image when it grows (or at close). Processes share it under a lock file and catch up
// by replaying only the records appended since they last looked. Crash-safe at every instant:
// a record is committed once its bytes are synced, a torn tail is ignored, an image is swapped by rename.
// This file is the query and transaction surface under the cross-process lock, composed of
// load.ts (opening image + log, classifying failures) and logBook.ts (the log and fold bookkeeping).
import * as path from 'node:path';
import type { Database as SqlDatabase, SqlJsStatic, SqlValue } from 'sql.js';
import type { Statement } from './changeLog';
import { DB_FILE, ensureDir } from './dataDir';
import { acquireLock } from './filelock';
import { applyPragmas, imageLogId, logFileOf } from './image';
import { loadAll, type LoadContext } from './load';
import { LogBook } from './logBook';
import { RegistryFile, registryFileOf, restoreRegistrations, type Registration } from './registry';
import { recordingView } from './recorder';
import { removeStaleWorkFiles } from './pagedFile';
import { migrate, SCHEMA_VERSION, schemaVersionOf, hasFtsTable, rebuildFts } from './schema';
import { CHECKS_FILE } from './loadChecks';
import { FILE_ACCESS_OFF, FILE_ACCESS_ON, hasFileAccess, LOAD_CHECKS_SKIPPED, loadChecksSkipped, loadSqlJs, recordLoadChecks } from './sqljs';
import { hasPagedFiles, PAGED_FILES_ON } from './sqljsPaged';
import type { Logger } from '../types';

export { DB_FILE };

type Row = Record<string, SqlValue>;

/** What a write may leave to the one after it (Store.mutate). */
export interface MutateOptions {
  /**
   * More writes follow at once (a sync's batches before its last): the record may wait for a later
   * write's fsync (LogBook.syncDeferred), and the lock file is kept for the next (LOCK_KEEP_IDLE_MS).
   */
  moreFollow?: boolean;
}

/**
 * A lock kept after a write that more follow (MutateOptions.moreFollow) is released when no write
 * took it again for this long, or at the end of a write once it has been held this long in a row:
 * each lock file made and removed costs ~0.03 ms on a quiet disk and ~1 ms while a sync's own
 * writes keep the file system's journal busy (150 of them in a cold sync of 10k documents: 170 ms).
 * Another process waits for a kept lock as for a write (filelock.ts: backoff up to 50 ms).
 */
const LOCK_KEEP_IDLE_MS = 100;
const LOCK_KEEP_MAX_MS = 250;

/** The cross-process lock as a call holds it: its release, and since when this store has held it. */
interface HeldLock {
  release: () => void;
  since: number;
}

/** Free pages worth a compaction (Store.compact), with at least a quarter of the file free. */
export const COMPACT_MIN_FREE_BYTES = 8 * 1024 * 1024;

export class Store {
  private db: SqlDatabase | null = null;
  /** Where memory stands in the log on disk, and the appends and folds that move it. */
  private readonly log: LogBook;
  /** Serialises this process's writers so the lock file is taken once at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The lock kept after a write that more follow, until the next call takes it or its timer releases it. */
  private keptLock: { lock: HeldLock; timer: ReturnType<typeof setTimeout> } | null = null;
  readonly warnings: string[] = [];
  readonly logFile: string;
  /** `sdlc-lens.projects.json`: the registrations again, so a damaged database never loses them. */
  readonly registryFile: string;
  /** Kept in step after every commit (under the lock); a failed write never fails the commit. */
  private readonly registrations: RegistryFile;
  private readonly loadContext: LoadContext;

  private constructor(
    SQL: SqlJsStatic,
    readonly file: string,
    private readonly logger: Logger,
  ) {
    this.logFile = logFileOf(file);
    this.registryFile = registryFileOf(file);
    this.registrations = new RegistryFile(this.registryFile, logger);
    this.log = new LogBook(file, this.logFile, logger);
    this.loadContext = {
      SQL,
      file,
      logFile: this.logFile,
      registryFile: this.registryFile,
      warn: (message) => {
        this.warnings.push(message);
        this.logger.warn(message);
      },
    };
  }

  static async open(dataDir: string, logger: Logger, wasmPath?: string): Promise<Store> {
    const SQL = await loadSqlJs(wasmPath, path.join(dataDir, CHECKS_FILE));
    logger.info(hasFileAccess() ? FILE_ACCESS_ON : FILE_ACCESS_OFF);
    if (loadChecksSkipped()) logger.info(LOAD_CHECKS_SKIPPED);
    if (hasPagedFiles()) logger.info(PAGED_FILES_ON);
    await ensureDir(dataDir);
    const store = new Store(SQL, path.join(dataDir, DB_FILE), logger);
    removeStaleWorkFiles(store.file);
    await store.withLock(async () => {
      const restore = store.load(true);
      const db = store.connection;
      if (schemaVersionOf(db) === SCHEMA_VERSION && hasFtsTable(db) && store.log.logId !== 0 && !restore) {
        store.registrations.save(store.connection); // a data folder from before the registrations file gets one
        return;
      }
      // Fresh, older, index-less or rebuilt image: migrate (or repair), register again what a
      // damaged database held, and write a new base image.
      store.transaction((d) => {
        migrate(d);
        if (!hasFtsTable(d)) rebuildFts(d);
        if (restore) restoreRegistrations(d, restore);
      });
      store.log.fold(store.connection);
      store.registrations.save(store.connection);
    });
    recordLoadChecks(); // only now: a folder the store could not open is left as it was
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
    return { logId: this.log.logId, seq: this.log.seq };
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
    if (!this.db || !this.log.changedOnDisk()) return false;
    return this.withLock(async () => (this.db ? this.catchUp() : false));
  }

  /**
   * Runs `fn` as one transaction on the latest state, under the cross-process lock. The statements
   * it runs are appended to the log (fsynced) before the commit; if that fails, everything is rolled
   * back, so memory never runs ahead of disk. A call that changes nothing writes nothing.
   * `moreFollow` (a sync's batches before its last): the record is fsynced with a later one
   * (LogBook.syncDeferred), so a crash of the machine may lose it; a call without it syncs them all.
   */
  mutate<T>(fn: (db: SqlDatabase) => T, options: MutateOptions = {}): Promise<{ value: T; reloaded: boolean }> {
    const more = options.moreFollow === true;
    return this.withLock(async () => {
      const reloaded = this.catchUp();
      const db = this.connection;
      const recorded: Statement[] = [];
      // past this, the record would fold the log at once: stop recording, write a new image instead
      const budget = this.log.recordBudget();
      db.exec('BEGIN IMMEDIATE');
      let value: T;
      let foldInstead = false;
      try {
        value = fn(recordingView(db, recorded, budget));
        if (budget.over) foldInstead = true;
        else if (recorded.length > 0) foldInstead = !this.log.appendUnlessFolding(recorded, more);
        if (!more) this.log.syncDeferred(); // also when this call recorded nothing
      } catch (e) {
        db.exec('ROLLBACK');
        throw e;
      }
      db.exec('COMMIT');
      if (foldInstead) this.log.foldCommitted(db, () => this.load(false));
      else if (recorded.length > 0) {
        if (this.log.overFoldSize()) await this.log.tryFold(this.connection);
        this.scheduleIdleFold();
      }
      if (foldInstead || recorded.length > 0) this.registrations.save(this.connection);
      return { value, reloaded };
    }, more);
  }

  /**
   * Runs `fn` as one transaction in memory only, without the lock or a write. For derived data
   * that is safe to lose (the search index queue): it reaches disk with the next fold, and a
   * process that opens the database before then simply redoes the work.
   */
  applyInMemory<T>(fn: (db: SqlDatabase) => T): T {
    return this.transaction(fn);
  }

  /** While a fold writes its image off the thread: settles once it is written (LogBook.writingImage). */
  get writingImage(): Promise<void> | null {
    return this.log.writingImage;
  }

  /** Folds the log into a new base image now (under the lock, after catching up). */
  checkpoint(): Promise<void> {
    return this.withLock(async () => {
      this.catchUp();
      await this.log.foldAsync(this.connection);
    });
  }

  /**
   * Rewrites the database without its free pages when they are at least a quarter of the file and
   * COMPACT_MIN_FREE_BYTES (after a large project is removed or cleared: SQLite keeps the pages,
   * and here they cost memory as well as disk, in this process and every one that opens the image).
   * A fold of the compacted database, then a reload of it. True when it compacted.
   */
  compact(): Promise<boolean> {
    return this.withLock(async () => {
      this.catchUp();
      const db = this.connection;
      const [free, pages, pageSize] = db.exec('PRAGMA freelist_count; PRAGMA page_count; PRAGMA page_size').map((r) => Number(r.values[0]?.[0] ?? 0));
      if (free * pageSize < COMPACT_MIN_FREE_BYTES || free * 4 < pages) return false;
      if (!this.log.foldCompacted(db)) return false;
      this.load(false);
      this.logger.info(`database compacted: ${((free * pageSize) / 2 ** 20).toFixed(1)} MiB of free pages dropped (${(((pages - free) * pageSize) / 2 ** 20).toFixed(1)} MiB now)`);
      return true;
    });
  }

  /** Folds a sizeable log into the image (so the next open replays little), then closes. */
  async close(): Promise<void> {
    if (!this.db) return;
    this.clearIdleTimer();
    if (this.log.wantsIdleFold()) {
      await this.withLock(async () => {
        if (!this.db) return;
        this.catchUp();
        await this.log.tryFold(this.connection);
      }).catch((e) => this.logger.warn(`could not fold the change log at close: ${(e as Error).message}`));
    }
    await this.queue; // a fold writing its image off the thread finishes first (it never rejects: see withLock)
    this.takeKeptLock()?.release();
    try {
      this.log.syncDeferred(); // a sync that stopped before its last batch (its project removed meanwhile)
    } catch (e) {
      this.logger.warn(`could not sync the change log at close: ${(e as Error).message}`);
    }
    this.db?.close();
    this.db = null;
  }

  /**
   * Runs `fn` holding the cross-process lock, after every earlier call of this store. `keep`: the
   * lock is kept for the next call (see LOCK_KEEP_IDLE_MS) instead of being released at once.
   */
  private withLock<T>(fn: () => Promise<T>, keep = false): Promise<T> {
    const next = this.queue.then(async () => {
      const kept = this.takeKeptLock();
      const lock = kept ?? { release: await acquireLock(this.file + '.lock'), since: Date.now() };
      try {
        return await fn();
      } finally {
        if (keep && this.db && Date.now() - lock.since < LOCK_KEEP_MAX_MS) this.keepLock(lock);
        else lock.release();
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The lock a call kept (withLock `keep`), now this call's; null when none is kept. */
  private takeKeptLock(): HeldLock | null {
    const kept = this.keptLock;
    if (!kept) return null;
    clearTimeout(kept.timer);
    this.keptLock = null;
    return kept.lock;
  }

  private keepLock(lock: HeldLock): void {
    const timer = setTimeout(() => this.takeKeptLock()?.release(), LOCK_KEEP_IDLE_MS);
    timer.unref?.();
    this.keptLock = { lock, timer };
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

  // ── disk state (logBook.ts) and loading (load.ts) ─────────────────────────

  /** Under the lock: apply new log records, or reload everything when the image was replaced. */
  private catchUp(): boolean {
    if (!this.db || imageLogId(this.file) !== this.log.logId) {
      this.load(false);
      return true;
    }
    return this.log.replayNew(this.db);
  }

  /**
   * Loads image + log (load.ts classifies every failure) and takes their place in memory. Returns
   * the registrations to put back when a damaged image or log was set aside at start-up.
   */
  private load(startup: boolean): Registration[] | null {
    const loaded = loadAll(this.loadContext, startup);
    this.db?.close();
    this.db = loaded.db;
    applyPragmas(this.db);
    this.log.moveTo(loaded);
    return loaded.restore;
  }

  private scheduleIdleFold(): void {
    this.log.scheduleIdleFold(() => {
      void this.withLock(async () => {
        if (!this.db || !this.log.wantsIdleFold()) return;
        this.catchUp();
        await this.log.tryFold(this.connection);
      }).catch(() => undefined);
    });
  }

  private clearIdleTimer(): void {
    this.log.clearIdleTimer();
  }
}
