// The append-only change log beside the database image (`<db>.log`). Each committed transaction is
// one record of the statements it ran; only an incomplete final record (a torn tail) is ignored. Layout:
//   header  : "LENSLOG1" (8 bytes) + log id (u32 LE, random; the image's application_id names it)
//   record  : [u32 payload length][u32 crc32 of seq+payload][u64 seq][payload: statements, logCodec.ts]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import type { SqlValue } from 'sql.js';
import { decodePayload, isUnknownFormat, sizePayload, writePayload, type SizedPayload, type Statement } from './logCodec';
import { crcStep, piecesOf, type Bytes } from './bytes';
import { closeOnPool, io, writeFully, writeFullyAsync } from './fsio';

export const LOG_MAGIC = Buffer.from('LENSLOG1', 'latin1');
export const HEADER_BYTES = LOG_MAGIC.length + 4;
const RECORD_HEAD = 16; // length + crc + seq
/** A record longer than this is taken as garbage (a torn length field), not a reason to allocate. */
const MAX_RECORD = 1 << 30;

export type { Statement } from './logCodec';

export interface LogRecord {
  seq: number;
  statements: Statement[];
  /** byte offset just past this record */
  end: number;
}

/** A random non-zero u32 other than `previous` (0 is what an image without a log carries). */
export function newLogId(previous: number | null = null): number {
  for (;;) {
    const id = randomBytes(4).readUInt32LE(0);
    if (id !== 0 && id !== previous) return id;
  }
}

const crc32 = (b: Uint8Array): number => (zlib as unknown as { crc32(b: Uint8Array): number }).crc32(b) >>> 0;

/** One record: head (length, crc, seq) and the payload, encoded straight into one buffer. */
export function encodeRecord(seq: number, statements: Statement[] | SizedPayload): Buffer {
  const sized = Array.isArray(statements) ? sizePayload(statements) : statements;
  const out = Buffer.allocUnsafe(RECORD_HEAD + sized.bytes);
  out.writeUInt32LE(sized.bytes, 0);
  out.writeBigUInt64LE(BigInt(seq), 8);
  writePayload(sized, out, RECORD_HEAD);
  out.writeUInt32LE(crc32(out.subarray(8)), 4);
  return out;
}

/** The size of the record these statements make (without encoding them). */
export const recordBytes = (sized: SizedPayload): number => RECORD_HEAD + sized.bytes;

export function encodeHeader(logId: number): Buffer {
  const b = Buffer.alloc(HEADER_BYTES);
  LOG_MAGIC.copy(b, 0);
  b.writeUInt32LE(logId >>> 0, LOG_MAGIC.length);
  return b;
}

/** The log id in a header, or null when the bytes are not a (complete) header. */
export function decodeHeader(b: Uint8Array): number | null {
  if (b.length < HEADER_BYTES || !Buffer.from(b.subarray(0, LOG_MAGIC.length)).equals(LOG_MAGIC)) return null;
  return Buffer.from(b).readUInt32LE(LOG_MAGIC.length);
}

/** A header of a later log format ("LENSLOG2"…): a newer SDLC Lens's log, never to be replaced. */
export function isNewerHeader(b: Uint8Array): boolean {
  const magic = Buffer.from(b.subarray(0, LOG_MAGIC.length)).toString('latin1');
  return /^LENSLOG[2-9A-Z]$/.test(magic);
}

/**
 * Why replaying a log stopped before its end, when it is not a torn tail: a record this version
 * cannot read (`too-new`: written by a newer SDLC Lens) or one that is damaged (`corrupt`: a valid
 * checksum that does not decode or replay, a checksum failure with records after it, a gap in the
 * sequence numbers). Neither is ever cut off: the caller refuses, or sets everything aside.
 */
export class LogProblem extends Error {
  constructor(
    readonly kind: 'too-new' | 'corrupt',
    message: string,
    /** file offset of the record that stopped the replay */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'LogProblem';
  }
}

const allZero = (b: Buffer): boolean => {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
};

/**
 * Parses the records in `buf` (which starts at file offset `base`). Only an incomplete final record
 * is a torn tail (`torn`: bytes follow `validEnd`, the offset after the last good record): its
 * declared length runs past the end, or its checksum fails and nothing but zeros follows it (a crash
 * mid-append may leave the file extended but unwritten). Anything else that stops the parse is a
 * `problem`, reported with the records before it.
 */
export function decodeRecords(
  buf: Buffer,
  base: number,
): { records: LogRecord[]; validEnd: number; torn: boolean; problem: LogProblem | null } {
  const records: LogRecord[] = [];
  let at = 0;
  let problem: LogProblem | null = null;
  while (buf.length - at >= RECORD_HEAD) {
    const len = buf.readUInt32LE(at);
    if (len > MAX_RECORD || buf.length - at - RECORD_HEAD < len) break;
    const end = at + RECORD_HEAD + len;
    const body = buf.subarray(at + 8, end);
    const seq = Number(buf.readBigUInt64LE(at + 8));
    if (crc32(body) !== buf.readUInt32LE(at + 4)) {
      if (end < buf.length && !allZero(buf.subarray(at + RECORD_HEAD))) {
        problem = new LogProblem('corrupt', `has a damaged record at byte ${base + at} (checksum mismatch, records follow it)`, base + at);
      }
      break;
    }
    let statements: Statement[];
    try {
      statements = decodePayload(body.subarray(8));
    } catch (e) {
      problem = isUnknownFormat(body.subarray(8))
        ? new LogProblem('too-new', `record ${seq} was written by a newer SDLC Lens (record format ${body[8]})`, base + at)
        : new LogProblem('corrupt', `record ${seq} cannot be decoded (${(e as Error).message})`, base + at);
      break;
    }
    at = end;
    records.push({ seq, statements, end: base + at });
  }
  return { records, validEnd: base + at, torn: problem === null && at < buf.length, problem };
}

/** Reads the log from `from` to its end. Null when the file does not exist. */
export function readLogFrom(file: string, from: number): { id: number | null; newer: boolean; bytes: Buffer; size: number } | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(HEADER_BYTES, size));
    fs.readSync(fd, head, 0, head.length, 0);
    const start = Math.max(from, HEADER_BYTES);
    const bytes = Buffer.alloc(Math.max(0, size - start));
    let got = 0;
    while (got < bytes.length) {
      const n = fs.readSync(fd, bytes, got, bytes.length - got, start + got);
      if (n === 0) break;
      got += n;
    }
    return { id: decodeHeader(head), newer: isNewerHeader(head), bytes: bytes.subarray(0, got), size: start + got };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Appends `data` at `offset` (looping on short writes) and fsyncs, unless `fsync` is false (then a
 * later append's fsync makes it durable: an fsync flushes the whole file). On failure, cuts the file
 * back to `offset` and syncs that (best-effort: a torn tail left here is ignored by every reader and
 * cut by the next writer).
 */
export function appendAt(file: string, offset: number, data: Buffer, fsync = true): void {
  const fd = io.openSync(file, 'r+');
  try {
    try {
      writeFully(fd, data, offset);
      if (fsync) io.fsyncSync(fd);
    } catch (e) {
      try {
        io.ftruncateSync(fd, offset);
        io.fsyncSync(fd);
      } catch {
        // see above: the next writer cuts it
      }
      throw e;
    }
  } finally {
    io.closeSync(fd);
  }
}

/** fsyncs `file` (what earlier appends without one wrote). */
export function syncFile(file: string): void {
  const fd = io.openSync(file, 'r+');
  try {
    io.fsyncSync(fd);
  } finally {
    io.closeSync(fd);
  }
}

/** Cuts a torn tail off the log and syncs the cut, so a later append never lands after garbage. */
export function truncateLog(file: string, size: number): void {
  const fd = io.openSync(file, 'r+');
  try {
    io.ftruncateSync(fd, size);
    io.fsyncSync(fd);
  } finally {
    io.closeSync(fd);
  }
}

/**
 * Writes `bytes` to `file` atomically: temp file (every byte, looping on short writes), fsync,
 * rename, fsync the folder. Any failure before the rename leaves the previous file untouched.
 * Returns the CRC-32 of what it wrote (an image's checksum record, imageSum.ts).
 */
export function writeAtomic(file: string, bytes: Bytes): number {
  const tmp = tempOf(file);
  let sum = 0;
  try {
    const fd = io.openSync(tmp, 'w');
    try {
      let at = 0;
      for (const piece of piecesOf(bytes)) {
        writeFully(fd, piece, at);
        sum = crcStep(piece, sum);
        at += piece.length;
      }
      io.fsyncSync(fd);
    } finally {
      io.closeSync(fd);
    }
  } catch (e) {
    throw discard(tmp, e);
  }
  commit(tmp, file);
  return sum;
}

/** The temp file writeAtomic writes first. */
const tempOf = (file: string): string => `${file}.tmp-${process.pid}`;

/** Removes the temp file of a failed write and returns why it failed (cleaning up must not hide it). */
function discard(tmp: string, why: unknown): unknown {
  try {
    fs.rmSync(tmp, { force: true });
  } catch {
    // the write's own error is the one to report
  }
  return why;
}

/** Renames the written and synced temp file over `file`, then syncs the folder. */
function commit(tmp: string, file: string): void {
  replaceWith(tmp, file);
  fsyncDir(file);
}

/**
 * Renames `tmp` over `file` (removing `tmp` when that fails). Off Windows, the file replaced is
 * held open across the rename and closed on libuv's pool (closeOnPool), so the rename itself does
 * not free its blocks on the thread.
 */
export function replaceWith(tmp: string, file: string): void {
  let old: number | null = null;
  if (process.platform !== 'win32') {
    try {
      old = fs.openSync(file, 'r');
    } catch {
      // nothing to replace (or not readable): the rename frees nothing the thread waits for
    }
  }
  try {
    io.renameSync(tmp, file);
  } catch (e) {
    throw discard(tmp, e);
  } finally {
    if (old !== null) closeOnPool(old);
  }
}

/**
 * writeAtomic with the bytes written and synced on libuv's thread pool, so a 100 MiB image does
 * not hold the thread for the ~0.5 s its write and fsync take; the same steps and guarantees.
 */
export async function writeAtomicAsync(file: string, bytes: Bytes): Promise<number> {
  const { tmp, sum } = await writeTempAsync(file, bytes);
  replaceWith(tmp, file);
  await fsyncDirAsync(file);
  return sum;
}

/**
 * The first steps of writeAtomicAsync: `bytes` in `file`'s temp file, synced, on the pool. The
 * caller then renames it over `file` (replaceWith) and syncs the folder (fsyncDirAsync), or
 * removes it (discardTemp). Returns the temp file and the CRC-32 of what it holds.
 */
export async function writeTempAsync(file: string, bytes: Bytes): Promise<{ tmp: string; sum: number }> {
  const tmp = tempOf(file);
  let sum = 0;
  try {
    const fd = io.openSync(tmp, 'w');
    try {
      let at = 0;
      for (const piece of piecesOf(bytes)) {
        await writeFullyAsync(fd, piece, at);
        sum = crcStep(piece, sum);
        at += piece.length;
      }
      await io.fsync(fd);
    } finally {
      io.closeSync(fd);
    }
  } catch (e) {
    throw discard(tmp, e);
  }
  return { tmp, sum };
}

/** Removes a temp file that will not be renamed. */
export function discardTemp(tmp: string): void {
  discard(tmp, null);
}

/** Syncs the folder holding `file` (so a rename or a new file survives a power cut). */
export function fsyncDir(file: string): void {
  const dirFd = openFolder(file);
  if (dirFd === null) return;
  try {
    io.fsyncSync(dirFd);
  } catch (e) {
    folderNotSynced(e);
  } finally {
    io.closeSync(dirFd);
  }
}

/** fsyncDir on libuv's thread pool. */
export async function fsyncDirAsync(file: string): Promise<void> {
  const dirFd = openFolder(file);
  if (dirFd === null) return;
  try {
    await io.fsync(dirFd);
  } catch (e) {
    folderNotSynced(e);
  } finally {
    io.closeSync(dirFd);
  }
}

/** The folder holding `file`, open for an fsync; null where a folder cannot be opened (Windows: the rename itself is atomic). */
function openFolder(file: string): number | null {
  try {
    return io.openSync(path.dirname(file), 'r');
  } catch {
    return null;
  }
}

/** A folder that cannot be synced (EINVAL on some file systems) is fine; a failing disk is not. */
function folderNotSynced(e: unknown): void {
  if ((e as NodeJS.ErrnoException).code === 'EIO') throw e;
}

export type Params = SqlValue[] | Record<string, SqlValue> | undefined;
