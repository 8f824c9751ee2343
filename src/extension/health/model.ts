// Each project's latest health report, computed in the engine's worker and shared by the Problems
// panel, the Health tree node and the dashboard. Recomputed after every change the engine reports and
// whenever the health settings change; one computation per project at a time (later asks coalesce).
// The worker also places the diagnostics (file reads, ranges) and answers "unchanged" when the result
// equals the one held here, so an unchanged re-sync costs the host nothing and announces nothing. The
// placed diagnostics stay in the worker: the Problems panel and the board ask for the files they
// show (files()), so a report of thousands of files does not cross to this thread whole.
import * as vscode from 'vscode';
import type { FileDiagnostics, FileSelection } from '../../core/health/placement';
import type { HealthReport } from '../../core/health/types';
import { isLensError, messageOf } from '../../core/errors';
import type { Project } from '../../core/types';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import type { ExtensionLog } from '../log';
import { readHealthConfig } from './config';

export interface ProjectHealth {
  project: Project & { sdlc_path: string };
  report: HealthReport;
  /** PRD, else TRD, else first document (relative to sdlc_path): where project-level findings go. */
  projectFile: string | null;
  disabledRules: string[];
  /** Equal hash: equal report, project file and diagnostics (the engine keeps the diagnostics: HealthModel.files). */
  hash: string;
}

type HealthEngine = Pick<AsyncLensEngine, 'getProject' | 'listProjects' | 'healthDiagnostics' | 'healthFiles'>;

export class HealthModel implements vscode.Disposable {
  private readonly cache = new Map<string, ProjectHealth>();
  private readonly running = new Map<string, Promise<ProjectHealth | undefined>>();
  private readonly again = new Set<string>();
  private readonly forced = new Set<string>();
  /** projectChanged's checks in progress (settled() waits for them too). */
  private readonly checks = new Set<Promise<void>>();
  private readonly emitter = new vscode.EventEmitter<{ slug: string; health: ProjectHealth | undefined; changed: boolean }>();
  /** A project's report was computed (undefined: the project is gone or has no folder); `changed`: it differs from the last. */
  readonly onDidChange = this.emitter.event;
  private disposed = false;
  /** Test hook: files the engine read for these computations so far (unchanged files are not read). */
  totalReads = 0;
  /** Test hook: reports asked of the engine so far. */
  computations = 0;
  /** Test hook: computations answered "unchanged" (nothing announced). */
  unchangedCount = 0;
  /** Test hook: placed files asked of the engine so far (files()). */
  filesAsked = 0;

  constructor(
    private readonly engine: HealthEngine,
    private readonly log: Pick<ExtensionLog, 'warn'>,
  ) {}

  dispose(): void {
    this.disposed = true;
    this.emitter.dispose();
  }

  /** The last report of a project, computing it when there is none yet. */
  async get(slug: string): Promise<ProjectHealth | undefined> {
    return this.cache.get(slug) ?? this.refresh(slug);
  }

  /** The projects with a report. */
  known(): string[] {
    return [...this.cache.keys()];
  }

  peek(slug: string): ProjectHealth | undefined {
    return this.cache.get(slug);
  }

  /**
   * The placed diagnostics of the files `which` selects, as computed with `health` (by default the
   * project's latest report); undefined when there is no report or a later one replaces it (its
   * announcement follows).
   */
  async files(slug: string, which: FileSelection, health = this.cache.get(slug)): Promise<FileDiagnostics[] | undefined> {
    if (!health) return undefined;
    this.filesAsked++;
    const r = await this.engine.healthFiles(slug, health.hash, which);
    if (!r.stale) return r.files;
    // no later computation on its way: the engine lost them (a restarted worker whose first report
    // equals this one answers "unchanged", which announces nothing); one announced now publishes them
    if (!this.running.has(slug) && !this.disposed) void this.refresh(slug, true);
    return undefined;
  }

  /**
   * Recomputes a project's report (coalescing with a running computation) and announces it when it
   * changed; `force` announces it even when unchanged (a settings change: the diagnostics may be off).
   */
  refresh(slug: string, force = false): Promise<ProjectHealth | undefined> {
    const current = this.running.get(slug);
    if (current) {
      this.again.add(slug);
      if (force) this.forced.add(slug);
      return current.then(() => this.running.get(slug) ?? this.cache.get(slug));
    }
    const forced = force || this.forced.delete(slug);
    const run = this.compute(slug, forced)
      .then(({ health: h, changed }) => {
        if (h) this.cache.set(slug, h);
        else this.cache.delete(slug);
        // announced even when unchanged (the tree re-reads the project row, as after any sync);
        // `changed` lets the diagnostics skip an unchanged report without looking at it
        if (!this.disposed) this.emitter.fire({ slug, health: h, changed: changed || forced });
        return h;
      })
      .finally(() => {
        this.running.delete(slug);
        if (this.again.delete(slug)) void this.refresh(slug);
      });
    this.running.set(slug, run);
    return run;
  }

  /**
   * A project's row changed: a sync began or ended, or its name or folder changed. A report holds
   * the project's name, folder and last sync time, so when none of them differs from the report's
   * (the flip to `syncing`; the end of a sync whose documents change already recomputed it) there
   * is nothing to compute. Computing then held the worker in the middle of an edit's sync (at 10k
   * documents ~180 ms, and the edited row waited for it).
   *
   * `stored` is the row the change carries, as it was when announced: asking for it instead would
   * answer with a later row (the sync's end already written), which differs from the report's and
   * asked for a second report of the same sync (1 in 3 runs on 1.139.1).
   */
  projectChanged(slug: string, stored?: Project): Promise<void> {
    const check = this.checkProject(slug, stored).finally(() => this.checks.delete(check));
    this.checks.add(check);
    return check;
  }

  private async checkProject(slug: string, stored: Project | undefined): Promise<void> {
    await this.running.get(slug); // a report computed before the change: compared with it
    const prev = this.cache.get(slug);
    if (stored && prev && !this.again.has(slug) && sameForHealth(prev.project, stored)) return;
    await this.refresh(slug);
  }

  /** Resolves once no computation is running or queued (tests). */
  async settled(): Promise<void> {
    while (this.running.size || this.checks.size) await Promise.all([...this.running.values(), ...this.checks]).catch(() => undefined);
  }

  /** Recomputes every registered project, and forgets the ones that are gone. */
  async refreshAll(force = false): Promise<void> {
    let projects: Project[];
    try {
      projects = await this.engine.listProjects();
    } catch (e) {
      this.log.warn(`health check: listing the projects failed: ${messageOf(e)}`);
      return;
    }
    const live = new Set(projects.map((p) => p.slug));
    for (const slug of [...this.cache.keys()]) if (!live.has(slug)) this.forget(slug);
    await Promise.all(projects.map((p) => this.refresh(p.slug, force)));
  }

  /** A removed project: drop its report and announce that it has none. */
  forget(slug: string): void {
    this.cache.delete(slug);
    if (!this.disposed) this.emitter.fire({ slug, health: undefined, changed: true });
  }

  private async compute(slug: string, force: boolean): Promise<{ health: ProjectHealth | undefined; changed: boolean }> {
    const prev = this.cache.get(slug);
    try {
      const project = await this.engine.getProject(slug);
      if (!project.sdlc_path) return { health: undefined, changed: prev !== undefined };
      const cfg = readHealthConfig(vscode.Uri.file(project.sdlc_path));
      if (cfg.unknown.length) this.log.warn(`sdlcLens.health.disabledRules: unknown rule id(s) ignored: ${cfg.unknown.join(', ')}`);
      const same = prev && !force && prev.project.sdlc_path === project.sdlc_path && prev.disabledRules.join() === cfg.disabledRules.join();
      this.computations++;
      const res = await this.engine.healthDiagnostics(slug, { disabledRules: cfg.disabledRules, since: same ? prev.hash : undefined, files: [] });
      this.totalReads += res.reads;
      if (res.unchanged && prev) {
        this.unchangedCount++;
        prev.project = project as ProjectHealth['project'];
        return { health: prev, changed: false };
      }
      if (res.unchanged) throw new Error('the engine answered "unchanged" to a first computation');
      const health: ProjectHealth = {
        project: project as ProjectHealth['project'],
        report: res.report,
        projectFile: res.projectFile,
        disabledRules: cfg.disabledRules,
        hash: res.hash,
      };
      return { health, changed: true };
    } catch (e) {
      if (isLensError(e) && e.code === 'NOT_FOUND') return { health: undefined, changed: prev !== undefined };
      this.log.warn(`health check of ${slug} failed: ${messageOf(e)}`);
      return { health: prev, changed: false };
    }
  }
}

/** What a report holds of its project (health/queries.ts reads name and last sync; placement the folder). */
function sameForHealth(a: Project, b: Project): boolean {
  return a.name === b.name && a.sdlc_path === b.sdlc_path && a.last_synced_at === b.last_synced_at;
}
