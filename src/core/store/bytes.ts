// An image's bytes as the store writes and checksums them: one buffer (a database file in memory),
// or a file read in chunks (a database file on disk, pagedFile.ts), so an image is never copied
// whole into memory to be written.
import { crc32 } from 'node:zlib';

/** Bytes read in order, a chunk at a time (each chunk valid until the next is asked for). */
export interface ChunkedBytes {
  readonly length: number;
  chunks(chunk?: number): Iterable<Uint8Array>;
}

export type Bytes = Uint8Array | ChunkedBytes;

const CHUNK = 4 * 1024 * 1024;

/** The pieces of `bytes` in order, at most `chunk` bytes each. */
export function* piecesOf(bytes: Bytes, chunk = CHUNK): Iterable<Uint8Array> {
  if (bytes instanceof Uint8Array) {
    for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk);
    return;
  }
  yield* bytes.chunks(chunk);
}

/** The CRC-32 of what came before (`sum`) followed by `piece`. */
export const crcStep = (piece: Uint8Array, sum: number): number => crc32(piece, sum);

/** CRC-32 of all of `bytes`. */
export function crcOf(bytes: Bytes): number {
  let sum = 0;
  for (const piece of piecesOf(bytes)) sum = crcStep(piece, sum);
  return sum;
}

/** All of `bytes` in one buffer (the buffer itself when it is one; else a copy: checks and tests). */
export function wholeOf(bytes: Bytes): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  const out = new Uint8Array(bytes.length);
  let at = 0;
  for (const piece of bytes.chunks()) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
