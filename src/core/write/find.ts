// An id as a person or an agent writes it (`US0001`, `us-0001`, `US-01KXCB7V`, the full doc_id stem
// `US0001-login`, a singleton `prd`) → the documents it names, in every project or one. For the CLI's
// `set-status` and the agent tools, which must say "found in several projects" rather than guess.
import * as path from 'node:path';
import type { SqlValue } from 'sql.js';
import { BY_REF_ACROSS_PROJECTS } from '../documents';
import { idHead, normId } from '../parse/ids';
import { resolveRefs } from '../references';
import type { Store } from '../store/database';

type Row = Record<string, SqlValue>;

export interface DocumentCandidate {
  slug: string;
  project_name: string;
  doc_id: string;
  type: string;
  title: string;
  status: string | null;
  /** Relative to the project's sdlc-studio folder, `/`-separated. */
  file_path: string;
  abs_path: string | null;
  /** How the id matched: its file path, the whole doc_id, the document's id, or one of its aliases (prior ids). */
  match: 'file_path' | 'doc_id' | 'ref_id' | 'alias';
}

const COLUMNS = `d.doc_id, d.doc_type, d.title, d.status, d.file_path, p.slug, p.name AS project_name, p.sdlc_path`;

function toCandidate(r: Row, match: DocumentCandidate['match']): DocumentCandidate {
  return {
    slug: String(r.slug),
    project_name: String(r.project_name),
    doc_id: String(r.doc_id),
    type: String(r.doc_type),
    title: String(r.title),
    status: r.status === null || r.status === undefined ? null : String(r.status),
    file_path: String(r.file_path),
    abs_path: r.sdlc_path ? path.join(String(r.sdlc_path), ...String(r.file_path).split('/')) : null,
    match,
  };
}

/**
 * The documents `id` names, sorted by project and path: a relative file path (`stories/US0001-x.md`)
 * names its file; else an exact (case-insensitive) doc_id match wins; else the document id (`normId(idHead(id))`, any written form); else an alias, as resolveRefs
 * reads them. `slug` limits the search to one project. Empty when nothing matches.
 */
export function findDocuments(store: Store, id: string, slug?: string | null): DocumentCandidate[] {
  if (typeof id !== 'string' || id.trim() === '' || id.length > 300) return [];
  const wanted = id.trim();
  const inProject = slug ? ' AND p.slug = ?' : '';
  const extra: SqlValue[] = slug ? [slug] : [];
  const order = ' ORDER BY p.slug, d.file_path';
  const from = 'FROM documents d JOIN projects p ON p.id = d.project_id';
  if (wanted.includes('/') || wanted.toLowerCase().endsWith('.md')) {
    // a file path relative to the sdlc-studio folder: the one way to name one of two files sharing a doc_id
    const rel = wanted.replace(/\\/g, '/').replace(/^\.\//, '');
    const withMd = rel.toLowerCase().endsWith('.md') ? rel : `${rel}.md`;
    const byPath = store.all(`SELECT ${COLUMNS} ${from} WHERE d.file_path = ?${inProject}${order}`, [withMd, ...extra]);
    if (byPath.length) return byPath.map((r) => toCandidate(r, 'file_path'));
  }
  const byDocId = store.all(`SELECT ${COLUMNS} ${from} WHERE lower(d.doc_id) = lower(?)${inProject}${order}`, [wanted, ...extra]);
  if (byDocId.length) return byDocId.map((r) => toCandidate(r, 'doc_id'));
  const ref = normId(idHead(wanted) ?? wanted);
  if (!ref) return [];
  const byRef = store.all(`SELECT ${COLUMNS} ${BY_REF_ACROSS_PROJECTS} WHERE d.ref_id = ?${inProject}${order}`, [ref, ...extra]);
  if (byRef.length) return byRef.map((r) => toCandidate(r, 'ref_id'));
  // Aliases (prior ids after a renumbering): the editor's resolver, per project so none is dropped as ambiguous.
  const slugs = slug ? [slug] : store.all('SELECT slug FROM projects ORDER BY slug').map((r) => String(r.slug));
  const out: DocumentCandidate[] = [];
  for (const s of slugs) {
    const hit = resolveRefs(store, [ref], s)[ref];
    if (!hit || hit.slug !== s) continue;
    const row = store.get(`SELECT ${COLUMNS} ${from} WHERE p.slug = ? AND d.file_path = ?`, [s, hit.file_path]);
    if (row) out.push(toCandidate(row, 'alias'));
  }
  return out;
}
