// Where this process stands in the image + change log on disk, and the writes that move it: append
// a record, fold memory into a new base image, the fold-size thresholds and the idle fold.
// Crash-safe at every instant: a record counts once its bytes are synced, an image is swapped by rename.
import * as fs from 'node:fs';
import type { Database as SqlDatabase } from 'sql.js';
import {
  appendAt,
  discardTemp,
  encodeHeader,
  encodeRecord,
  fsyncDirAsync,
  HEADER_BYTES,
  newLogId,
  recordBytes,
  replaceWith,
  syncFile,
  truncateLog,
  writeAtomic,
  writeAtomicAsync,
  writeTempAsync,
  type Statement,
} from './changeLog';
import { sizePayload, type SizedPayload } from './logCodec';
import { recordKnownSum } from './imageSum';
import { applyPragmas, imageLogId, stampMeta } from './image';
import { logRefusal, readLog } from './load';
import { phase } from './phase';
import { compactedFile, snapshotFile, type FileSnapshot } from './sqljs';
import type { RecordBudget } from './recorder';
import type { Logger } from '../types';

/** Test hook: a fixed fold size, so crash tests fold often. */
const FOLD_OVERRIDE = Number(process.env.SDLC_LENS_FOLD_BYTES) || 0;
/** Log size past which a write folds the log into a new image (or the image's size, if larger). */
const FOLD_MIN_BYTES = FOLD_OVERRIDE || 16 * 1024 * 1024;
/** At close or when idle, fold once the log is this big (or an eighth of the image). */
const IDLE_FOLD_MIN_BYTES = Math.min(FOLD_MIN_BYTES, 1024 * 1024);
const IDLE_FOLD_MS = 5_000;
/**
 * At close or when idle, also fold once the log holds this many statements: every new process
 * replays them (~0.1–0.15 ms each, SQLite rewriting each row), and a re-sync after every file was
 * touched logs one small UPDATE per document, far below the byte threshold (3,584 in 232 KiB).
 */
const IDLE_FOLD_MIN_STATEMENTS = 2_000;
/**
 * Records appended without an fsync (`moreFollow`: a sync's batches before its last) are synced
 * once this many bytes are waiting: one fsync per batch of ~512 KiB cost 0.9 ms each, 0.5 s of a
 * cold sync of 50k documents; an fsync of several MiB at once costs ~0.4 ms a MiB, and this bounds it.
 */
const DEFERRED_SYNC_BYTES = 8 * 1024 * 1024;

/** A position in the log: what a loaded state has applied. */
export interface LogPosition {
  logId: number;
  seq: number;
  logOffset: number | null;
  imageBytes: number;
  /** Statements in the log's records (replayed by every process that opens it). */
  logStatements: number;
}

export class LogBook implements LogPosition {
  /** Id of the log that continues the loaded image (0: none yet). */
  logId = 0;
  /** Seq of the last change applied to memory: the identity of what this process has seen. */
  seq = 0;
  /** File offset after the last applied log record; null when the log is missing or stale. */
  logOffset: number | null = null;
  imageBytes = 0;
  logStatements = 0;
  /** Bytes appended to the log since its last fsync (records appended with `moreFollow`). */
  private unsyncedBytes = 0;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly file: string,
    readonly logFile: string,
    private readonly logger: Logger,
  ) {}

  /** Takes the position of a state just loaded from disk. */
  moveTo(at: LogPosition): void {
    this.logId = at.logId;
    this.seq = at.seq;
    this.logOffset = at.logOffset;
    this.imageBytes = at.imageBytes;
    this.logStatements = at.logStatements;
    this.unsyncedBytes = 0;
  }

  logBytes(): number {
    return this.logOffset === null ? 0 : this.logOffset - HEADER_BYTES;
  }

  /** Log size past which a write folds the log into a new image. */
  foldBytes(): number {
    return FOLD_OVERRIDE || Math.max(FOLD_MIN_BYTES, this.imageBytes);
  }

  /** True when the log is big enough, or long enough to replay, to fold at close or when idle. */
  wantsIdleFold(): boolean {
    if (this.logOffset !== null && this.logStatements >= IDLE_FOLD_MIN_STATEMENTS) return true;
    return this.logBytes() > (FOLD_OVERRIDE || Math.max(IDLE_FOLD_MIN_BYTES, this.imageBytes / 8));
  }

  /** Cheap check without the lock: 4 bytes of the image header and the log's size. */
  changedOnDisk(): boolean {
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

  /**
   * A record at most this big is always logged, even past the fold size; the write that takes the
   * log past it then folds off the thread (mutate → tryFold). Only a larger one folds at once,
   * writing its image on the thread: a cold sync's batches (~512 KiB each, sync/plan.ts) used to
   * fold that way whenever one crossed the fold size, each fold holding the engine thread for the
   * whole image's write and fsync (~1 s at 50k documents).
   */
  smallRecordBytes(): number {
    return Math.floor(this.foldBytes() / 4);
  }

  /** How much a transaction may record before its record would fold the log at once. */
  recordBudget(): RecordBudget {
    return { limit: Math.max(this.foldBytes() - this.logBytes(), this.smallRecordBytes()), bytes: 0, over: false };
  }

  /**
   * Appends `recorded` (fsynced) as the next record, unless it is large (smallRecordBytes) and would
   * take the log past the fold size (one huge transaction): then false, and the caller writes the
   * new image instead of logging every statement first and then writing the image anyway.
   * `deferSync` (MutateOptions.moreFollow): the record need not be durable yet (see syncDeferred).
   */
  appendUnlessFolding(recorded: Statement[], deferSync = false): boolean {
    const sized = sizePayload(recorded);
    const bytes = recordBytes(sized);
    if (bytes > this.smallRecordBytes() && this.logBytes() + bytes > this.foldBytes()) return false;
    this.append(sized, deferSync);
    return true;
  }

  /**
   * fsyncs what records appended with `moreFollow` left unsynced. Such a record is one a crash of
   * the machine may lose (the file's later records with it, never one in the middle: each is
   * checked by its CRC and the log read up to the first bad one); the next sync writes it again.
   * A process that dies keeps it: it is in the OS's cache. Throws what fsync throws.
   */
  syncDeferred(): void {
    if (this.unsyncedBytes === 0 || this.logOffset === null) return;
    syncFile(this.logFile);
    this.unsyncedBytes = 0;
  }

  /** True when the log has grown past the fold size (a write folds it). */
  overFoldSize(): boolean {
    return this.logBytes() > this.foldBytes();
  }

  /**
   * Under the lock, with the image unchanged: applies to `db` the records appended since this
   * position. True when any were.
   */
  replayNew(db: SqlDatabase): boolean {
    const st = readLog(db, this.logFile, this.logId, this.seq, this.logOffset ?? 0);
    // Memory holds exactly the records applied so far, whatever stopped the replay: note where it
    // is, so a later call neither applies them twice nor wedges; it meets the same record and fails
    // with the same clear error until the cause is gone (a restart sets a damaged log aside).
    if (st.offset !== null || !st.problem) {
      this.seq = st.seq;
      this.logOffset = st.offset;
      this.logStatements = st.offset === null ? 0 : this.logStatements + st.statements;
    }
    if (st.problem) throw logRefusal(this, st.problem, false);
    if (st.offset !== null && st.torn) truncateLog(this.logFile, st.offset); // a writer died mid-append
    return st.applied > 0;
  }

  private append(statements: Statement[] | SizedPayload, deferSync = false): void {
    const seq = this.seq + 1;
    const record = encodeRecord(seq, statements);
    phase('append');
    if (this.logOffset === null) this.createLog();
    // an fsync flushes the whole file: it makes the deferred records before this one durable too
    const fsync = !deferSync || this.unsyncedBytes + record.length >= DEFERRED_SYNC_BYTES;
    appendAt(this.logFile, this.logOffset!, record, fsync);
    this.unsyncedBytes = fsync ? 0 : this.unsyncedBytes + record.length;
    phase('appended');
    this.seq = seq;
    this.logOffset! += record.length;
    this.logStatements += Array.isArray(statements) ? statements.length : statements.statements.length;
  }

  /** A new, empty log for the current image (temp + rename, so it is never half there). */
  private createLog(): void {
    writeAtomic(this.logFile, encodeHeader(this.logId));
    this.logOffset = HEADER_BYTES;
  }

  /**
   * createLog with its write and the two fsyncs on libuv's pool: after a large image those waited
   * for the disk on the thread (50-550 ms at 50k documents). The caller holds the lock, so no
   * append comes in between; should one have created the log meanwhile, this one is not renamed.
   */
  private async createLogAsync(): Promise<void> {
    const id = this.logId;
    const { tmp } = await writeTempAsync(this.logFile, encodeHeader(id));
    if (this.logId !== id || this.logOffset !== null) return discardTemp(tmp);
    replaceWith(tmp, this.logFile);
    this.logOffset = HEADER_BYTES;
    try {
      await fsyncDirAsync(this.logFile);
    } catch (e) {
      if (this.logId === id && this.logOffset === HEADER_BYTES) this.logOffset = null; // as createLog leaves it
      throw e;
    }
  }

  /**
   * Writes `db` as the new base image, continued by a new empty log. A crash after the image's
   * rename but before the log's leaves the old log, whose id the image no longer names: it is
   * ignored (everything in it is in the image), so every instant is consistent.
   */
  fold(db: SqlDatabase): void {
    const { next, image } = this.exportImage(db, snapshotFile);
    this.writeFolded(db, next, image);
  }

  /** Writes a fold's image (synchronously), then moves to the new log; a failure leaves memory naming the current one. */
  private writeFolded(db: SqlDatabase, next: number, image: FileSnapshot): void {
    try {
      const crc = writeAtomic(this.file, image.bytes);
      recordKnownSum(this.file, image.bytes.length, crc);
      image.rebase?.(this.file);
    } catch (e) {
      this.unstamp(db);
      throw e;
    } finally {
      image.release();
    }
    this.folded(next, image.bytes.length);
  }

  /**
   * fold() with the image written, synced and checksummed off the thread (a 100 MiB image: ~0.5 s
   * of write and fsync that held every API request and query). For a fold of what the log already
   * holds (idle, close, after an append, the search index's save): memory equals disk throughout,
   * and the caller holds the lock, so no log write comes in between. The image written is a frozen
   * snapshot of the in-memory file (sqljs.ts snapshotFile): the search indexer waits for it
   * (writingImage), and any other in-memory write meanwhile copies the buffer instead of changing
   * what is being written.
   */
  async foldAsync(db: SqlDatabase): Promise<void> {
    const { next, image } = this.exportImage(db, snapshotFile);
    let done!: () => void;
    this.writingImage = new Promise<void>((r) => (done = r));
    try {
      const crc = await writeAtomicAsync(this.file, image.bytes);
      recordKnownSum(this.file, image.bytes.length, crc);
      image.rebase?.(this.file);
    } catch (e) {
      this.unstamp(db);
      throw e;
    } finally {
      image.release();
      this.writingImage = null;
      done();
    }
    await this.foldedAsync(next, image.bytes.length);
  }

  /**
   * While a fold writes its image off the thread: settles when it is written. Writers that take no
   * lock (the search indexer's in-memory slices) wait for it, so the frozen file is never copied.
   */
  writingImage: Promise<void> | null = null;

  /**
   * Stamps `db` with the log that will continue it and takes the image with `take`: the file's own
   * buffer, frozen (snapshotFile; export()'s copy where that is not available), or the database
   * without its free pages (compactedFile; null where not available).
   */
  private exportImage<I extends FileSnapshot | null>(db: SqlDatabase, take: (db: SqlDatabase) => I): { next: number; image: I } {
    const next = newLogId(this.logId);
    phase('fold');
    try {
      stampMeta(db, next, this.seq);
      const image = take(db);
      if (image?.exported) applyPragmas(db); // sql.js's export resets them
      return { next, image };
    } catch (e) {
      this.unstamp(db);
      throw e;
    }
  }

  /**
   * A fold whose image is `db` without its free pages (sqljs.ts compactedFile): false, writing
   * nothing, when that is not available. The caller reloads the image afterwards, so memory holds
   * the compacted file too. Crash-safe as every fold: the image is swapped by rename.
   */
  foldCompacted(db: SqlDatabase): boolean {
    const { next, image } = this.exportImage(db, compactedFile);
    if (!image) {
      this.unstamp(db);
      return false;
    }
    this.writeFolded(db, next, image);
    return true;
  }

  /** After a failed fold: memory names the current log again. */
  private unstamp(db: SqlDatabase): void {
    applyPragmas(db);
    db.exec(`PRAGMA application_id = ${this.logId | 0}`);
  }

  private folded(next: number, imageBytes: number): void {
    this.nextLog(next, imageBytes);
    try {
      this.createLog();
    } catch (e) {
      this.noNewLog(e);
    }
    phase('fold-done');
  }

  /** folded() for foldAsync: the new log is written off the thread. */
  private async foldedAsync(next: number, imageBytes: number): Promise<void> {
    this.nextLog(next, imageBytes);
    try {
      await this.createLogAsync();
    } catch (e) {
      this.noNewLog(e);
    }
    phase('fold-done');
  }

  /** The image just written names log `next`: from here on, writes go to it. */
  private nextLog(next: number, imageBytes: number): void {
    phase('fold-image');
    this.logId = next;
    this.logOffset = null;
    this.imageBytes = imageBytes;
    this.logStatements = 0;
    this.unsyncedBytes = 0; // the image, synced, holds them
  }

  /** The old log is now stale and ignored; the next write creates this one. */
  private noNewLog(e: unknown): void {
    this.logger.warn(`could not start a new change log: ${(e as Error).message}`);
  }


  /**
   * Makes a transaction committed in memory durable by folding it into a new image. If that
   * fails, `reload` puts memory back to what is on disk (which does not have it), so it never runs
   * ahead of disk.
   */
  foldCommitted(db: SqlDatabase, reload: () => void): void {
    this.seq++;
    try {
      this.fold(db);
    } catch (e) {
      try {
        reload();
      } catch (failed) {
        this.logger.error(`could not reload the database after a failed write: ${(failed as Error).message}`);
      }
      throw e;
    }
  }

  /** A fold that may fail: the log stays as it is and a later write or close tries again. */
  async tryFold(db: SqlDatabase): Promise<void> {
    try {
      await this.foldAsync(db);
    } catch (e) {
      this.logger.warn(`could not fold the change log into the database image (retried later): ${(e as Error).message}`);
    }
  }

  /** After a logged write: once the log wants folding, `fold` runs when no write came for a while. */
  scheduleIdleFold(fold: () => void): void {
    this.clearIdleTimer();
    if (!this.wantsIdleFold()) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      fold();
    }, IDLE_FOLD_MS);
    this.idleTimer.unref?.();
  }

  clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
