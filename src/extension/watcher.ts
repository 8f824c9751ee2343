// Auto-sync: one chokidar watcher per registered project (native fs events, no polling), debounced
// per project, feeding the same SyncRunner (which obeys the lock). A failed auto-sync is not retried
// until files change again: only file events ever trigger a run. Nothing runs while idle.
// The changed paths seen during the debounce are passed on, so the engine syncs only those (its
// path-hinted sync); a removed folder (a delete or rename), a watcher error or more than
// MAX_WATCH_PATHS paths make it a full sync instead.
import * as path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type * as vscode from 'vscode';
import { messageOf } from '../core/errors';
import { isSyncRelevantDirName, isSyncRelevantPath } from '../core/sync/rules';
import type { Project } from '../core/types';
import type { ExtensionLog } from './log';

/** `paths`: the changed paths (relative to the sdlc-studio folder, `/`-separated); undefined: sync everything. */
export type Trigger = (slug: string, paths?: string[]) => void;

/** More changed paths than this in one debounce: a full sync (one stat per file) instead of a hinted one. */
export const MAX_WATCH_PATHS = 500;

/**
 * True for paths whose change can alter the project's documents: core's own rule for what a sync
 * reads (isSyncRelevantPath: `.md` files, hidden ones included, never `_index.md`; the root config
 * files), and folders the walk enters (a folder's removal or rename moves its documents).
 */
export function isRelevantChange(root: string, file: string, isDir: boolean): boolean {
  const rel = path.relative(root, file);
  if (rel === '') return isDir;
  if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
  const parts = rel.split(path.sep);
  if (isDir) return parts.every(isSyncRelevantDirName);
  return isSyncRelevantPath(rel);
}

/** chokidar's `ignored`: never descend into folders the walk skips (hidden, node_modules, …). */
function ignoredUnder(root: string) {
  return (p: string, stats?: { isDirectory(): boolean }): boolean => {
    const rel = path.relative(root, p);
    if (rel === '' || rel.startsWith('..')) return false;
    const parts = rel.split(path.sep);
    if (!parts.slice(0, -1).every(isSyncRelevantDirName)) return true;
    return stats?.isDirectory() === true && !isSyncRelevantDirName(parts[parts.length - 1]);
  };
}

interface Watched {
  root: string;
  watcher: FSWatcher;
  /** Resolves once chokidar has finished its initial scan (events before that can be missed). */
  ready: Promise<void>;
  timer?: ReturnType<typeof setTimeout>;
  /** Paths changed since the last trigger (relative, POSIX); null: something needs a full sync. */
  changed: Set<string> | null;
}

export class AutoSyncWatcher implements vscode.Disposable {
  private readonly watched = new Map<string, Watched>();
  private debounceMs = 1000;
  private enabled = false;
  private readonly seenListeners = new Set<(slug: string, file: string, relevant: boolean) => void>();

  constructor(
    private readonly trigger: Trigger,
    private readonly log: ExtensionLog,
  ) {}

  /** Slugs currently watched (for tests and the log). */
  get slugs(): string[] {
    return [...this.watched.keys()];
  }

  /** Fires for every file event a watcher receives, with whether it schedules a sync (tests, diagnostics). */
  onDidSeeChange(listener: (slug: string, file: string, relevant: boolean) => void): { dispose(): void } {
    this.seenListeners.add(listener);
    return { dispose: () => this.seenListeners.delete(listener) };
  }

  /** True while a debounced sync of `slug` is waiting to start. */
  isScheduled(slug: string): boolean {
    return this.watched.get(slug)?.timer !== undefined;
  }

  /** Resolves when the watcher of `slug` is live; false when there is none. */
  async whenReady(slug: string): Promise<boolean> {
    const w = this.watched.get(slug);
    if (!w) return false;
    await w.ready;
    return true;
  }

  /** Reconciles the watchers with the settings and the registered projects. */
  update(enabled: boolean, debounceMs: number, projects: readonly Project[]): void {
    this.enabled = enabled;
    this.debounceMs = debounceMs;
    const want = new Map(
      enabled ? projects.filter((p) => p.sdlc_path).map((p) => [p.slug, path.resolve(p.sdlc_path as string)] as const) : [],
    );
    for (const [slug, w] of this.watched) {
      if (want.get(slug) !== w.root) this.unwatch(slug);
    }
    for (const [slug, root] of want) {
      if (!this.watched.has(slug)) this.watchProject(slug, root);
    }
  }

  dispose(): void {
    this.enabled = false;
    for (const slug of [...this.watched.keys()]) this.unwatch(slug);
  }

  private watchProject(slug: string, root: string): void {
    const watcher = watch(root, {
      ignoreInitial: true,
      persistent: true,
      usePolling: false,
      ignored: ignoredUnder(root),
    });
    const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    const entry: Watched = { root, watcher, ready, changed: new Set() };
    watcher.on('all', (event, file) => {
      const isDir = event === 'addDir' || event === 'unlinkDir';
      const relevant = isRelevantChange(root, file, isDir);
      if (relevant) {
        const rel = path.relative(root, file).split(path.sep).join('/');
        // a folder gone (deleted, or renamed: its new name comes as addDir) or the root itself: walk everything
        if (event === 'unlinkDir' || rel === '') entry.changed = null;
        else entry.changed?.add(rel); // an added folder: everything under it
        if (entry.changed && entry.changed.size > MAX_WATCH_PATHS) entry.changed = null;
        this.schedule(slug, entry);
      }
      for (const l of [...this.seenListeners]) l(slug, file, relevant);
    });
    watcher.on('error', (e) => {
      this.log.warn(`Auto-sync watcher for ${slug}: ${messageOf(e)}`);
      entry.changed = null; // events may have been lost: the next run looks at everything
      this.schedule(slug, entry);
    });
    this.watched.set(slug, entry);
    this.log.info(`Auto-sync: watching ${root} (${slug})`);
  }

  private schedule(slug: string, entry: Watched): void {
    if (!this.enabled) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      const paths = entry.changed ? [...entry.changed] : undefined;
      entry.changed = new Set();
      if (this.watched.get(slug) === entry) this.trigger(slug, paths);
    }, this.debounceMs);
  }

  private unwatch(slug: string): void {
    const w = this.watched.get(slug);
    if (!w) return;
    this.watched.delete(slug);
    if (w.timer) clearTimeout(w.timer);
    void w.watcher.close().catch(() => undefined);
  }
}
