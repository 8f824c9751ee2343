// Runs syncs: one per project at a time (the engine's lock plus ours), each under withProgress,
// with a summary at the end. Auto-syncs that arrive while a run is going on are coalesced into one rerun.
import * as vscode from 'vscode';
import { isLensError, messageOf } from '../core/errors';
import type { Project, SyncOutcome, SyncProgress } from '../core/types';
import type { AsyncLensEngine } from '../core/worker/protocol';
import type { ExtensionLog } from './log';
import type { UiState } from './state';
import { CHANGE_FOLDER, firstLine, isMissingFolderError, progressStep, summarizeCounts } from './statusModel';


export type SyncOrigin = 'user' | 'auto';

export interface RunOptions {
  origin: SyncOrigin;
  /** The project was already in error before this run (auto-syncs then fail without a new pop-up). */
  wasError?: boolean;
  /** No success notification (Sync All shows one summary for all projects). */
  quiet?: boolean;
  /** Run inside this (Sync All's) progress notification instead of one of its own. */
  batch?: BatchProgress;
  /** Auto-sync from the watcher: only these paths changed (the engine's path-hinted sync); absent: full. */
  paths?: string[];
}

/** One progress notification for several runs: each run fills its share of the bar. */
export interface BatchProgress {
  progress: vscode.Progress<{ message?: string; increment?: number }>;
  token: vscode.CancellationToken;
  /** 0-based position of this run, and the number of runs. */
  index: number;
  count: number;
}

interface Run {
  controller: AbortController;
  done: Promise<SyncOutcome | undefined>;
}

type RunnerEngine = Pick<AsyncLensEngine, 'getProject' | 'isSyncing' | 'startSync'>;

export class SyncRunner implements vscode.Disposable {
  private readonly runs = new Map<string, Run>();
  /** Auto-syncs queued behind a running one: slug → the paths they named (undefined: a full sync). */
  private readonly rerun = new Map<string, string[] | undefined>();
  private readonly startListeners = new Set<(slug: string) => void>();
  private disposed = false;

  constructor(
    private readonly engine: RunnerEngine,
    private readonly store: UiState,
    private readonly log: ExtensionLog,
    /** Brings the shown state up to date after a run (before its promise resolves). */
    private readonly afterRun: () => Promise<void> = async () => undefined,
  ) {}

  /** Fires right after the engine accepted a run (before any file is read). */
  onDidStart(listener: (slug: string) => void): vscode.Disposable {
    this.startListeners.add(listener);
    return new vscode.Disposable(() => this.startListeners.delete(listener));
  }

  isRunning(slug: string): boolean {
    return this.runs.has(slug);
  }

  running(): string[] {
    return [...this.runs.keys()];
  }

  /** The pending promise of a running sync of `slug`, if any. */
  current(slug: string): Promise<SyncOutcome | undefined> | undefined {
    return this.runs.get(slug)?.done;
  }

  cancel(slug: string): boolean {
    const run = this.runs.get(slug);
    if (!run) return false;
    this.log.info(`Sync of ${slug}: cancel requested`);
    run.controller.abort();
    return true;
  }

  cancelAll(): void {
    for (const slug of this.runs.keys()) this.cancel(slug);
  }

  dispose(): void {
    this.disposed = true;
    this.rerun.clear();
    this.cancelAll();
  }

  /**
   * Syncs one project. Resolves to the outcome, or undefined when nothing ran
   * (already syncing: a user gets a message, an auto-sync is queued for one rerun).
   */
  async run(slug: string, options: RunOptions): Promise<SyncOutcome | undefined> {
    // The slot is taken before any await, so two triggers in the same turn never both start.
    if (this.runs.has(slug)) return this.alreadySyncing(slug, this.store.state.projects.find((p) => p.slug === slug)?.name ?? slug, options);
    const controller = new AbortController();
    let settle!: (o: SyncOutcome | undefined) => void;
    const done = new Promise<SyncOutcome | undefined>((r) => (settle = r));
    this.runs.set(slug, { controller, done });
    try {
      const project = await this.projectOf(slug);
      const name = project?.name ?? slug;
      const runOptions = { ...options, wasError: project?.sync_status === 'error' };
      // A run this window's engine started by other means (the API server) also counts.
      if (await this.engine.isSyncing(slug).catch(() => false)) {
        settle(undefined);
        return this.alreadySyncing(slug, name, options);
      }
      // The summary comes after the progress notification has closed, not beside it.
      const outcome = await this.execute(slug, name, controller, runOptions);
      if (outcome) {
        await this.afterRun();
        this.finished(name, outcome, runOptions);
      }
      settle(outcome);
      return outcome;
    } catch (e) {
      settle(undefined);
      throw e;
    } finally {
      this.runs.delete(slug);
      this.store.endRun(slug);
      const again = this.rerun.has(slug);
      const paths = this.rerun.get(slug);
      this.rerun.delete(slug);
      if (again && !this.disposed) void this.run(slug, { origin: 'auto', paths });
    }
  }

  private alreadySyncing(slug: string, name: string, options: RunOptions): undefined {
    if (options.origin === 'auto') {
      // one rerun for all of them: the union of their paths, or full if any of them was
      const queued = this.rerun.has(slug) ? this.rerun.get(slug) : [];
      this.rerun.set(slug, queued && options.paths ? [...new Set([...queued, ...options.paths])] : undefined);
    }
    else void vscode.window.showInformationMessage(`"${name}" is already syncing.`);
    return undefined;
  }

  private execute(
    slug: string,
    name: string,
    controller: AbortController,
    options: RunOptions,
  ): Promise<SyncOutcome | undefined> {
    const user = options.origin === 'user';
    const body = async (
      progress: vscode.Progress<{ message?: string; increment?: number }>,
      token: vscode.CancellationToken,
      share: number,
      prefix: string,
    ): Promise<SyncOutcome | undefined> => {
      const cancelSub = token.onCancellationRequested(() => controller.abort());
      try {
        let reported = 0;
        let lastMessage: string | undefined;
        const onProgress = (p: SyncProgress) => {
          const step = progressStep(p);
          const message = step.message ? `${prefix}${step.message}` : undefined;
          // Pass on only what changes the display (≤ ~100 updates per run), so thousands of files do not
          // flood the renderer; every phase change shows (reading → applying → saving).
          if (step.pct <= reported && message === lastMessage) return;
          if (message === lastMessage && step.pct - reported < 1) return;
          this.store.progressRun(slug, { phase: p.phase, seen: p.seen, total: p.total });
          progress.report({ increment: (Math.max(0, step.pct - reported) * share) / 100, message });
          reported = Math.max(reported, step.pct);
          lastMessage = message;
        };
        let started;
        try {
          started = await this.engine.startSync(slug, { signal: controller.signal, onProgress, paths: options.paths });
        } catch (e) {
          if (controller.signal.aborted) this.log.info(`Sync of ${name} cancelled before it started`);
          else this.refused(name, e, options);
          return undefined;
        }
        // The engine logs "<slug>: sync started" once; the log gets no second line from here.
        this.store.startRun(slug, options.origin);
        for (const l of [...this.startListeners]) l(slug);
        const outcome = await started.done;
        if (reported < 100) progress.report({ increment: ((100 - reported) * share) / 100 });
        return outcome;
      } finally {
        cancelSub.dispose();
      }
    };
    const batch = options.batch;
    if (batch) return body(batch.progress, batch.token, 100 / batch.count, `${name} (${batch.index + 1}/${batch.count}): `);
    const location = user ? vscode.ProgressLocation.Notification : { viewId: 'sdlcLens.projects' };
    return Promise.resolve(
      vscode.window.withProgress({ location, title: `Syncing ${name}`, cancellable: user }, (progress, token) => body(progress, token, 100, '')),
    );
  }

  private refused(name: string, e: unknown, options: RunOptions): void {
    if (isLensError(e) && e.code === 'SYNC_IN_PROGRESS') {
      if (options.origin === 'user') void vscode.window.showInformationMessage(`"${name}" is already syncing.`);
      return;
    }
    this.log.error(`Sync of ${name} could not start: ${messageOf(e)}`);
    void vscode.window.showErrorMessage(`Could not sync "${name}": ${firstLine(messageOf(e))}`, 'Show Log').then((c) => c && this.log.show());
  }

  private finished(name: string, o: SyncOutcome, options: RunOptions): void {
    const counts = summarizeCounts(o);
    if (o.cancelled) {
      if (options.origin === 'user' && !options.batch) void vscode.window.showInformationMessage(`Sync of "${name}" cancelled; no document changed.`);
      return;
    }
    // The engine logs "<slug>: sync ended …" with the counts, and each file error, once: no second line here.
    if (o.sync_status === 'synced') {
      if (options.origin === 'user' && !options.quiet) {
        void vscode.window.showInformationMessage(`Synced "${name}": ${counts}.`);
      } else if (options.origin === 'auto') {
        vscode.window.setStatusBarMessage(`$(check) SDLC: synced ${name} — ${counts}`, 4000);
      }
      return;
    }
    if (options.origin === 'auto' && options.wasError) return; // already reported; the status bar still shows it
    if (options.batch) return; // Sync All reports every failure in its one summary
    void this.offerRetry(name, o.slug, o.sync_error ?? 'The sync failed.');
  }

  /**
   * The error message with "Show Log" and "Retry" (also used by the status bar's click); when the
   * project's folder is gone, "Change Folder…" first. The full text goes to the log.
   */
  async offerRetry(name: string, slug: string, error: string): Promise<void> {
    const missing = isMissingFolderError(error);
    const buttons = missing ? [CHANGE_FOLDER, 'Retry', 'Show Log'] : ['Retry', 'Show Log'];
    const choice = await vscode.window.showErrorMessage(`Sync of "${name}" failed: ${firstLine(error)}`, ...buttons);
    if (choice === 'Show Log') this.log.show();
    else if (choice === 'Retry') await this.run(slug, { origin: 'user' });
    else if (choice === CHANGE_FOLDER) await vscode.commands.executeCommand('sdlcLens.changeProjectFolder', slug);
  }

  private async projectOf(slug: string): Promise<Project | undefined> {
    try {
      return await this.engine.getProject(slug);
    } catch {
      return undefined;
    }
  }
}
