// The one way SDLC Lens writes a source file (writing.md §2): a temporary file in the same folder,
// fsync, a last read-and-compare of the original right before the rename (a file changed since it
// was read is never overwritten), rename over it with its mode kept, fsync of the folder. A failed
// write leaves the original untouched and no temporary file behind.
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LensError } from '../errors';

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export interface AtomicWriteOptions {
  /** Test seam: runs after the temporary file is complete, right before the final compare and rename. */
  beforeCompare?: () => void | Promise<void>;
  /** How the file is named in messages (relative path); default its base name. */
  label?: string;
}

const code = (e: unknown): string => String((e as NodeJS.ErrnoException)?.code ?? '');
const denied = (e: unknown): boolean => ['EACCES', 'EPERM', 'EROFS'].includes(code(e));

/** A file-system failure as a message for people (never a stack). */
export function writeFailure(e: unknown, label: string): LensError {
  if (e instanceof LensError) return e;
  if (denied(e)) return new LensError('CONFLICT', `${label} is read-only (or its folder is): its status was not changed`);
  if (code(e) === 'ENOENT') return new LensError('NOT_FOUND', `${label} no longer exists: its status was not changed`);
  if (code(e) === 'ENOSPC') return new LensError('CONFLICT', `No space left to write ${label}: its status was not changed`);
  return new LensError('CONFLICT', `${label} could not be written (${code(e) || (e as Error)?.message || 'unknown error'}): its status was not changed`);
}

/** Refuses a file the user cannot write (a rename would otherwise replace a read-only file). */
export async function assertWritable(file: string, label: string): Promise<fs.Stats> {
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(file);
    await fs.promises.access(file, fs.constants.W_OK);
    await fs.promises.access(path.dirname(file), fs.constants.W_OK);
  } catch (e) {
    throw writeFailure(e, label);
  }
  if (!st.isFile()) throw new LensError('VALIDATION_ERROR', `${label} is not a regular file`);
  return st;
}

async function writeAll(fh: fs.promises.FileHandle, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) {
    const { bytesWritten } = await fh.write(data, off, data.length - off, null);
    if (bytesWritten <= 0) throw Object.assign(new Error('short write'), { code: 'EIO' });
    off += bytesWritten;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = await fs.promises.open(dir, 'r');
    await fh.sync();
  } catch {
    // some platforms and file systems cannot fsync a folder (Windows, some network mounts)
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/**
 * Replaces `file` (a real path, not a link) by `data` when its bytes still hash to `expectedHash`.
 * Throws LensError CONFLICT when they do not (nothing changed), or for a failed write (read-only,
 * no space; the original untouched).
 */
export async function writeFileAtomic(file: string, data: Uint8Array, expectedHash: string, options: AtomicWriteOptions = {}): Promise<void> {
  const label = options.label ?? path.basename(file);
  const st = await assertWritable(file, label);
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.sdlc-lens.tmp`);
  let renamed = false;
  try {
    const fh = await fs.promises.open(tmp, 'wx', st.mode & 0o7777);
    try {
      await writeAll(fh, data);
      await fh.chmod(st.mode & 0o7777); // the umask may have narrowed the mode given to open
      await fh.sync();
    } finally {
      await fh.close();
    }
    await options.beforeCompare?.();
    const now = await fs.promises.readFile(file);
    if (sha256(now) !== expectedHash) {
      throw new LensError('CONFLICT', `${label} changed on disk since it was read: its status was not changed (reload and try again)`);
    }
    await fs.promises.rename(tmp, file);
    renamed = true;
  } catch (e) {
    throw writeFailure(e, label);
  } finally {
    if (!renamed) await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
  }
  await fsyncDir(dir);
}
