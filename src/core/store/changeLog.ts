// The append-only change log beside the database image (`<db>.log`). Each committed transaction is
// one record of the statements it ran; a torn or corrupt tail is ignored. Layout:
//   header  : "LENSLOG1" (8 bytes) + log id (u32 LE, random; the image's application_id names it)
//   record  : [u32 payload length][u32 crc32 of seq+payload][u64 seq][payload: statements, logCodec.ts]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import type { SqlValue } from 'sql.js';
import { decodePayload, sizePayload, writePayload, type SizedPayload, type Statement } from './logCodec';

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

/**
 * Parses the records in `buf` (which starts at file offset `base`). Stops at the first incomplete
 * or invalid record: `validEnd` is the file offset after the last good one, `torn` whether bytes follow it.
 */
export function decodeRecords(buf: Buffer, base: number): { records: LogRecord[]; validEnd: number; torn: boolean } {
  const records: LogRecord[] = [];
  let at = 0;
  while (buf.length - at >= RECORD_HEAD) {
    const len = buf.readUInt32LE(at);
    if (len > MAX_RECORD || buf.length - at - RECORD_HEAD < len) break;
    const body = buf.subarray(at + 8, at + RECORD_HEAD + len);
    if (crc32(body) !== buf.readUInt32LE(at + 4)) break;
    let statements: Statement[];
    try {
      statements = decodePayload(body.subarray(8));
    } catch {
      break;
    }
    at += RECORD_HEAD + len;
    records.push({ seq: Number(buf.readBigUInt64LE(at - len - 8)), statements, end: base + at });
  }
  return { records, validEnd: base + at, torn: at < buf.length };
}

/** Reads the log from `from` to its end. Null when the file does not exist. */
export function readLogFrom(file: string, from: number): { id: number | null; bytes: Buffer; size: number } | null {
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
    return { id: decodeHeader(head), bytes: bytes.subarray(0, got), size: start + got };
  } finally {
    fs.closeSync(fd);
  }
}

/** Appends `data` at `offset` and fsyncs; on failure, cuts the file back to `offset` (best-effort). */
export function appendAt(file: string, offset: number, data: Buffer): void {
  const fd = fs.openSync(file, 'r+');
  try {
    try {
      let done = 0;
      while (done < data.length) done += fs.writeSync(fd, data, done, data.length - done, offset + done);
      fs.fsyncSync(fd);
    } catch (e) {
      try {
        fs.ftruncateSync(fd, offset);
      } catch {
        // a torn tail left here is ignored by every reader and cut by the next writer
      }
      throw e;
    }
  } finally {
    fs.closeSync(fd);
  }
}

export function truncateLog(file: string, size: number): void {
  fs.truncateSync(file, size);
}

/** Writes `bytes` to `file` atomically: temp file, fsync, rename, fsync the folder. */
export function writeAtomic(file: string, bytes: Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // cleaning up must not hide why the write failed
    }
    throw e;
  }
  fsyncDir(file);
}

export function fsyncDir(file: string): void {
  try {
    const dirFd = fs.openSync(path.dirname(file), 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  } catch {
    // not every platform can fsync a folder (Windows); the rename itself is atomic
  }
}

export type Params = SqlValue[] | Record<string, SqlValue> | undefined;
