// Step 3 of a run (sync.md §4): walk the sdlc-studio folder and read every candidate file whose
// stat (size, mtime in ns, inode) differs from the one stored with its row; a file whose stat
// matches is not read at all. The walk is async; the per-file stat/read/hash is synchronous, in
// chunks between yields to the event loop (see collectFile).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { phase } from '../store/phase';
import { REPLACED_REASON, unreadableReason } from './messages';
import { isSyncRelevantDirName, isSyncRelevantFileName, MAX_FILE_BYTES, SOURCE_CONFIG_FILES, tooLargeReason } from './rules';
import { nextTurn } from '../nextTurn';

/** A file's stat as stored: size, mtime (ns) and inode; null when too recent to trust (racy). */
export interface FileStat {
  size: number;
  mtimeNs: string;
  ino: string;
}

export type ManifestEntry =
  | { kind: 'file'; hash: string; bytes: Uint8Array; stat: FileStat | null }
  /**
   * a file no row holds (the caller said so: `readLater`): stat'd, not read yet. The plan inserts it
   * and its batch reads it (readDeferred), so a cold sync holds one batch of files' bytes at a time,
   * not every file's (11.7k documents: ~62 MB of buffers that the allocator kept after they were freed)
   */
  | { kind: 'deferred'; abs: string; stat: FileStat | null; size: number; ino: bigint }
  /** stat equal to the stored one: not read */
  | { kind: 'unchanged'; stat: FileStat }
  | { kind: 'unreadable'; reason: string };

export const statKey = (s: FileStat | null): string | null => (s ? `${s.size}:${s.mtimeNs}:${s.ino}` : null);

/**
 * A file modified this close to the run's start may change again within the same mtime tick
 * (coarse clocks, FAT's 2 s): its stat is not stored, so the next run reads it again.
 */
const RACY_NS = 2_000_000_000n;

export interface Collected {
  /** relative POSIX path → entry, in sorted walk order */
  manifest: Map<string, ManifestEntry>;
  /** folders (relative, POSIX) that could not be listed: stored rows under them are kept */
  unlistable: { path: string; reason: string }[];
  config: { yaml: Uint8Array | null; version: Uint8Array | null };
}

export interface CollectOptions {
  signal?: AbortSignal;
  /** relative path → stored stat key of a row that may be skipped when the file's stat is equal */
  knownStat?: (rel: string) => string | undefined;
  /** the config files, when the caller has read them already */
  config?: Collected['config'];
  onFile?: (seen: number, total: number) => void;
  /** relative path → true when no stored row has it: the file is read with its apply batch (`deferred`) */
  readLater?: (rel: string) => boolean;
}

const errText = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message ?? String(e);

/**
 * A config file's bytes, or null when it is absent, unreadable, too large or not a regular file
 * (a FIFO or device named `.version` would block the run for ever). Opened without blocking, then
 * checked through the open handle, so a swap between the check and the read cannot get past it.
 */
export async function readOptional(file: string): Promise<Uint8Array | null> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const st = await handle.stat();
    if (!st.isFile() || st.size > MAX_FILE_BYTES) return null;
    return await handle.readFile();
  } catch {
    return null;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** True when `real` (a resolved path) is the root or inside it. */
export const insideRoot = (real: string, rootReal: string): boolean => real === rootReal || real.startsWith(rootReal + path.sep);

/**
 * Lists candidate files (relative paths, sorted walk order), following links but never looping or
 * leaving the root: a folder or file reached through a link that resolves outside it is not read
 * (api.md §1.2: a registered folder must not expose files elsewhere on the machine). `from` (relative, POSIX; its real path must be `rootReal/from`) walks only that
 * folder, by the same rules (a path-hinted sync).
 */
export async function walk(
  root: string,
  signal: AbortSignal | undefined,
  from = '',
  rootReal?: string,
): Promise<Pick<Collected, 'unlistable'> & { files: string[] }> {
  rootReal ??= await fs.promises.realpath(root);
  const files: string[] = [];
  const unlistable: Collected['unlistable'] = [];
  const visited = new Set<string>([rootReal, from ? path.join(rootReal, from) : rootReal]);
  const sep = path.sep;
  let sinceYield = 0;

  // Synchronous calls, with a yield every WALK_CHUNK entries: a folder listing or a stat through
  // the thread pool costs more in request overhead (and, on a busy machine, scheduling) than the call.
  const visit = async (dirAbs: string, rel: string): Promise<void> => {
    signal?.throwIfAborted();
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dirAbs, { withFileTypes: true });
    } catch (e) {
      unlistable.push({ path: rel, reason: errText(e) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const relPrefix = rel ? rel + '/' : '';
    for (const entry of entries) {
      const name = entry.name;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const st = fs.statSync(dirAbs + sep + name);
          isDir = st.isDirectory();
          isFile = st.isFile();
          // a file link leaving the root is not read (folders are checked below, like real folders)
          if (isFile && isSyncRelevantFileName(name) && !insideRoot(fs.realpathSync.native(dirAbs + sep + name), rootReal)) continue;
        } catch {
          continue; // dangling link: nothing to read
        }
      }
      if (isDir) {
        if (!isSyncRelevantDirName(name)) continue;
        const abs = dirAbs + sep + name;
        let real: string;
        try {
          real = fs.realpathSync.native(abs);
        } catch (e) {
          unlistable.push({ path: relPrefix + name, reason: errText(e) });
          continue;
        }
        if (!insideRoot(real, rootReal) || visited.has(real)) continue; // a link out of the root, or a cycle
        visited.add(real);
        await visit(abs, relPrefix + name);
      } else if (isFile && isSyncRelevantFileName(name)) {
        files.push(relPrefix + name);
      }
    }
    sinceYield += entries.length;
    if (sinceYield >= WALK_CHUNK) {
      sinceYield = 0;
      await nextTurn();
    }
  };
  await visit(from ? path.join(root, from) : path.resolve(root), from);
  return { files, unlistable };
}

/** Folder entries listed between two yields to the event loop. */
const WALK_CHUNK = 4096;
/** Files handled between two yields to the event loop (a few milliseconds of synchronous I/O). */
const CHUNK_FILES = 256;

/**
 * One file: stat, then (unless the stat equals the stored one) read and hash. Synchronous: for
 * small files on a local disk, a stat or read through the thread pool costs far more in request
 * overhead than the system call itself, so the caller runs these in chunks between yields.
 */
function collectFile(abs: string, known: string | undefined, racyFrom: bigint, later: boolean): ManifestEntry {
  try {
    // stat before reading: a change after the stat gives a newer stat next time, never a missed one
    const st = fs.statSync(abs, { bigint: true });
    const stat: FileStat = { size: Number(st.size), mtimeNs: String(st.mtimeNs), ino: String(st.ino) };
    if (known !== undefined && known === statKey(stat)) return { kind: 'unchanged', stat };
    if (stat.size > MAX_FILE_BYTES) return { kind: 'unreadable', reason: tooLargeReason(stat.size) };
    const trusted = st.mtimeNs < racyFrom;
    if (later) return { kind: 'deferred', abs, stat: trusted ? stat : null, size: stat.size, ino: st.ino };
    const bytes = fs.readFileSync(abs);
    return { kind: 'file', hash: hashOf(bytes), bytes, stat: trusted ? stat : null };
  } catch (e) {
    return { kind: 'unreadable', reason: errText(e) };
  }
}

const hashOf = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * A deferred file's bytes and hash, read now (its batch): the file the collect stat'd, or why not.
 * A file replaced since (another inode: a rename over it, a link put in its place) is not read here;
 * it is an error of this run and the next sync reads it as any changed file.
 */
export function readDeferred(entry: { abs: string; ino: bigint }): { bytes: Uint8Array; hash: string } | { reason: string } {
  let fd: number;
  try {
    fd = fs.openSync(entry.abs, 'r');
  } catch (e) {
    return { reason: unreadableReason(errText(e)) };
  }
  try {
    const st = fs.fstatSync(fd, { bigint: true });
    if (st.ino !== entry.ino || !st.isFile()) return { reason: REPLACED_REASON };
    if (st.size > BigInt(MAX_FILE_BYTES)) return { reason: unreadableReason(tooLargeReason(Number(st.size))) };
    const bytes = readSize(fd, Number(st.size));
    return { bytes, hash: hashOf(bytes) };
  } catch (e) {
    return { reason: unreadableReason(errText(e)) };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The file's bytes, given its size from the fstat just taken: what readFileSync reads (up to the
 * size it finds, fewer when the file shrank), without the second fstat it takes to find the size.
 * An empty file (or one reporting 0, like /proc's) is read by readFileSync, to its end.
 */
function readSize(fd: number, size: number): Buffer {
  if (size === 0) return fs.readFileSync(fd);
  const bytes = Buffer.allocUnsafe(size);
  let got = 0;
  for (let n = -1; got < size && n !== 0; got += n) n = fs.readSync(fd, bytes, got, size - got, got);
  return got === size ? bytes : bytes.subarray(0, got);
}

export async function collect(root: string, opts: CollectOptions = {}): Promise<Collected> {
  phase('walk');
  const { files, unlistable } = await walk(root, opts.signal);
  return { manifest: await readFiles(root, files, opts), unlistable, config: opts.config ?? (await readConfigFiles(root)) };
}

/** Stats (and reads and hashes, unless the stat is the known one) each of `files`, in chunks between yields. */
export async function readFiles(root: string, files: string[], opts: CollectOptions = {}): Promise<Map<string, ManifestEntry>> {
  phase('read');
  const racyFrom = BigInt(Date.now()) * 1_000_000n - RACY_NS;
  const manifest = new Map<string, ManifestEntry>();
  const base = path.resolve(root) + path.sep; // + a relative `/` path: path.join per file costs more than the stat
  opts.onFile?.(0, files.length);
  for (let i = 0; i < files.length; ) {
    const end = Math.min(files.length, i + CHUNK_FILES);
    for (; i < end; i++) {
      opts.signal?.throwIfAborted();
      const rel = files[i];
      manifest.set(rel, collectFile(base + rel, opts.knownStat?.(rel), racyFrom, opts.readLater?.(rel) === true));
      opts.onFile?.(i + 1, files.length);
    }
    if (i < files.length) await nextTurn();
  }
  return manifest;
}

/** The root config files (`.config.yaml`, `.version`), best-effort; not through a link leaving the root. */
export async function readConfigFiles(root: string): Promise<Collected['config']> {
  const rootReal = await fs.promises.realpath(root).catch(() => path.resolve(root));
  const read = async (f: string): Promise<Uint8Array | null> => {
    const file = path.join(root, f);
    const real = await fs.promises.realpath(file).catch(() => null);
    return real !== null && insideRoot(real, rootReal) ? readOptional(file) : null;
  };
  const [yaml, version] = await Promise.all(SOURCE_CONFIG_FILES.map(read));
  return { yaml, version };
}
