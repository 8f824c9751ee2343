// The SQL of a search's filters: the request's own `project`, `type` and `status` parameters (exact,
// as R11 has always taken them) AND the query language's `type:`, `status:`, `project:`, `epic:` and
// `owner:` (case-insensitive; several values of one key OR-ed; api.md §6.1). Every value is a bound
// parameter.
import type { SqlValue } from 'sql.js';
import { statusFilter } from '../documents';
import { DOC_TYPES, STATUS_VOCAB } from '../parse';
import { normId } from '../parse/ids';
import type { ParsedQuery } from './queryLanguage';

const squash = (s: string): string => s.toLowerCase().replace(/[\s_-]+/g, '');

/** Every status of every vocabulary, once, by squashed form (`inprogress` → `In Progress`). */
const STATUSES = new Map<string, string>();
for (const vocab of Object.values(STATUS_VOCAB)) for (const s of vocab) if (!STATUSES.has(squash(s))) STATUSES.set(squash(s), s);

/** Type ids and labels, singular and plural (`story`, `Stories`, `test-spec`, `Test Specs`), by squashed form. */
const TYPES = new Map<string, string>();
for (const d of DOC_TYPES) for (const name of [d.type, ...d.labels]) TYPES.set(squash(name), d.type);

/** The stored status a typed one means (`done` → `Done`, `in-progress` → `In Progress`; `none` stays). */
export function canonicalStatusFilter(typed: string): string {
  if (typed.toLowerCase() === 'none') return 'none';
  return STATUSES.get(squash(typed)) ?? typed;
}

/** The stored type a typed one means (`stories` → `story`, `Test Spec` → `test-spec`). */
export function canonicalTypeFilter(typed: string): string {
  return TYPES.get(squash(typed)) ?? typed.toLowerCase();
}

export interface FilterSql {
  /** Conditions on `documents d`, AND-ed; empty when nothing is filtered. */
  where: string[];
  params: SqlValue[];
  /** Identifies the filter, for caching its rows. */
  key: string;
}

/** The request's parameters the filters read (ValidSearchQuery has them). */
export interface FilterParams {
  project: string | undefined;
  type: string | undefined;
  status: string | undefined;
}

/** `in progress`, `In-Progress`, `in_progress`, `inprogress` compare equal (a status of another vocabulary too). */
const STATUS_SQL = "replace(replace(replace(lower(d.status), ' ', ''), '-', ''), '_', '')";

const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function filterSql(v: FilterParams, parsed: ParsedQuery): FilterSql {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const anyOf = (parts: { sql: string; params: SqlValue[] }[]) => {
    if (!parts.length) return;
    where.push(`(${parts.map((p) => p.sql).join(' OR ')})`);
    for (const p of parts) params.push(...p.params);
  };
  if (v.project !== undefined) {
    where.push('d.project_id = (SELECT id FROM projects WHERE slug = ?)');
    params.push(v.project);
  }
  if (v.type !== undefined) {
    where.push('d.doc_type = ?');
    params.push(v.type);
  }
  if (v.status !== undefined) {
    const f = statusFilter(v.status, 'd.status');
    where.push(f.sql);
    params.push(...f.params);
  }
  const f = parsed.filters;
  // type: an id or a label, singular or plural (`type:stories`, `type:"Test Spec"`)
  anyOf((f.type ?? []).map((t) => ({ sql: 'd.doc_type = ?', params: [canonicalTypeFilter(t)] })));
  anyOf(
    (f.status ?? []).map((s) =>
      s.toLowerCase() === 'none' ? { sql: 'd.status IS NULL', params: [] } : { sql: `${STATUS_SQL} = ?`, params: [squash(s)] },
    ),
  );
  anyOf((f.project ?? []).map((p) => ({ sql: 'd.project_id IN (SELECT id FROM projects WHERE lower(slug) = ?)', params: [p.toLowerCase()] })));
  // epic: the stored field is the normalised ref id (EP-0003, ep0003 and EP0003 are one epic)
  anyOf((f.epic ?? []).map((e) => ({ sql: 'd.epic = ?', params: [normId(e) ?? ''] })));
  // owner: the whole field, or one of its words (`owner:darren` finds "Darren Smith" and "@darren")
  anyOf(
    (f.owner ?? []).map((o) => {
      const value = o.toLowerCase().replace(/^@/, '');
      return {
        sql: "(' ' || replace(replace(lower(d.owner), '@', ''), ',', ' ') || ' ') LIKE ? ESCAPE '\\'",
        params: [`% ${likeEscape(value)} %`],
      };
    }),
  );
  return { where, params, key: JSON.stringify([v.project, v.type, v.status, f]) };
}
