// sdlc-studio's own checks in the editor: asks the engine's worker to run them in the background after
// each sync (debounced per project; the worker runs one at a time, with a time limit, and a newer sync
// cancels a run), keeps each project's latest report for the Health node and the dashboard, and
// publishes the findings in the Problems panel (source "sdlc-studio", same scope and severity settings
// as the health check). A script that fails gives one log line and a quiet state on the Health node,
// never a notification. Never runs in Restricted Mode: the scripts may come from the repository.
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { EngineChange } from '../../core/engine-api';
import { isLensError, messageOf } from '../../core/errors';
import type { FileDiagnostics, PlacedDiagnostic } from '../../core/health/placement';
import { SKILL_SOURCE, type SkillCheckReport } from '../../core/skill/checks';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import type { ExtensionLog } from '../log';
import { readSkillSettings, SKILL_SECTION } from './config';
import { DiagnosticsPublisher, type PublishTarget } from './diagnostics';
import type { OpenFiles } from './openFiles';

/** How long after the last sync of a project its checks wait (a burst of syncs runs them once). */
export const SKILL_CHECK_DEBOUNCE_MS = 1500;

type SkillEngine = Pick<AsyncLensEngine, 'skillChecks' | 'configureSkill' | 'getProject' | 'listProjects'>;

/** What the Health node shows for one project. */
/**
 * Whether the Health node shows a project's sdlc-studio checks: a report of an installed skill, or why
 * they are off. Without the skill nothing is shown, so its runs (running, then "not found") change
 * nothing in the tree.
 */
export function shownInTree(v: SkillView | undefined): v is SkillView {
  return !!v && (!!v.off || (!!v.report && v.report.state !== 'not-found'));
}

export interface SkillView {
  /** The latest report that was not cancelled. */
  report?: SkillCheckReport;
  sdlcPath: string;
  /** A run is scheduled or under way. */
  running: boolean;
  /** Why the checks do not run at all (Restricted Mode, switched off); shown instead of a report. */
  off?: string;
}

/** Per report, computed once: an open-files change re-publishes without re-hashing. */
const filesOf = new WeakMap<SkillCheckReport, FileDiagnostics[]>();

/** The report's findings as placed diagnostics per file (what the publisher takes). */
export function skillFiles(report: SkillCheckReport): FileDiagnostics[] {
  const known = filesOf.get(report);
  if (known) return known;
  const byFile = new Map<string, { folder: boolean; diagnostics: PlacedDiagnostic[] }>();
  for (const f of report.findings) {
    const entry = byFile.get(f.abs_path) ?? { folder: f.folder, diagnostics: [] };
    entry.diagnostics.push({ line: f.line, start: f.start, end: f.end, rule_id: f.code, severity: f.severity, message: `${f.message} (${f.check}.py)`, field: f.field });
    byFile.set(f.abs_path, entry);
  }
  const files = [...byFile].map(([absPath, e]) => ({
    absPath,
    folder: e.folder,
    diagnostics: e.diagnostics,
    sig: createHash('sha1').update(JSON.stringify(e.diagnostics)).digest('base64').slice(0, 22),
  }));
  filesOf.set(report, files);
  return files;
}

/** The one line the Health node shows for a project's checks. */
export function skillSummary(v: SkillView): string {
  if (v.off) return v.off;
  const r = v.report;
  if (!r) return v.running ? 'running…' : 'not run yet';
  if (r.state === 'not-found') return 'skill not found';
  const version = r.skill?.version ? `${r.skill.version} · ` : '';
  if (r.state === 'failed' || r.state === 'no-folder') return `sdlc-studio checks unavailable: ${r.error ?? r.state}`;
  const n = r.findings.length;
  return `${version}${n} finding${n === 1 ? '' : 's'}${r.state === 'partial' ? ` · some checks unavailable: ${r.error}` : ''}${v.running ? ' · running…' : ''}`;
}

export class SkillChecksModel implements vscode.Disposable {
  private readonly views = new Map<string, SkillView>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Map<string, Promise<void>>();
  /** The last state line logged per project: a state is logged once, when it changes. */
  private readonly logged = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<{ slug: string; view: SkillView | undefined; shown: boolean }>();
  /** A project's view changed; `shown`: the tree shows it, or showed the one before (shownInTree). */
  readonly onDidChange = this.emitter.event;
  readonly diagnostics: DiagnosticsPublisher;
  private disposed = false;
  /** Test hook: runs asked of the engine so far. */
  runs = 0;

  constructor(
    private readonly engine: SkillEngine,
    private readonly log: Pick<ExtensionLog, 'info' | 'warn'>,
    openFiles: Pick<OpenFiles, 'has' | 'paths'>,
    private readonly debounceMs = SKILL_CHECK_DEBOUNCE_MS,
  ) {
    this.diagnostics = new DiagnosticsPublisher(openFiles, { collection: 'sdlcLens.skill', source: SKILL_SOURCE, replaceInUnsaved: false });
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.diagnostics.dispose();
    this.emitter.dispose();
  }

  get(slug: string): SkillView | undefined {
    return this.views.get(slug);
  }

  slugs(): string[] {
    return [...this.views.keys()];
  }

  /** Why the checks are off for everyone, or undefined when they may run. */
  private offReason(): string | undefined {
    if (!vscode.workspace.isTrusted) return 'off in Restricted Mode';
    if (vscode.workspace.getConfiguration(SKILL_SECTION).get<unknown>('checks', true) === false) return 'off (sdlcLens.skill.checks)';
    return undefined;
  }

  /** Sends the `sdlcLens.skill.*` settings to the engine. */
  async configure(): Promise<void> {
    await this.engine.configureSkill(readSkillSettings());
  }

  /** An engine change: a sync (or another window) changed a project, so its checks run again. */
  onEngineChange(c: EngineChange): void {
    if (c.kind === 'removed') this.forget(c.slug);
    else if (c.kind === 'reloaded') void this.scheduleAll();
    else this.schedule(c.slug);
  }

  /** Runs a project's checks once its syncs have settled for a moment. */
  schedule(slug: string): void {
    if (this.disposed) return;
    clearTimeout(this.timers.get(slug));
    this.timers.set(
      slug,
      setTimeout(() => {
        this.timers.delete(slug);
        void this.runNow(slug);
      }, this.debounceMs),
    );
  }

  async scheduleAll(): Promise<void> {
    try {
      for (const p of await this.engine.listProjects()) this.schedule(p.slug);
    } catch (e) {
      this.log.warn(`sdlc-studio checks: listing the projects failed: ${messageOf(e)}`);
    }
  }

  /** Resolves once no run is scheduled or under way (tests). */
  async settled(): Promise<void> {
    while (this.timers.size || this.inFlight.size) {
      if (this.inFlight.size) await Promise.all(this.inFlight.values());
      else await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Runs a project's checks now (in the worker) and publishes the outcome. */
  runNow(slug: string): Promise<void> {
    const run = this.execute(slug).finally(() => {
      if (this.inFlight.get(slug) === run) this.inFlight.delete(slug);
    });
    this.inFlight.set(slug, run);
    return run;
  }

  private async execute(slug: string): Promise<void> {
    let project;
    try {
      project = await this.engine.getProject(slug);
    } catch (e) {
      if (isLensError(e) && e.code === 'NOT_FOUND') this.forget(slug);
      else this.log.warn(`sdlc-studio checks of ${slug}: ${messageOf(e)}`);
      return;
    }
    if (!project.sdlc_path) return this.forget(slug);
    if (project.sync_status === 'syncing') return; // its end is another change: scheduled again then
    const prev = this.views.get(slug);
    const off = this.offReason();
    if (off) {
      this.set(slug, { sdlcPath: project.sdlc_path, running: false, off });
      return;
    }
    this.set(slug, { ...prev, off: undefined, sdlcPath: project.sdlc_path, running: true });
    let report: SkillCheckReport;
    try {
      this.runs++;
      report = await this.engine.skillChecks(slug);
    } catch (e) {
      if (isLensError(e) && e.code === 'NOT_FOUND') return this.forget(slug);
      report = {
        project_slug: slug,
        source: SKILL_SOURCE,
        state: 'failed',
        skill: null,
        checked_at: new Date().toISOString(),
        duration_ms: 0,
        checks: [],
        findings: [],
        summary: { critical: 0, high: 0, medium: 0, low: 0 },
        error: messageOf(e),
      };
    }
    if (this.disposed || !this.views.has(slug)) return;
    if (report.state === 'cancelled') {
      // a newer sync stopped it: that sync's end schedules the next run; keep the last report
      this.set(slug, { ...this.views.get(slug)!, running: this.timers.has(slug) });
      return;
    }
    this.logState(slug, report);
    this.set(slug, { sdlcPath: project.sdlc_path, report, running: this.timers.has(slug) });
  }

  private set(slug: string, view: SkillView): void {
    const shown = shownInTree(this.views.get(slug)) || shownInTree(view);
    this.views.set(slug, view);
    void this.publish(slug);
    if (!this.disposed) this.emitter.fire({ slug, view, shown });
  }

  /** (Re)publishes one project's findings in the Problems panel (after a settings or open-files change too). */
  async publish(slug: string): Promise<void> {
    const v = this.views.get(slug);
    const report = v?.report && !v.off ? v.report : undefined;
    // the report is this thread's already (a script's output): every file's, the publisher filters
    const target: PublishTarget | undefined = v && report ? { sdlcPath: v.sdlcPath, files: async () => skillFiles(report) } : undefined;
    try {
      await this.diagnostics.publish(slug, target);
    } catch (e) {
      this.log.warn(`showing the sdlc-studio findings of ${slug} failed: ${messageOf(e)}`);
    }
  }

  async publishAll(): Promise<void> {
    await Promise.all(this.slugs().map((s) => this.publish(s)));
  }

  forget(slug: string): void {
    clearTimeout(this.timers.get(slug));
    this.timers.delete(slug);
    this.logged.delete(slug);
    this.diagnostics.clear(slug);
    const was = this.views.get(slug);
    if (this.views.delete(slug) && !this.disposed) this.emitter.fire({ slug, view: undefined, shown: shownInTree(was) });
  }

  /** One log line per change of state: a failing script is logged once, not after every sync. */
  private logState(slug: string, r: SkillCheckReport): void {
    const line =
      r.state === 'ok'
        ? `sdlc-studio checks of ${slug}: ${r.findings.length} findings (skill ${r.skill?.version ?? '?'}, ${r.duration_ms} ms)`
        : r.state === 'not-found'
          ? `sdlc-studio checks of ${slug}: ${r.error}`
          : `sdlc-studio checks of ${slug} unavailable: ${r.error}`;
    const key = r.state === 'ok' ? 'ok' : line;
    if (this.logged.get(slug) === key) return;
    this.logged.set(slug, key);
    if (r.state === 'failed' || r.state === 'partial') this.log.warn(line);
    else this.log.info(line);
  }
}
