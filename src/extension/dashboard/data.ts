// Fetches a dashboard's inputs from the engine's worker and validates what the page posts back.
// No vscode: the panel passes the engine and a health-report source in.
import type { DocumentSummary } from '../../core/engine-api';
import type { HealthReport } from '../../core/health/types';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import { allModel, projectModel, recentDocs, type DashboardModel } from './model';

export type DashboardEngine = Pick<AsyncLensEngine, 'projectStats' | 'allStats' | 'documentSummaries' | 'documentModifiedTimes' | 'getProject' | 'listProjects'>;
export type ReportSource = (slug: string) => Promise<HealthReport | null>;

/** The model of one project's dashboard (slug) or of every project's (null). */
export async function loadDashboard(engine: DashboardEngine, slug: string | null, reportOf: ReportSource): Promise<DashboardModel> {
  if (slug !== null) {
    const [stats, docs, mtimes, report] = await Promise.all([
      engine.projectStats(slug),
      engine.documentSummaries(slug),
      engine.documentModifiedTimes(slug),
      reportOf(slug),
    ]);
    return projectModel(stats, report, recentDocs(slug, stats.name, docs, mtimes));
  }
  const stats = await engine.allStats();
  const reports = new Map<string, HealthReport>();
  const recent = [];
  for (const p of stats.projects) {
    const [docs, mtimes, report] = await Promise.all([engine.documentSummaries(p.slug), engine.documentModifiedTimes(p.slug), reportOf(p.slug)]);
    if (report) reports.set(p.slug, report);
    recent.push(...recentDocs(p.slug, p.name, docs, mtimes));
  }
  return allModel(stats, reports, recent);
}

/** What the page may post. Anything else is ignored. */
export type DashboardMessage =
  | { type: 'list'; kind: 'type' | 'status'; key: string }
  | { type: 'open'; slug: string; path: string }
  | { type: 'project'; slug: string }
  | { type: 'refresh' };

const str = (v: unknown, max = 500): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

/** Parses a message from the webview (untrusted input): null when it is not one of ours. */
export function parseMessage(m: unknown): DashboardMessage | null {
  if (!m || typeof m !== 'object') return null;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'list':
      return (o.kind === 'type' || o.kind === 'status') && str(o.key) ? { type: 'list', kind: o.kind, key: o.key } : null;
    case 'open':
      return str(o.slug) && str(o.path, 4096) ? { type: 'open', slug: o.slug, path: o.path } : null;
    case 'project':
      return str(o.slug) ? { type: 'project', slug: o.slug } : null;
    case 'refresh':
      return { type: 'refresh' };
    default:
      return null;
  }
}

/** The stored document a page's `open` names, or undefined (the page cannot open arbitrary paths). */
export async function documentAt(engine: DashboardEngine, slug: string, filePath: string): Promise<DocumentSummary | undefined> {
  return (await engine.documentSummaries(slug)).find((d) => d.file_path === filePath);
}
