// Statistics (health-check.md §6): counts per type and status, and story completion, per project and
// over all projects. Pure: built from grouped counts (see queries.ts for the one SQL query).
import { isTerminal } from '../parse';
import type { AllStats, ProjectStats, ProjectStatsSummary } from './types';

/** One group of documents: how many of one project have this type and stored status. */
export interface CountRow {
  project_id: number;
  doc_type: string;
  status: string | null;
  n: number;
}

export interface ProjectInfo {
  id: number;
  slug: string;
  name: string;
  last_synced_at: string | null;
}

/** The key `by_status` uses for documents without a status. */
export const NULL_STATUS_KEY = 'null';

/**
 * round1 as the original's Python `round(x, 1)`: the binary value correctly rounded to one decimal,
 * an exact tie going to the even digit (0.25 → 0.2, 0.75 → 0.8). `toFixed` rounds the exact binary
 * value too, but sends ties up, so only exact ties (x·4 an integer, x·2 not) need handling.
 */
export function round1(x: number): number {
  if (!Number.isFinite(x)) return x;
  if (Number.isInteger(x * 4) && !Number.isInteger(x * 2)) {
    const lower = Math.floor(x * 10); // x·10 is exact here (…2.5 or …7.5)
    return (lower % 2 === 0 ? lower : lower + 1) / 10;
  }
  return Number(x.toFixed(1));
}

/** §6.1 completion: round1(100 × terminal stories / stories); 0 without stories. */
export function completionPercentage(terminalStories: number, stories: number): number {
  return stories > 0 ? round1((100 * terminalStories) / stories) : 0;
}

interface Tally {
  total: number;
  by_type: Map<string, number>;
  by_status: Map<string, number>;
  stories: number;
  terminal: number;
}

const emptyTally = (): Tally => ({ total: 0, by_type: new Map(), by_status: new Map(), stories: 0, terminal: 0 });

/** Maps → plain objects; `Object.fromEntries` defines every key as an own property (even `__proto__`). */
const obj = (m: Map<string, number>): Record<string, number> => Object.fromEntries(m);

function add(t: Tally, r: CountRow, terminalStory: (status: string | null) => boolean): void {
  t.total += r.n;
  t.by_type.set(r.doc_type, (t.by_type.get(r.doc_type) ?? 0) + r.n);
  const key = r.status ?? NULL_STATUS_KEY;
  t.by_status.set(key, (t.by_status.get(key) ?? 0) + r.n);
  if (r.doc_type === 'story') {
    t.stories += r.n;
    if (terminalStory(r.status)) t.terminal += r.n;
  }
}

/** `isTerminal("story", …)` memoised over one computation (statuses repeat a lot). */
function terminalStoryMemo(): (status: string | null) => boolean {
  const memo = new Map<string | null, boolean>();
  return (status) => {
    let v = memo.get(status);
    if (v === undefined) {
      v = status !== null && isTerminal('story', status);
      memo.set(status, v);
    }
    return v;
  };
}

/** §6.1 for one project from its count rows. */
export function projectStatsFrom(project: ProjectInfo, rows: readonly CountRow[]): ProjectStats {
  const t = emptyTally();
  const terminal = terminalStoryMemo();
  for (const r of rows) if (r.project_id === project.id) add(t, r, terminal);
  return {
    slug: project.slug,
    name: project.name,
    total_documents: t.total,
    by_type: obj(t.by_type),
    by_status: obj(t.by_status),
    completion_percentage: completionPercentage(t.terminal, t.stories),
    last_synced_at: project.last_synced_at,
  };
}

/** §6.2 over every project (given in display order) from the count rows of all of them. */
export function allStatsFrom(projects: readonly ProjectInfo[], rows: readonly CountRow[]): AllStats {
  const overall = emptyTally();
  const per = new Map<number, Tally>(projects.map((p) => [p.id, emptyTally()]));
  const terminal = terminalStoryMemo();
  for (const r of rows) {
    const t = per.get(r.project_id);
    if (!t) continue; // a row of a project removed meanwhile
    add(t, r, terminal);
    add(overall, r, terminal);
  }
  const summaries: ProjectStatsSummary[] = projects.map((p) => {
    const t = per.get(p.id)!;
    return {
      slug: p.slug,
      name: p.name,
      total_documents: t.total,
      completion_percentage: completionPercentage(t.terminal, t.stories),
      last_synced_at: p.last_synced_at,
    };
  });
  return {
    total_projects: projects.length,
    total_documents: overall.total,
    by_type: obj(overall.by_type),
    by_status: obj(overall.by_status),
    completion_percentage: completionPercentage(overall.terminal, overall.stories),
    projects: summaries,
  };
}
