// Knowing, at no cost per read, that a project's folder has not changed: one non-recursive fs.watch
// per folder the sync walks (inotify, FSEvents or ReadDirectoryChangesW; never polling — Node 20's
// recursive watch polls every file on Linux). Any event counts as a change; the freshness probe then
// does its full stat walk. A folder the watch cannot cover (a link among its folders, too many
// folders, a watch that fails) is never trusted: every read probes it in full, as without a watch.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSyncRelevantDirName } from '../sync/rules';

/** More folders than this and the project is not watched (each costs a kernel watch). */
const MAX_WATCHED_DIRS = 2000;

export class FolderWatch {
  /** Events seen so far; a probe that found the folder fresh records the count it started at. */
  #events = 0;
  #verified = -1;
  #broken = false;
  #rootIno: string | null = null;
  readonly #watchers = new Map<string, fs.FSWatcher>();

  constructor(private readonly root: string) {}

  /** The count a probe starts at (pass it to verified() when the probe, and its sync, are done). */
  get mark(): number {
    return this.#events;
  }

  /** True when no change happened since a probe found the folder in step with the database. */
  get unchanged(): boolean {
    return !this.#broken && this.#watchers.size > 0 && this.#verified === this.#events;
  }

  verified(mark: number): void {
    this.#verified = mark;
  }

  /**
   * Watches every folder the sync walks (new ones added, gone ones dropped). Called before a full
   * probe's walk, so that a file created in a new folder is either seen by the walk or reported by
   * the folder's watch.
   */
  update(): void {
    if (this.#broken) return;
    let ino: string;
    try {
      ino = String(fs.statSync(this.root).ino);
    } catch {
      this.close();
      return;
    }
    if (this.#rootIno !== null && ino !== this.#rootIno) this.close(); // the folder was replaced
    this.#rootIno = ino;
    const dirs = this.#dirs();
    if (!dirs) {
      this.#broken = true;
      this.close();
      return;
    }
    for (const [rel, w] of this.#watchers) {
      if (!dirs.has(rel)) {
        w.close();
        this.#watchers.delete(rel);
      }
    }
    for (const rel of dirs) {
      if (this.#watchers.has(rel)) continue;
      try {
        const w = fs.watch(path.join(this.root, rel), { persistent: false }, () => this.#events++);
        w.on('error', () => {
          this.#events++;
          w.close();
          this.#watchers.delete(rel);
        });
        this.#watchers.set(rel, w);
      } catch {
        this.#broken = true; // out of watches, or no permission: never trusted
        this.close();
        return;
      }
    }
  }

  close(): void {
    for (const w of this.#watchers.values()) w.close();
    this.#watchers.clear();
    this.#events++;
  }

  /** The folders the sync walks (relative, `/`-separated, '' the root), or null when one is a link or there are too many. */
  #dirs(): Set<string> | null {
    const out = new Set<string>(['']);
    const stack = [''];
    while (stack.length) {
      const rel = stack.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(path.join(this.root, rel), { withFileTypes: true });
      } catch {
        continue; // unlistable: the sync keeps its rows; nothing to watch there
      }
      for (const e of entries) {
        if (!isSyncRelevantDirName(e.name)) continue;
        if (e.isSymbolicLink()) {
          try {
            if (fs.statSync(path.join(this.root, rel, e.name)).isDirectory()) return null;
          } catch {
            // a dangling link: not a folder
          }
          continue;
        }
        if (!e.isDirectory()) continue;
        const child = rel ? `${rel}/${e.name}` : e.name;
        out.add(child);
        if (out.size > MAX_WATCHED_DIRS) return null;
        stack.push(child);
      }
    }
    return out;
  }
}
