// What the dashboard shows, as plain data built from the engine's answers (stats, health, recent
// documents). Pure: render.ts turns it into HTML, data.ts fetches the inputs from the worker.
import { RULE_IDS, ruleById, type Severity } from '../../core/health';
import type { AllStats, HealthReport, ProjectStats } from '../../core/health/types';
import { NULL_STATUS_KEY } from '../../core/health';
import { statusGroup, type StatusGroup } from '../../core/parse/status';
import { typeLabel, typeRank } from '../../core/parse/labels';
import { displayId } from '../../core/parse/ids';
import type { DocumentSummary } from '../../core/engine-api';

export interface Segment {
  /** Filter value posted back when the segment is clicked (the doc type or stored status; `none` = no status). */
  key: string;
  label: string;
  count: number;
  /** Colour class suffix (a status group, or a palette index for types). */
  tone: string;
}

export interface RuleCount {
  id: string;
  title: string;
  severity: Severity;
  count: number;
}

export interface RecentDoc {
  slug: string;
  project: string;
  id: string;
  type: string;
  title: string;
  status: string | null;
  updated_at: string;
  /** Relative to the project's sdlc-studio folder. */
  file_path: string;
}

export interface ProjectLine {
  slug: string;
  name: string;
  total: number;
  completion: number;
  score: number | null;
}

export interface DashboardModel {
  /** The project's slug, or null for every project. */
  slug: string | null;
  title: string;
  totalDocuments: number;
  /** % of stories in a terminal status (health-check.md §6). */
  completion: number;
  byType: Segment[];
  byStatus: Segment[];
  /** Null for the all-projects view when no project has a report. */
  score: number | null;
  summary: Record<Severity, number>;
  topRules: RuleCount[];
  recent: RecentDoc[];
  projects: ProjectLine[];
  lastSyncedAt: string | null;
  /** sdlc-studio's own checks (dashboard/skill.ts), when the skill is installed. */
  skill?: import('./skillSection').SkillLine[];
}

const natural = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function typeSegments(byType: Record<string, number>): Segment[] {
  return Object.entries(byType)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => typeRank(a) - typeRank(b) || natural.compare(a, b))
    .map(([type, count], i) => ({ key: type, label: typeLabel(type, true), count, tone: `t${i % 8}` }));
}

const GROUP_ORDER: StatusGroup[] = ['done', 'closed', 'in-flight', 'review', 'ready', 'planned', 'draft', 'triage', 'blocked', 'unknown'];

export function statusSegments(byStatus: Record<string, number>): Segment[] {
  return Object.entries(byStatus)
    .filter(([, n]) => n > 0)
    .map(([status, count]) => {
      const none = status === NULL_STATUS_KEY;
      return { key: none ? 'none' : status, label: none ? 'No status' : status, count, tone: none ? 'unknown' : statusGroup(status) };
    })
    .sort((a, b) => GROUP_ORDER.indexOf(a.tone as StatusGroup) - GROUP_ORDER.indexOf(b.tone as StatusGroup) || b.count - a.count || natural.compare(a.label, b.label));
}

/** The rules with the most findings (not affected documents) across reports (ties in rule order), at most `limit`. */
export function topRules(reports: readonly HealthReport[], limit = 5): RuleCount[] {
  const counts = new Map<string, number>();
  for (const r of reports) for (const f of r.findings) counts.set(f.rule_id, (counts.get(f.rule_id) ?? 0) + 1);
  const order = (id: string) => (RULE_IDS.includes(id) ? RULE_IDS.indexOf(id) : RULE_IDS.length);
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || order(a) - order(b))
    .slice(0, limit)
    .map(([id, count]) => ({ id, title: ruleById(id)?.title ?? id, severity: ruleById(id)?.severity ?? 'low', count }));
}

const sumSummaries = (reports: readonly HealthReport[]) => {
  const s: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const r of reports) for (const k of Object.keys(s) as Severity[]) s[k] += r.summary[k];
  return s;
};

/**
 * The `limit` most recently changed documents (newest first; ties by path): by the files'
 * modification times (`mtimes`, file_path → ISO time), the sync time only for a file without one.
 * A sync stores every document at the same minute, so the sync time says nothing about the files.
 */
export function recentDocs(slug: string, project: string, docs: readonly DocumentSummary[], mtimes: Readonly<Record<string, string>> = {}, limit = 10): RecentDoc[] {
  const changed = (d: DocumentSummary): string => mtimes[d.file_path] ?? d.updated_at;
  return [...docs]
    .map((d) => ({ d, at: changed(d) }))
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : natural.compare(a.d.file_path, b.d.file_path)))
    .slice(0, limit)
    .map(({ d, at }) => ({ slug, project, id: displayId(d.doc_id), type: d.type, title: d.title, status: d.status, updated_at: at, file_path: d.file_path }));
}

/** The documents a clicked chart segment stands for (`none` = no status). */
export function matching(docs: readonly DocumentSummary[], kind: 'type' | 'status', key: string): DocumentSummary[] {
  return docs.filter((d) => (kind === 'type' ? d.type === key : key === 'none' ? d.status === null : d.status === key));
}

export function projectModel(stats: ProjectStats, report: HealthReport | null, recent: RecentDoc[]): DashboardModel {
  return {
    slug: stats.slug,
    title: stats.name,
    totalDocuments: stats.total_documents,
    completion: stats.completion_percentage,
    byType: typeSegments(stats.by_type),
    byStatus: statusSegments(stats.by_status),
    score: report?.score ?? null,
    summary: report ? { ...report.summary } : sumSummaries([]),
    topRules: report ? topRules([report]) : [],
    recent,
    projects: [],
    lastSyncedAt: stats.last_synced_at,
  };
}

export function allModel(stats: AllStats, reports: ReadonlyMap<string, HealthReport>, recent: RecentDoc[], limit = 10): DashboardModel {
  const list = [...reports.values()];
  return {
    slug: null,
    title: 'All projects',
    totalDocuments: stats.total_documents,
    completion: stats.completion_percentage,
    byType: typeSegments(stats.by_type),
    byStatus: statusSegments(stats.by_status),
    score: list.length ? Math.min(...list.map((r) => r.score)) : null,
    summary: sumSummaries(list),
    topRules: topRules(list),
    recent: [...recent].sort((a, b) => (a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : 0)).slice(0, limit),
    projects: stats.projects.map((p) => ({
      slug: p.slug,
      name: p.name,
      total: p.total_documents,
      completion: p.completion_percentage,
      score: reports.get(p.slug)?.score ?? null,
    })),
    lastSyncedAt: stats.projects.map((p) => p.last_synced_at).filter((x): x is string => !!x).sort().pop() ?? null,
  };
}
