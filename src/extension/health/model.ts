// Each project's latest health report, computed in the engine's worker and shared by the Problems
// panel, the Health tree node and the dashboard. Recomputed after every change the engine reports and
// whenever the health settings change; one computation per project at a time (later asks coalesce).
import * as vscode from 'vscode';
import type { HealthReport } from '../../core/health/types';
import { isLensError, messageOf } from '../../core/errors';
import type { Project } from '../../core/types';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import type { ExtensionLog } from '../log';
import { readHealthConfig } from './config';
import { projectFileOf } from './placement';

export interface ProjectHealth {
  project: Project & { sdlc_path: string };
  report: HealthReport;
  /** PRD, else TRD, else first document (relative to sdlc_path): where project-level findings go. */
  projectFile: string | null;
  disabledRules: string[];
}

type HealthEngine = Pick<AsyncLensEngine, 'getProject' | 'listProjects' | 'healthCheck' | 'documentsOfType' | 'documentSummaries'>;

export class HealthModel implements vscode.Disposable {
  private readonly cache = new Map<string, ProjectHealth>();
  private readonly running = new Map<string, Promise<ProjectHealth | undefined>>();
  private readonly again = new Set<string>();
  private readonly emitter = new vscode.EventEmitter<{ slug: string; health: ProjectHealth | undefined }>();
  /** A project's report changed (undefined: the project is gone or has no folder). */
  readonly onDidChange = this.emitter.event;
  private disposed = false;

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

  peek(slug: string): ProjectHealth | undefined {
    return this.cache.get(slug);
  }

  /** Recomputes a project's report (coalescing with a running computation) and announces it. */
  refresh(slug: string): Promise<ProjectHealth | undefined> {
    const current = this.running.get(slug);
    if (current) {
      this.again.add(slug);
      return current.then(() => this.running.get(slug) ?? this.cache.get(slug));
    }
    const run = this.compute(slug)
      .then((h) => {
        if (h) this.cache.set(slug, h);
        else this.cache.delete(slug);
        if (!this.disposed) this.emitter.fire({ slug, health: h });
        return h;
      })
      .finally(() => {
        this.running.delete(slug);
        if (this.again.delete(slug)) void this.refresh(slug);
      });
    this.running.set(slug, run);
    return run;
  }

  /** Recomputes every registered project, and forgets the ones that are gone. */
  async refreshAll(): Promise<void> {
    let projects: Project[];
    try {
      projects = await this.engine.listProjects();
    } catch (e) {
      this.log.warn(`health check: listing the projects failed: ${messageOf(e)}`);
      return;
    }
    const live = new Set(projects.map((p) => p.slug));
    for (const slug of [...this.cache.keys()]) if (!live.has(slug)) this.forget(slug);
    await Promise.all(projects.map((p) => this.refresh(p.slug)));
  }

  /** A removed project: drop its report and announce that it has none. */
  forget(slug: string): void {
    this.cache.delete(slug);
    if (!this.disposed) this.emitter.fire({ slug, health: undefined });
  }

  private async compute(slug: string): Promise<ProjectHealth | undefined> {
    try {
      const project = await this.engine.getProject(slug);
      if (!project.sdlc_path) return undefined;
      const cfg = readHealthConfig(vscode.Uri.file(project.sdlc_path));
      if (cfg.unknown.length) this.log.warn(`sdlcLens.health.disabledRules: unknown rule id(s) ignored: ${cfg.unknown.join(', ')}`);
      const report = await this.engine.healthCheck(slug, { disabledRules: cfg.disabledRules });
      return {
        project: project as ProjectHealth['project'],
        report,
        projectFile: await this.projectFile(slug, report),
        disabledRules: cfg.disabledRules,
      };
    } catch (e) {
      if (isLensError(e) && e.code === 'NOT_FOUND') return undefined;
      this.log.warn(`health check of ${slug} failed: ${messageOf(e)}`);
      return this.cache.get(slug);
    }
  }

  private async projectFile(slug: string, report: HealthReport): Promise<string | null> {
    if (!report.findings.some((f) => f.affected_documents.length === 0)) return null;
    const [prd, trd] = await Promise.all([this.engine.documentsOfType(slug, 'prd'), this.engine.documentsOfType(slug, 'trd')]);
    const found = projectFileOf([...prd, ...trd]);
    return found ?? projectFileOf(await this.engine.documentSummaries(slug));
  }
}
