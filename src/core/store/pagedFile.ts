// The database file of a connection, on disk instead of in memory (issue 18: the extension host's
// memory). sql.js keeps its file in Emscripten's in-memory file system, so a process held the
// whole image (145 MiB at 11.7k documents: the documents' text, the search index) besides SQLite's
// own page cache. A PagedFile serves the same reads and writes (sqljs.ts routes the file's MEMFS
// operations here) from files, and only SQLite's page cache stays in memory:
// - the base is the image on disk, read-only: folds replace an image by rename, so the descriptor
//   this file holds keeps reading the bytes it opened, whatever another process writes after;
// - what this process writes goes to a layer, a private work file beside the image (unlinked at
//   once where the platform allows, so nothing is left behind by a crash), block by block;
// - a fold freezes the state (a new layer takes the writes from then on) and writes the frozen
//   state as the next image; once that image is in place it becomes the base (`rebase`), and the
//   layers it holds are dropped.
// Content at a position: the topmost layer holding its block, else the layer below, and so on,
// down to the base. A layer's `below` is the smallest size the file had while that layer was on
// top: at or past it, nothing under the layer is visible (the file was cut there), so reads give zeros.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { closeOnPool } from './fsio';

/** The unit a layer stores (SQLite's page size by default, so a page is one block). */
export const BLOCK = 4096;

/**
 * Consecutive writes are gathered into one write of up to this many bytes: SQLite writes a commit's
 * pages one call each, in page order, so a commit of 60 MB was ~15k system calls. What is gathered
 * is written before any read, freeze or cut, and at SQLite's sync of the file (its commit): a write
 * that fails fails that commit, never a later one.
 */
const GATHER_BYTES = 256 * 1024;

interface Layer {
  fd: number;
  /** the work file's path while it is still there (unlinking it at once failed: Windows) */
  path: string | null;
  /** blocks this layer holds, each at `block × BLOCK` in its file */
  blocks: Set<number>;
  /** what lies under this layer is visible below this position only */
  below: number;
}

interface Base {
  fd: number;
  size: number;
}

/** A read-only view of the file as it was when frozen (PagedFile.freeze). */
export interface FrozenView {
  readonly length: number;
  /** Yields the frozen bytes in order, `chunk` bytes at a time (one reused buffer: copy what you keep). */
  chunks(chunk?: number): Iterable<Uint8Array>;
}

/** An I/O failure of a work file or the image, with the errno the file system layer reports to SQLite. */
export class PagedIoError extends Error {}

let counter = 0;

export class PagedFile {
  size: number;
  private base: Base | null;
  private layers: Layer[] = [];
  /** index of the topmost frozen layer while a fold writes it, else -1 */
  private frozenDepth = -1;
  private frozenSize = 0;
  private closed = false;
  /** consecutive bytes written but not yet in their file (see GATHER_BYTES) */
  private readonly gathered = { fd: -1, start: 0, length: 0, bytes: new Uint8Array(GATHER_BYTES) };

  /**
   * `image`: the descriptor and size of the image this file starts from (taken over: closed with
   * this file), or null for an empty file. `workPrefix`: the path the work files are named after.
   */
  constructor(
    image: Base | null,
    readonly workPrefix: string,
  ) {
    this.base = image;
    this.size = image?.size ?? 0;
    this.layers.push(this.newLayer(this.size));
  }

  private newLayer(below: number): Layer {
    const file = `${this.workPrefix}.work-${process.pid}-${Date.now().toString(36)}-${counter++}`;
    const fd = fs.openSync(file, 'wx+', 0o600);
    let keep: string | null = null;
    try {
      fs.unlinkSync(file);
    } catch {
      keep = file; // removed at close instead
    }
    return { fd, path: keep, blocks: new Set(), below };
  }

  private get top(): Layer {
    return this.layers[this.layers.length - 1];
  }

  /** SQLite's read: up to `length` bytes at `position` into `buffer` at `offset`. Returns how many. */
  read(buffer: Uint8Array, offset: number, length: number, position: number): number {
    if (position >= this.size) return 0;
    const n = Math.min(length, this.size - position);
    this.readAt(this.layers.length - 1, buffer, offset, n, position);
    return n;
  }

  /** SQLite's write of `length` bytes of `buffer` (from `offset`) at `position`. */
  write(buffer: Uint8Array, offset: number, length: number, position: number): number {
    this.assertOpen();
    const top = this.top;
    let done = 0;
    while (done < length) {
      const at = position + done;
      const block = Math.floor(at / BLOCK);
      const inBlock = at - block * BLOCK;
      const n = Math.min(BLOCK - inBlock, length - done);
      if (!top.blocks.has(block)) {
        if (inBlock !== 0 || n !== BLOCK) {
          // a partial write of a block this layer lacks: the block as it reads now, first
          const whole = new Uint8Array(BLOCK);
          this.readAt(this.layers.length - 1, whole, 0, BLOCK, block * BLOCK);
          writeAll(top.fd, whole, 0, BLOCK, block * BLOCK);
        }
        top.blocks.add(block);
      }
      this.gather(top.fd, buffer, offset + done, n, at);
      done += n;
    }
    this.size = Math.max(this.size, position + length);
    return length;
  }

  private gather(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): void {
    const g = this.gathered;
    if (g.length > 0 && (g.fd !== fd || position !== g.start + g.length || g.length + length > GATHER_BYTES)) this.flush();
    if (length > GATHER_BYTES) {
      writeAll(fd, buffer, offset, length, position);
      return;
    }
    if (g.length === 0) {
      g.fd = fd;
      g.start = position;
    }
    g.bytes.set(buffer.subarray(offset, offset + length), g.length);
    g.length += length;
  }

  /** Writes what was gathered (SQLite's sync of the file, before any read). Throws what the write throws. */
  flush(): void {
    const g = this.gathered;
    if (g.length === 0) return;
    const length = g.length;
    g.length = 0; // a failed write is not retried later: this call throws, and SQLite rolls the commit back
    writeAll(g.fd, g.bytes, 0, length, g.start);
  }

  /** The file cut (or extended with zeros) to `size` bytes. */
  truncate(size: number): void {
    this.assertOpen();
    this.flush();
    if (size < this.size) {
      const top = this.top;
      top.below = Math.min(top.below, size);
      const first = Math.ceil(size / BLOCK);
      for (const b of top.blocks) if (b >= first) top.blocks.delete(b);
      const partial = Math.floor(size / BLOCK);
      if (size % BLOCK !== 0 && top.blocks.has(partial)) {
        const tail = (partial + 1) * BLOCK - size;
        writeAll(top.fd, new Uint8Array(tail), 0, tail, size);
      }
    }
    this.size = size;
  }

  /**
   * Freezes the file as it is now: writes from here on go to a new layer, and the view reads the
   * frozen state until `release` or `rebase`. Null while another freeze is in progress.
   */
  freeze(): FrozenView | null {
    this.assertOpen();
    if (this.frozenDepth >= 0) return null;
    this.flush(); // what was gathered belongs to the state frozen
    this.layers.push(this.newLayer(this.size));
    this.frozenDepth = this.layers.length - 2;
    this.frozenSize = this.size;
    return this.viewOf(this.frozenDepth, this.size);
  }

  /** The whole file as a view (for a file nothing writes any more: a compaction's output). */
  view(): FrozenView {
    this.flush();
    return this.viewOf(this.layers.length - 1, this.size);
  }

  private viewOf(depth: number, length: number): FrozenView {
    return {
      length,
      chunks: (chunk = 4 * 1024 * 1024) => this.chunksOf(depth, length, chunk),
    };
  }

  private *chunksOf(depth: number, length: number, chunk: number): Iterable<Uint8Array> {
    const buf = new Uint8Array(Math.min(chunk, Math.max(length, 1)));
    for (let at = 0; at < length; at += buf.length) {
      const n = Math.min(buf.length, length - at);
      this.assertOpen();
      this.readAt(depth, buf, 0, n, at);
      yield n === buf.length ? buf : buf.subarray(0, n);
    }
  }

  /** Ends a freeze without a new base (the fold failed): the layers stay as they are. */
  release(): void {
    this.frozenDepth = -1;
  }

  /**
   * Ends a freeze whose state is now the image `file` (just written): it becomes the base and the
   * frozen layers are dropped. False, changing nothing but ending the freeze, when the file cannot
   * be opened or is not the frozen state's size (still correct: the layers keep serving it).
   */
  rebase(file: string): boolean {
    const depth = this.frozenDepth;
    this.frozenDepth = -1;
    if (depth < 0 || this.closed) return false;
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return false;
    }
    try {
      if (fs.fstatSync(fd).size !== this.frozenSize) throw new Error('size');
    } catch {
      fs.closeSync(fd);
      return false;
    }
    const dropped = this.layers.splice(0, depth + 1);
    // the image just replaced and the work files: freeing their blocks waits for the disk
    if (this.base) closeOnPool(this.base.fd);
    for (const l of dropped) closeLayer(l, closeOnPool);
    this.base = { fd, size: this.frozenSize };
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.gathered.length = 0; // the work files go with it
    if (this.base) closeQuietly(this.base.fd);
    for (const l of this.layers) closeLayer(l);
    this.layers = [];
    this.base = null;
  }

  /** Work files in use (tests): layers, and whether an image is the base. */
  get shape(): { layers: number; blocks: number; base: boolean; gathered: number } {
    return { layers: this.layers.length, blocks: this.layers.reduce((n, l) => n + l.blocks.size, 0), base: this.base !== null, gathered: this.gathered.length };
  }

  private assertOpen(): void {
    if (this.closed) throw new PagedIoError('the database file is closed');
  }

  /**
   * Reads [position, position + length) of the state seen from layer `depth` down: a run of
   * blocks served by the same file is one read (a fold reads its image in 4 MiB chunks).
   */
  private readAt(depth: number, buffer: Uint8Array, offset: number, length: number, position: number): void {
    this.flush();
    let done = 0;
    while (done < length) {
      const at = position + done;
      const block = Math.floor(at / BLOCK);
      const from = this.sourceOf(depth, block);
      let end = Math.min((block + 1) * BLOCK, position + length);
      // extend over the next blocks while they come from the same file, below the same limit
      while (end < position + length && end < from.limit) {
        const next = this.sourceOf(depth, end / BLOCK);
        if (next.fd !== from.fd || next.limit !== from.limit) break;
        end = Math.min(end + BLOCK, position + length);
      }
      const n = end - at;
      const real = from.fd === null ? 0 : clamp(from.limit - at, n);
      if (real > 0) readAll(from.fd!, buffer, offset + done, real, at);
      if (real < n) buffer.fill(0, offset + done + real, offset + done + n);
      done += n;
    }
  }

  /** Which file serves `block` as seen from layer `depth` (null: zeros), and below which position it may be read. */
  private sourceOf(depth: number, block: number): { fd: number | null; limit: number } {
    let limit = Infinity;
    for (let i = depth; i >= 0; i--) {
      const layer = this.layers[i];
      if (layer.blocks.has(block)) return { fd: layer.fd, limit };
      limit = Math.min(limit, layer.below);
      if (block * BLOCK >= limit) return { fd: null, limit };
    }
    return this.base ? { fd: this.base.fd, limit: Math.min(limit, this.base.size) } : { fd: null, limit };
  }
}

const clamp = (room: number, length: number): number => Math.max(0, Math.min(room, length));

function readAll(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buffer, offset + done, length - done, position + done);
    if (n <= 0) {
      buffer.fill(0, offset + done, offset + length); // past the end of a shorter file: zeros, as SQLite expects
      return;
    }
    done += n;
  }
}

function writeAll(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    const n = fs.writeSync(fd, buffer, offset + done, length - done, position + done);
    if (n <= 0) throw new PagedIoError('a write to the database work file made no progress');
    done += n;
  }
}

/**
 * Removes the work files of processes that are gone (where a work file cannot be unlinked while
 * open, Windows, a crash leaves it behind). A live process's files, and this process's, stay.
 */
export function removeStaleWorkFiles(workPrefix: string): number {
  const dir = path.dirname(workPrefix);
  const stem = `${path.basename(workPrefix)}.work-`;
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.startsWith(stem)) continue;
    const pid = Number(name.slice(stem.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || alive(pid)) continue;
    try {
      fs.rmSync(path.join(dir, name), { force: true });
      removed++;
    } catch {
      // still open somewhere, or not ours to remove: left alone
    }
  }
  return removed;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, another user's
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // already closed
  }
}

function closeLayer(l: Layer, close: (fd: number) => void = closeQuietly): void {
  close(l.fd);
  if (l.path) fs.rmSync(l.path, { force: true });
}
