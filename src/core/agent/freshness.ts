// "A project whose files changed since its last sync is synced before it is read" (agents.md §1):
// an agent that has just written a file must read its own write. A sync writes the database twice
// even when nothing changed, so a read never runs one blindly: a read-only probe walks the folder by
// the sync's own rules and compares each file's stat (size, mtime ns, inode) with the one stored with
// its row. Only a difference costs a sync, and then a path-hinted one of just the differing paths
// (a changed root config file, or more than MAX_HINTED differences: a full one). Between reads, a
// watch of the project's folders (folderWatch.ts) says whether anything happened there at all: while
// nothing did since the last probe found the folder in step, a read costs no stat.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { statKey, walk } from '../sync/collect';
import { SOURCE_CONFIG_FILES } from '../sync/rules';
import type { Store } from '../store/database';
import { FolderWatch } from './folderWatch';
import { nextTurn } from '../nextTurn';
import { jsonRows } from '../store/jsonRows';

/** Past this many differing paths a full sync is cheaper than the hints' bookkeeping. */
const MAX_HINTED = 500;

/** What a read must do first: nothing, a sync of some paths, or a full sync. */
export type Staleness = { kind: 'fresh' } | { kind: 'paths'; paths: string[] } | { kind: 'full' };

interface Known {
  /** relative path → stored stat key (null: stored without one, e.g. written too recently to trust); null: read again */
  stats: Map<string, string | null> | null;
  /** candidate files a sync has seen that stored no row (not documents, unreadable): their stat then */
  extra: Map<string, string | null>;
  /** stat keys of the root config files, as of the last probe that found the project fresh */
  config: Map<string, string | null> | null;
}

const fileStat = (abs: string): string | null => {
  try {
    const st = fs.statSync(abs, { bigint: true });
    return statKey({ size: Number(st.size), mtimeNs: String(st.mtimeNs), ino: String(st.ino) });
  } catch {
    return null;
  }
};

const isFolder = (p: string): boolean => {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
};

export class Freshness {
  /** Per project id: what the database holds, read once per change of the project's documents. */
  readonly #known = new Map<number, Known>();
  /** Per project id: the watch of its folders, and the event count its last full probe started at. */
  readonly #watches = new Map<number, { root: string; watch: FolderWatch; mark: number }>();

  constructor(private readonly store: Store) {}

  /** The project's rows changed (a sync, another process's write): read them again next time. */
  forget(projectId?: number): void {
    for (const [id, known] of this.#known) {
      if (projectId !== undefined && id !== projectId) continue;
      known.stats = null;
      known.config = null;
    }
  }

  /**
   * Compares the folder with the stored rows. `lastSyncedAt` (ISO) decides, on a first probe,
   * whether the root config files changed after the last sync. A missing folder is "fresh": a sync
   * would only record an error, and the read answers from what is stored.
   */
  async probe(projectId: number, sdlcPath: string, lastSyncedAt: string | null): Promise<Staleness> {
    if (!isFolder(sdlcPath)) return { kind: 'fresh' };
    if (lastSyncedAt === null) return { kind: 'full' };
    // A write that happened before this call has its watch event queued: let it be dispatched first.
    await nextTurn();
    const w = this.#watchOf(projectId, sdlcPath);
    if (w.watch.unchanged) return { kind: 'fresh' };
    w.watch.update(); // before the walk: a file created in a new folder is walked or reported
    w.mark = w.watch.mark;
    const known = this.#knownOf(projectId);
    const stats = (known.stats ??= this.storedStats(projectId));
    const config = new Map<string, string | null>();
    const syncedMs = Date.parse(lastSyncedAt);
    for (const name of SOURCE_CONFIG_FILES) {
      const abs = path.join(sdlcPath, name);
      config.set(name, fileStat(abs));
      if (known.config === null) {
        try {
          if (fs.statSync(abs).mtimeMs > syncedMs) return { kind: 'full' };
        } catch {
          // absent: nothing to compare
        }
      } else if (known.config.get(name) !== config.get(name)) {
        return { kind: 'full' };
      }
    }
    let files: string[];
    try {
      files = (await walk(sdlcPath, undefined)).files;
    } catch {
      return { kind: 'fresh' };
    }
    const changed: string[] = [];
    const seen = new Set<string>();
    const base = path.resolve(sdlcPath) + path.sep;
    for (const rel of files) {
      seen.add(rel);
      const stored = stats.has(rel) ? stats.get(rel) : known.extra.get(rel);
      if (stored === undefined || stored === null || stored !== fileStat(base + rel)) {
        changed.push(rel);
        if (changed.length > MAX_HINTED) return { kind: 'full' };
      }
    }
    for (const rel of stats.keys()) if (!seen.has(rel)) changed.push(rel);
    if (changed.length > MAX_HINTED) return { kind: 'full' };
    if (changed.length === 0) {
      known.config = config;
      w.watch.verified(w.mark);
      return { kind: 'fresh' };
    }
    return { kind: 'paths', paths: changed };
  }

  /**
   * After a sync: every candidate file that still has no row (not a document, unreadable) is
   * remembered with its stat, so that it does not cost a sync on every read until it changes.
   */
  async settle(projectId: number, sdlcPath: string): Promise<void> {
    const known = this.#knownOf(projectId);
    known.stats = this.storedStats(projectId);
    known.config = null;
    let files: string[];
    try {
      files = (await walk(sdlcPath, undefined)).files;
    } catch {
      return;
    }
    known.extra.clear();
    for (const rel of files) if (!known.stats.has(rel)) known.extra.set(rel, fileStat(path.join(sdlcPath, rel)) ?? 'gone');
    // in step as of the probe that asked for the sync; anything since then shows as a new event
    const w = this.#watches.get(projectId);
    if (w?.root === sdlcPath) w.watch.verified(w.mark);
  }

  /** Closes every folder watch. */
  dispose(): void {
    for (const w of this.#watches.values()) w.watch.close();
    this.#watches.clear();
  }

  #watchOf(projectId: number, root: string): { root: string; watch: FolderWatch; mark: number } {
    let w = this.#watches.get(projectId);
    if (w && w.root !== root) {
      w.watch.close();
      w = undefined;
    }
    if (!w) {
      w = { root, watch: new FolderWatch(root), mark: -1 };
      this.#watches.set(projectId, w);
    }
    return w;
  }

  #knownOf(projectId: number): Known {
    let known = this.#known.get(projectId);
    if (!known) {
      known = { stats: null, extra: new Map(), config: null };
      this.#known.set(projectId, known);
    }
    return known;
  }

  private storedStats(projectId: number): Map<string, string | null> {
    const out = new Map<string, string | null>();
    const json = this.store.get(
      `SELECT json_group_array(json_array(file_path, file_size || ':' || file_mtime_ns || ':' || file_ino)) AS j FROM documents WHERE project_id = ?`,
      [projectId],
    )?.j;
    for (const [rel, key] of jsonRows<[string, string | null]>(json)) out.set(rel, key);
    return out;
  }
}
