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
import { crc32 } from 'node:zlib';

export const sumFileOf = (dbFile: string): string => `${dbFile}.sum`;

const encode = (image: Uint8Array): string => `${image.length} ${crc32(image)}\n`;

/** True when the image's bytes are exactly those recorded by the process that wrote (or checked) them. */
export function imageSumMatches(dbFile: string, image: Uint8Array): boolean {
  let recorded: string;
  try {
    recorded = fs.readFileSync(sumFileOf(dbFile), 'utf8');
  } catch {
    return false;
  }
  const [size] = recorded.split(' ');
  return Number(size) === image.length && recorded === encode(image);
}

/** Records the image's size and checksum (after its rename). Best-effort: a failure only costs the next start-up a full check. */
export function recordImageSum(dbFile: string, image: Uint8Array): void {
  writeSum(dbFile, encode(image));
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
export async function recordImageSumAsync(dbFile: string, image: Uint8Array, chunk = 16 * 1024 * 1024): Promise<void> {
  let sum = 0;
  for (let at = 0; at < image.length; at += chunk) {
    sum = crc32(image.subarray(at, at + chunk), sum);
    if (at + chunk < image.length) await new Promise((r) => setImmediate(r));
  }
  writeSum(dbFile, `${image.length} ${sum}\n`);
}

/** Forgets the record (the image is being replaced by other means, e.g. set aside). */
export function forgetImageSum(dbFile: string): void {
  fs.rmSync(sumFileOf(dbFile), { force: true });
}
