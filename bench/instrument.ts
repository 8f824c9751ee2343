// What a sync costs the disk, measured without knowing how the store is built (it is being changed
// from a whole-image rewrite to an append-only change log):
// - `snapshot`/`bytesWritten`: the data folder's files before and after. A new file, or one with a new
//   inode (written aside and renamed into place), counts whole; a file whose mtime changed counts its
//   growth when it grew in place (an append), else its whole size (rewritten in place).
// - `IoMeter`: this process's writes, fsyncs and renames into the data folder, and sql.js image
//   exports, timed as they happen ("persist time"). Counts only what runs on this thread.
// the module object itself (not an ES namespace copy), so the wrappers below are what the store calls
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module object itself, see above
import fs = require('node:fs');
import * as path from 'node:path';

export interface FileStat {
  size: number;
  ino: number;
  mtimeNs: bigint;
}

export function snapshot(dir: string): Map<string, FileStat> {
  const out = new Map<string, FileStat>();
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        try {
          const st = fs.statSync(p, { bigint: true });
          out.set(p, { size: Number(st.size), ino: Number(st.ino), mtimeNs: st.mtimeNs });
        } catch {
          // removed while we looked
        }
      }
    }
  };
  walk(dir);
  return out;
}

export function bytesWritten(before: Map<string, FileStat>, after: Map<string, FileStat>): number {
  let n = 0;
  for (const [p, a] of after) {
    const b = before.get(p);
    if (!b || b.ino !== a.ino) n += a.size;
    else if (b.mtimeNs !== a.mtimeNs || b.size !== a.size) n += a.size > b.size ? a.size - b.size : a.size;
  }
  return n;
}

export function folderBytes(dir: string): number {
  let n = 0;
  for (const s of snapshot(dir).values()) n += s.size;
  return n;
}

type AnyFn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Wraps fs write paths and sql.js `Database.prototype.export` to time persistence. */
export class IoMeter {
  bytes = 0;
  ms = 0;
  exports = 0;
  private readonly fds = new Set<number>();
  private readonly restore: (() => void)[] = [];

  constructor(private readonly dir: string) {}

  reset(): void {
    this.bytes = 0;
    this.ms = 0;
    this.exports = 0;
  }

  private inside(p: unknown): boolean {
    if (typeof p !== 'string' && !(p instanceof URL) && !Buffer.isBuffer(p)) return false;
    const s = path.resolve(p instanceof URL ? p.pathname : String(p));
    return s === this.dir || s.startsWith(this.dir + path.sep);
  }

  private wrap(obj: Record<string, unknown>, name: string, counts: (args: unknown[]) => { mine: boolean; bytes: number }): void {
    const orig = obj[name] as AnyFn | undefined;
    if (typeof orig !== 'function') return;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the wrapper's own `this` is the caller's
    const meter = this;
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      const { mine, bytes } = counts(args);
      if (!mine) return orig.apply(this, args);
      const t = performance.now();
      const r = orig.apply(this, args);
      meter.bytes += bytes;
      if (r && typeof (r as Promise<unknown>).then === 'function') {
        return (r as Promise<unknown>).finally(() => (meter.ms += performance.now() - t));
      }
      meter.ms += performance.now() - t;
      return r;
    };
    obj[name] = wrapped;
    this.restore.push(() => (obj[name] = orig));
  }

  install(sqlDatabasePrototype?: Record<string, unknown>): void {
    const f = fs as unknown as Record<string, unknown>;
    const len = (d: unknown): number => (typeof d === 'string' ? Buffer.byteLength(d) : ArrayBuffer.isView(d) ? d.byteLength : 0);
    const openOrig = fs.openSync;
    f.openSync = (...args: unknown[]): number => {
      const fd = (openOrig as AnyFn)(...args) as number;
      if (this.inside(args[0])) this.fds.add(fd);
      return fd;
    };
    this.restore.push(() => (f.openSync = openOrig));
    const closeOrig = fs.closeSync;
    f.closeSync = (fd: number): void => {
      this.fds.delete(fd);
      closeOrig(fd);
    };
    this.restore.push(() => (f.closeSync = closeOrig));
    const byPath = (a: unknown[]): { mine: boolean; bytes: number } => ({ mine: this.inside(a[0]), bytes: len(a[1]) });
    const byFd = (a: unknown[]): { mine: boolean; bytes: number } => ({ mine: this.fds.has(a[0] as number), bytes: len(a[1]) });
    const fdOnly = (a: unknown[]): { mine: boolean; bytes: number } => ({ mine: this.fds.has(a[0] as number), bytes: 0 });
    const pathOnly = (a: unknown[]): { mine: boolean; bytes: number } => ({ mine: this.inside(a[0]) || this.inside(a[1]), bytes: 0 });
    for (const n of ['writeFileSync', 'appendFileSync']) this.wrap(f, n, byPath);
    this.wrap(f, 'writeSync', byFd);
    for (const n of ['fsyncSync', 'fdatasyncSync']) this.wrap(f, n, fdOnly);
    this.wrap(f, 'renameSync', pathOnly);
    const p = fs.promises as unknown as Record<string, unknown>;
    for (const n of ['writeFile', 'appendFile']) this.wrap(p, n, byPath);
    this.wrap(p, 'rename', pathOnly);
    if (sqlDatabasePrototype) {
      this.wrap(sqlDatabasePrototype, 'export', () => {
        this.exports++;
        return { mine: true, bytes: 0 };
      });
    }
  }

  uninstall(): void {
    for (const r of this.restore.reverse()) r();
    this.restore.length = 0;
  }
}
