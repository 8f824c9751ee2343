// A path-hinted sync (StartSyncOptions.paths): the caller knows which paths changed (the watch
// mode), so the run stats only those instead of every file. Each hinted path covers itself and,
// when it is (or was) a folder, everything under it: what exists there is collected by the same
// rules as the full walk (rules.ts, collect.ts), and every stored row in that scope that was not
// found is deleted. Rows outside the scope are left as they are.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LensError } from '../errors';
import { type Collected, type CollectOptions, insideRoot, readFiles, walk } from './collect';
import { isSyncRelevantDirName, isSyncRelevantFileName, SOURCE_CONFIG_FILES } from './rules';

/** Hints above this many make the run a full sync (one stat per file is then cheaper than the bookkeeping). */
export const MAX_SYNC_PATHS = 10_000;

/**
 * The hinted paths, normalised (relative POSIX, no `.` or empty parts, sorted, unique), or null when
 * the run must be a full sync: no hints given, a hint names the root itself or a root config file
 * (it may change every document's derivation), or there are more than MAX_SYNC_PATHS. Throws
 * VALIDATION_ERROR for a path that is not relative to the sdlc-studio folder.
 */
export function normalizeSyncPaths(paths: readonly unknown[] | undefined): string[] | null {
  if (paths === undefined) return null;
  if (!Array.isArray(paths)) throw new LensError('VALIDATION_ERROR', 'paths must be a list of relative paths');
  if (paths.length > MAX_SYNC_PATHS) return null;
  const out = new Set<string>();
  for (const p of paths) {
    if (typeof p !== 'string' || p.includes('\0')) throw new LensError('VALIDATION_ERROR', 'paths must be a list of relative paths');
    if (path.posix.isAbsolute(p) || path.win32.isAbsolute(p)) {
      throw new LensError('VALIDATION_ERROR', `paths must be relative to the sdlc-studio folder, got "${p}"`);
    }
    const parts = p.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
    if (parts.includes('..')) throw new LensError('VALIDATION_ERROR', `paths must stay inside the sdlc-studio folder, got "${p}"`);
    if (parts.length === 0) return null; // the root: everything
    if (parts.length === 1 && SOURCE_CONFIG_FILES.includes(parts[0])) return null;
    out.add(parts.join('/'));
  }
  return [...out].sort();
}

/** The stored rows a hinted path covers: the path itself and everything under it. */
export const inScope = (hint: string, rel: string): boolean => rel === hint || (rel.startsWith(hint) && rel[hint.length] === '/');

const gone = (e: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? '');

/**
 * Collects what exists at the hinted paths, by the full walk's rules. Null when a hint's folders are
 * not plain folders inside the root (a link on the way: only the full walk resolves those the same way).
 */
export async function collectHinted(
  root: string,
  hints: readonly string[],
  opts: CollectOptions & { config: Collected['config'] },
): Promise<Collected | null> {
  const rootReal = await fs.promises.realpath(root);
  const files: string[] = [];
  const unlistable: Collected['unlistable'] = [];
  const realOf = new Map<string, string | null>(); // parent folder (relative) → its real path, null if gone
  const realParent = async (rel: string): Promise<string | null> => {
    if (!realOf.has(rel)) {
      try {
        realOf.set(rel, await fs.promises.realpath(path.join(root, rel)));
      } catch (e) {
        if (!gone(e)) throw e;
        realOf.set(rel, null);
      }
    }
    return realOf.get(rel)!;
  };
  for (const hint of hints) {
    opts.signal?.throwIfAborted();
    const parts = hint.split('/');
    const name = parts[parts.length - 1];
    // under a folder the walk never enters: nothing there is a document (and no row can be)
    if (!parts.slice(0, -1).every(isSyncRelevantDirName)) continue;
    const parentRel = parts.slice(0, -1).join('/');
    const parentReal = await realParent(parentRel);
    if (parentReal === null) continue; // its folder is gone: the scope's rows are deleted
    if (parentReal !== (parentRel ? path.join(rootReal, parentRel) : rootReal)) return null;
    const abs = path.join(root, hint);
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(abs);
    } catch (e) {
      if (gone(e)) continue;
      // as the walk: a candidate that cannot be stat'ed is an error for that file (its row is kept)
      if (isSyncRelevantFileName(name)) files.push(hint);
      continue;
    }
    if (st.isDirectory()) {
      if (!isSyncRelevantDirName(name)) continue;
      if ((await fs.promises.realpath(abs)) !== path.join(rootReal, hint)) return null;
      const sub = await walk(root, opts.signal, hint, rootReal);
      files.push(...sub.files);
      unlistable.push(...sub.unlistable);
    } else if (st.isFile() && isSyncRelevantFileName(name)) {
      // as the walk: a file link that leaves the root is not read (its row, if any, goes)
      if (!insideRoot(await fs.promises.realpath(abs), rootReal)) continue;
      files.push(hint);
    }
  }
  const unique = [...new Set(files)].sort();
  return { manifest: await readFiles(root, unique, opts), unlistable, config: opts.config };
}
