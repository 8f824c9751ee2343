// Id completion for the editor (typing `US00`, `EP-01K`, `BG` in markdown): the stored documents whose
// normalised id starts with what was typed, the file's own project first. One indexed range query per
// project (documents_by_ref is (project_id, ref_id)), capped.
import * as path from 'node:path';
import { normId } from './parse/ids';
import type { Store } from './store/database';

export interface IdCompletion {
  slug: string;
  doc_id: string;
  /** The normalised id (`EP01KXCCA4`). */
  ref: string;
  type: string;
  title: string;
  status: string | null;
  /** Relative to the project's folder, `/`-separated. */
  file_path: string;
  abs_path: string | null;
}

/** Most completions one call returns. */
export const COMPLETION_MAX = 50;

/**
 * Documents whose id starts with `prefix` (any written form: `EP-01K` = `EP01K`), the project
 * `preferSlug` first, then the others; within a project in id order. At most `limit` (≤ 50).
 */
export function completeIds(store: Store, prefix: string, preferSlug: string | null, limit = COMPLETION_MAX): IdCompletion[] {
  const want = typeof prefix === 'string' ? normId(prefix) : null;
  const cap = Math.max(1, Math.min(COMPLETION_MAX, Number.isFinite(limit) ? Math.floor(limit) : COMPLETION_MAX));
  if (!want || want.length > 64) return [];
  const projects = store
    .all('SELECT id, slug, sdlc_path FROM projects ORDER BY created_at')
    .sort((a, b) => Number(b.slug === preferSlug) - Number(a.slug === preferSlug));
  const out: IdCompletion[] = [];
  for (const p of projects) {
    if (out.length >= cap) break;
    // ids are ASCII letters and digits: every id starting with `want` sorts in [want, want + '~')
    const rows = store.all(
      `SELECT doc_id, ref_id, doc_type, title, status, file_path FROM documents
       WHERE project_id = ? AND ref_id >= ? AND ref_id < ? ORDER BY ref_id, file_path LIMIT ?`,
      [Number(p.id), want, `${want}~`, cap - out.length],
    );
    for (const r of rows) {
      out.push({
        slug: String(p.slug),
        doc_id: String(r.doc_id),
        ref: String(r.ref_id),
        type: String(r.doc_type),
        title: String(r.title),
        status: r.status === null ? null : String(r.status),
        file_path: String(r.file_path),
        abs_path: p.sdlc_path ? path.join(String(p.sdlc_path), ...String(r.file_path).split('/')) : null,
      });
    }
  }
  return out;
}
