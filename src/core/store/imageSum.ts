// The start-up integrity check without its per-process cost (issue 18). Every process that opens
// the database page-checks the image (PRAGMA quick_check of each table, image.ts integrityProblems):
// seconds at 10k documents, paid again by every short-lived CLI command. The image is only ever
// written whole by a fold (temp file + rename), so the writer records its size and CRC-32 beside it
// (`sdlc-lens.db.sum`); a process whose image has that size and checksum knows it holds exactly the
// bytes a fold wrote (any damage, truncation or foreign write changes the CRC) and skips the page
// check. A CRC is ~20× cheaper than the page check (native zlib, one pass over bytes already read).
// The record is a hint: missing, stale or unreadable, the full check runs as before (and a passing
// check records the sum), so losing it in a crash costs one check, never a wrong answer.
import * as fs from 'node:fs';
import { crcOf, crcStep, piecesOf, type Bytes } from './bytes';

export const sumFileOf = (dbFile: string): string => `${dbFile}.sum`;

const encodeSum = (length: number, crc: number): string => `${length} ${crc}\n`;
const encode = (image: Bytes): string => encodeSum(image.length, crcOf(image));

/** True when the image's bytes are exactly those recorded by the process that wrote (or checked) them. */
export function imageSumMatches(dbFile: string, image: Bytes): boolean {
  const recorded = readSum(dbFile);
  return recorded !== null && Number(recorded.split(' ')[0]) === image.length && recorded === encode(image);
}

/** imageSumMatches for an image whose length and checksum are known. */
export function sumRecorded(dbFile: string, length: number, crc: number): boolean {
  return readSum(dbFile) === encodeSum(length, crc);
}

function readSum(dbFile: string): string | null {
  try {
    return fs.readFileSync(sumFileOf(dbFile), 'utf8');
  } catch {
    return null;
  }
}

/** Records the image's size and checksum (after its rename). Best-effort: a failure only costs the next start-up a full check. */
export function recordImageSum(dbFile: string, image: Bytes): void {
  writeSum(dbFile, encode(image));
}

/** recordImageSum of an image whose checksum is known (the writer took it as it wrote: changeLog.ts writeAtomic). */
export function recordKnownSum(dbFile: string, length: number, crc: number): void {
  writeSum(dbFile, encodeSum(length, crc));
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

/** recordImageSum with the checksum taken in pieces that yield (a 100 MiB image: ~35 ms of CRC). */
export async function recordImageSumAsync(dbFile: string, image: Bytes, chunk = 16 * 1024 * 1024): Promise<void> {
  let sum = 0;
  let at = 0;
  for (const piece of piecesOf(image, chunk)) {
    sum = crcStep(piece, sum);
    at += piece.length;
    if (at < image.length) await new Promise((r) => setImmediate(r));
  }
  writeSum(dbFile, encodeSum(image.length, sum));
}

/** Forgets the record (the image is being replaced by other means, e.g. set aside). */
export function forgetImageSum(dbFile: string): void {
  fs.rmSync(sumFileOf(dbFile), { force: true });
}
