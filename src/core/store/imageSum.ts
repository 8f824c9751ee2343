// The start-up integrity check without its per-process cost (issue 18). Every process that opens
// the database page-checks the image (PRAGMA quick_check of each table, image.ts integrityProblems):
// seconds at 10k documents, paid again by every short-lived CLI command. The image is only ever
// written whole by a fold (temp file + rename), so the writer records its size and CRC-32 beside it
// (`sdlc-lens.db.sum`); a process whose image has that size and checksum knows it holds exactly the
// bytes a fold wrote (any damage, truncation or foreign write changes the CRC) and skips the page
// check. A CRC is ~20× cheaper than the page check (native zlib, one pass over bytes already read).
// The record is a hint: missing, stale or unreadable, the full check runs as before (and a passing
// check records the sum), so losing it in a crash costs one check, never a wrong answer.
// With the file on disk (pagedFile.ts) a process no longer reads the image whole, and the CRC pass
// would be the only full read left (145 MiB at 11.7k documents, every CLI command). So the record
// also names the file it was taken of: inode, size, mtime and ctime, as the writer saw them right
// after its rename. A file with that identity has not been written since (any write or rename moves
// mtime and ctime, and ctime cannot be set back), so its CRC is not taken again.
import * as fs from 'node:fs';
import { crcOf, type Bytes } from './bytes';

export const sumFileOf = (dbFile: string): string => `${dbFile}.sum`;

const encodeSum = (length: number, crc: number, identity: string | null = null): string => `${length} ${crc}${identity ? ` ${identity}` : ''}\n`;

/** The record's fields: `<length> <crc>[ <identity>]` (older records have no identity). */
function readSum(dbFile: string): { length: number; crc: number; identity: string | null } | null {
  let text: string;
  try {
    text = fs.readFileSync(sumFileOf(dbFile), 'utf8');
  } catch {
    return null;
  }
  const m = /^(\d+) (\d+)(?: (\S+))?\n$/.exec(text);
  return m ? { length: Number(m[1]), crc: Number(m[2]), identity: m[3] ?? null } : null;
}

/** A file's identity as the record names it: inode, size, mtime and ctime (ns). */
const identityOf = (st: fs.BigIntStats): string => `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;

/** True when the image's bytes are exactly those recorded by the process that wrote (or checked) them. */
export function imageSumMatches(dbFile: string, image: Bytes): boolean {
  return sumRecorded(dbFile, image.length, crcOf(image));
}

/** imageSumMatches for an image whose length and checksum are known. */
export function sumRecorded(dbFile: string, length: number, crc: number): boolean {
  const recorded = readSum(dbFile);
  return recorded !== null && recorded.length === length && recorded.crc === crc;
}

/**
 * True when the open image `fd` is the very file the record was taken of, unwritten since (its
 * identity): its checksum need not be taken again. False on any doubt (no identity, a stat failing).
 */
export function sumNamesFile(dbFile: string, fd: number): boolean {
  const recorded = readSum(dbFile);
  return !!recorded?.identity && identityNow(dbFile, recorded.length, fd) === recorded.identity;
}

/** The identity of the image `length` bytes long (by descriptor, else by path); null when it is not that file. */
function identityNow(dbFile: string, length: number, fd?: number): string | null {
  try {
    const st = fd === undefined ? fs.statSync(dbFile, { bigint: true }) : fs.fstatSync(fd, { bigint: true });
    return Number(st.size) === length ? identityOf(st) : null;
  } catch {
    return null;
  }
}

/**
 * Records the image's size and checksum, known to the caller (the writer took it as it wrote:
 * changeLog.ts writeAtomic; a check read it), with the identity of the file now (`fd`: the image a
 * check read; else the path, right after a fold's rename). Best-effort: a failure only costs the
 * next start-up a full check.
 */
export function recordKnownSum(dbFile: string, length: number, crc: number, fd?: number): void {
  writeSum(dbFile, encodeSum(length, crc, identityNow(dbFile, length, fd)));
}

function writeSum(dbFile: string, record: string): void {
  const file = sumFileOf(dbFile);
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, record);
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

/** Forgets the record (the image is being replaced by other means, e.g. set aside). */
export function forgetImageSum(dbFile: string): void {
  fs.rmSync(sumFileOf(dbFile), { force: true });
}
