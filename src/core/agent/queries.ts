// The few reads the agent tools need that the engine's API-shaped queries do not give: an id in any
// written form → every document it names (across projects, so an ambiguity can be reported), and
// document rows with their file paths filtered by epic and owner, paged in SQL.
import type { SqlValue } from 'sql.js';
import { normId } from '../parse/ids';
import { statusFilter } from '../documents';
import type { Store } from '../store/database';

export interface DocumentMatch {
  slug: string;
  doc_id: string;
  type: string;
  file_path: string;
}

export interface DocumentRow {
  project: string;
  doc_id: string;
  type: string;
  title: string;
  status: string | null;
  epic: string | null;
  owner: string | null;
  priority: string | null;
  story_points: number | null;
  file_path: string;
}

export interface RowFilter {
  type?: string;
  status?: string;
  epic?: string;
  owner?: string;
}

const str = (v: SqlValue | undefined): string | null => (v === null || v === undefined ? null : String(v));

/**
 * The documents `id` names in these projects: by normalised ref id, by alias, or by the exact doc_id
 * (any case: `prd`, `0001-store-bookings-in-utc`). In project creation order, then by file path.
 */
export function findById(store: Store, id: string, slugs: readonly string[]): DocumentMatch[] {
  if (slugs.length === 0) return [];
  const ref = normId(id);
  const inSlugs = `p.slug IN (${slugs.map(() => '?').join(',')})`;
  const params: SqlValue[] = [ref ?? '', id.trim(), ...slugs];
  let rows = store.all(
    `SELECT p.slug, d.doc_id, d.doc_type, d.file_path FROM documents d JOIN projects p ON p.id = d.project_id
     WHERE (d.ref_id = ? OR d.doc_id = ? COLLATE NOCASE) AND ${inSlugs} ORDER BY p.created_at, p.id, d.file_path`,
    params,
  );
  if (rows.length === 0 && ref) {
    rows = store.all(
      `SELECT p.slug, d.doc_id, d.doc_type, d.file_path FROM documents d JOIN projects p ON p.id = d.project_id
       WHERE d.aliases LIKE ? AND ${inSlugs} ORDER BY p.created_at, p.id, d.file_path`,
      [`%"${ref}"%`, ...slugs],
    );
  }
  return rows.map((r) => ({ slug: String(r.slug), doc_id: String(r.doc_id), type: String(r.doc_type), file_path: String(r.file_path) }));
}

/** The file path of each (type, doc_id) of a project (the first by path when several share one). */
export function filePathsOf(store: Store, slug: string, docs: readonly { type: string; doc_id: string }[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < docs.length; i += 400) {
    const chunk = docs.slice(i, i + 400);
    const rows = store.all(
      `SELECT d.doc_type, d.doc_id, d.file_path FROM documents d JOIN projects p ON p.id = d.project_id
       WHERE p.slug = ? AND d.doc_id IN (${chunk.map(() => '?').join(',')}) ORDER BY d.file_path DESC`,
      [slug, ...chunk.map((d) => d.doc_id)],
    );
    for (const r of rows) out.set(`${r.doc_type}\0${r.doc_id}`, String(r.file_path));
  }
  return out;
}

/** Rows of these projects matching the filter, by project (creation order), type, then file path. */
export function documentRows(store: Store, slugs: readonly string[], filter: RowFilter, limit: number, offset: number): { rows: DocumentRow[]; total: number } {
  if (slugs.length === 0) return { rows: [], total: 0 };
  const where = [`p.slug IN (${slugs.map(() => '?').join(',')})`];
  const params: SqlValue[] = [...slugs];
  if (filter.type !== undefined) {
    where.push('d.doc_type = ? COLLATE NOCASE');
    params.push(filter.type);
  }
  if (filter.status !== undefined) {
    const f = statusFilter(filter.status, 'd.status');
    where.push(`${f.sql}${filter.status === 'none' ? '' : ' COLLATE NOCASE'}`);
    params.push(...f.params);
  }
  if (filter.epic !== undefined) {
    where.push('d.epic = ?');
    params.push(normId(filter.epic) ?? filter.epic);
  }
  if (filter.owner !== undefined) {
    where.push('d.owner = ? COLLATE NOCASE');
    params.push(filter.owner.trim());
  }
  const from = `FROM documents d JOIN projects p ON p.id = d.project_id WHERE ${where.join(' AND ')}`;
  const total = Number(store.get(`SELECT count(*) AS n ${from}`, params)?.n ?? 0);
  const rows = store
    .all(
      `SELECT p.slug, d.doc_id, d.doc_type, d.title, d.status, d.epic, d.owner, d.priority, d.story_points, d.file_path ${from}
       ORDER BY p.created_at, p.id, d.doc_type, d.file_path LIMIT ? OFFSET ?`,
      [...params, limit, offset],
    )
    .map((r) => ({
      project: String(r.slug),
      doc_id: String(r.doc_id),
      type: String(r.doc_type),
      title: String(r.title),
      status: str(r.status),
      epic: str(r.epic),
      owner: str(r.owner),
      priority: str(r.priority),
      story_points: r.story_points === null || r.story_points === undefined ? null : Number(r.story_points),
      file_path: String(r.file_path),
    }));
  return { rows, total };
}
