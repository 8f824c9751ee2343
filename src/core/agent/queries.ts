// The few reads the agent tools need that the engine's API-shaped queries do not give: document rows
// with their file paths, filtered by epic and owner and paged in SQL, and file paths by document.
import type { SqlValue } from 'sql.js';
import { normId } from '../parse/ids';
import { BY_TYPE_AND_ID, statusFilter } from '../documents';
import type { Store } from '../store/database';

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

/** The file path of each (type, doc_id) of a project (the first by path when several share one). */
export function filePathsOf(store: Store, slug: string, docs: readonly { type: string; doc_id: string }[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < docs.length; i += 400) {
    const chunk = docs.slice(i, i + 400);
    const rows = store.all(
      `SELECT d.doc_type, d.doc_id, d.file_path FROM documents d ${BY_TYPE_AND_ID}
       WHERE d.project_id = (SELECT id FROM projects WHERE slug = ?)
         AND (d.doc_type, d.doc_id) IN (VALUES ${chunk.map(() => '(?, ?)').join(', ')}) ORDER BY d.file_path DESC`,
      [slug, ...chunk.flatMap((d) => [d.type, d.doc_id])],
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
