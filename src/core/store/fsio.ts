// The file-system calls of every store write path (image, change log, registrations), in one
// replaceable object: the fault-injection tests swap in a layer that fails with ENOSPC or EIO, or
// writes short, at byte N, and then check that the previous image and log are intact.
import * as fs from 'node:fs';

export interface StoreFs {
  openSync(file: string, flags: string): number;
  writeSync(fd: number, data: Uint8Array, offset: number, length: number, position: number | null): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  ftruncateSync(fd: number, len: number): void;
  renameSync(from: string, to: string): void;
  /** The same write on libuv's thread pool: a large image is written without holding the thread. */
  write(fd: number, data: Uint8Array, offset: number, length: number, position: number | null): Promise<number>;
  fsync(fd: number): Promise<void>;
}

const real: StoreFs = {
  openSync: (file, flags) => fs.openSync(file, flags),
  writeSync: (fd, data, offset, length, position) => fs.writeSync(fd, data, offset, length, position),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  closeSync: (fd) => fs.closeSync(fd),
  ftruncateSync: (fd, len) => fs.ftruncateSync(fd, len),
  renameSync: (from, to) => fs.renameSync(from, to),
  write: (fd, data, offset, length, position) =>
    new Promise((resolve, reject) => fs.write(fd, data, offset, length, position, (e, n) => (e ? reject(e) : resolve(n)))),
  fsync: (fd) => new Promise((resolve, reject) => fs.fsync(fd, (e) => (e ? reject(e) : resolve()))),
};

/** The layer in use. Store code calls `io.x(...)`, never `fs.x` directly, on its write paths. */
export let io: StoreFs = real;

/** Test hook: replaces the layer (null restores the real one). */
export function setStoreFs(layer: StoreFs | null): void {
  io = layer ?? real;
}

/**
 * Closes `fd` on libuv's thread pool (a descriptor already closed is fine). Closing the last
 * reference to a file that was replaced or removed frees its blocks, which waits for the disk:
 * 23-46 ms for a 16 MiB change log, ~30 ms for a 50k image (ext4 mounted with `discard`).
 */
export function closeOnPool(fd: number): void {
  fs.close(fd, () => undefined);
}

/** The real layer, for a test layer that delegates. */
export const realStoreFs: StoreFs = real;

const noProgress = (): Error => Object.assign(new Error('write made no progress'), { code: 'EIO' });

/** Writes all of `data` at `position` (or the file position), looping on short writes. */
export function writeFully(fd: number, data: Uint8Array, position: number | null): void {
  let done = 0;
  while (done < data.length) {
    const n = io.writeSync(fd, data, done, data.length - done, position === null ? null : position + done);
    if (n <= 0) throw noProgress();
    done += n;
  }
}

/** writeFully off the thread, in pieces of at most `chunk` bytes. */
export async function writeFullyAsync(fd: number, data: Uint8Array, position: number, chunk = 8 * 1024 * 1024): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const n = await io.write(fd, data, done, Math.min(chunk, data.length - done), position + done);
    if (n <= 0) throw noProgress();
    done += n;
  }
}
