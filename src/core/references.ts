// Ids written in markdown, resolved to documents, and the documents that point at one (the editor's
// links, hover, definition and Find All References). documents.md §5 ids, §7 Resolve: ref_id or an
// alias; within the preferred project first, else a match that only one other project has.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SqlValue } from 'sql.js';
import { BY_REF_ACROSS_PROJECTS } from './documents';
import { LineIndex, scanIds, writtenForms } from './idScan';
import { idHead, normId } from './parse/ids';
import type { Store } from './store/database';

type Row = Record<string, SqlValue>;

/** A document an id resolves to (plus what a hover shows). */
export interface ResolvedRef {
  /** The normalised id that was asked for. */
  ref: string;
  slug: string;
  project_name: string;
  doc_id: string;
  type: string;
  title: string;
  status: string | null;
  owner: string | null;
  epic: string | null;
  story: string | null;
  /** Relative to the project's sdlc-studio folder, `/`-separated. */
  file_path: string;
  /** Absolute path of the file (null when the project has no folder). */
  abs_path: string | null;
  /**
   * Only with `{ candidates: true }`, for an id that several projects have while none of them is the
   * preferred one: every project's document (one per project, by slug), this entry being the first.
   */
  candidates?: ResolvedRef[];
}

export interface ResolveOptions {
  /** Also answer ids that several projects have (with their `candidates`) instead of leaving them out. */
  candidates?: boolean;
}

/** Zero-based position of one written id, `length` UTF-16 units long. */
export interface Mention {
  line: number;
  character: number;
  length: number;
}

/** A document that points at the target: through header fields, through mentions in its file, or both. */
export interface DocumentReference {
  slug: string;
  doc_id: string;
  type: string;
  title: string;
  file_path: string;
  abs_path: string | null;
  /** Header fields that hold the target's id. */
  fields: ('epic' | 'story' | 'depends_on')[];
  /** Every place the file (as on disk now) writes the target's id, header included. */
  mentions: Mention[];
}

/** Most ids one resolve call takes (a markdown file with more gets the first ones linked). */
export const MAX_REFS_PER_CALL = 2000;

const COLUMNS = `d.id, d.ref_id, d.aliases, d.doc_id, d.doc_type, d.title, d.status, d.owner, d.epic, d.story,
  d.depends_on, d.file_path, p.id AS project_id, p.slug, p.name AS project_name, p.sdlc_path`;

const str = (v: SqlValue | undefined): string | null => (v === null || v === undefined ? null : String(v));
const list = (v: SqlValue | undefined): string[] => {
  if (typeof v !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(v);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
};
const absOf = (r: Row): string | null => (r.sdlc_path ? path.join(String(r.sdlc_path), ...String(r.file_path).split('/')) : null);
const refOf = (r: Row): string | null => str(r.ref_id) ?? normId(idHead(String(r.doc_id)));

function toResolved(ref: string, r: Row): ResolvedRef {
  return {
    ref,
    slug: String(r.slug),
    project_name: String(r.project_name),
    doc_id: String(r.doc_id),
    type: String(r.doc_type),
    title: String(r.title),
    status: str(r.status),
    owner: str(r.owner),
    epic: str(r.epic),
    story: str(r.story),
    file_path: String(r.file_path),
    abs_path: absOf(r),
  };
}

/** The one row `ref` designates among `rows` (its candidates), or undefined (none, or ambiguous). */
function pick(rows: Row[], preferSlug: string | null): Row | undefined {
  if (rows.length === 0) return undefined;
  const byPath = (a: Row, b: Row) => (String(a.file_path) < String(b.file_path) ? -1 : String(a.file_path) > String(b.file_path) ? 1 : 0);
  const own = rows.filter((r) => r.slug === preferSlug);
  if (own.length) return own.sort(byPath)[0];
  const projects = new Set(rows.map((r) => String(r.slug)));
  return projects.size === 1 ? [...rows].sort(byPath)[0] : undefined;
}

/** An id several projects have: each project's document (its first by path), by project slug. */
function ambiguous(ref: string, rows: Row[]): ResolvedRef {
  const bySlug = new Map<string, Row>();
  for (const r of [...rows].sort((a, b) => (String(a.file_path) < String(b.file_path) ? -1 : 1))) if (!bySlug.has(String(r.slug))) bySlug.set(String(r.slug), r);
  const all = [...bySlug.keys()].sort().map((slug) => toResolved(ref, bySlug.get(slug)!));
  return { ...all[0]!, candidates: all };
}

/** Normalised, de-duplicated, capped. */
function cleanRefs(refs: readonly string[]): string[] {
  const out = new Set<string>();
  for (const r of Array.isArray(refs) ? refs : []) {
    const n = typeof r === 'string' ? normId(r) : null;
    if (n && n.length <= 64) out.add(n);
    if (out.size >= MAX_REFS_PER_CALL) break;
  }
  return [...out];
}

/**
 * Resolves ids (any written form) to documents: ref_id first (one indexed query), then aliases for
 * the ones left. Ids with no match, or matched in several other projects, are absent from the result.
 */
export function resolveRefs(store: Store, refs: readonly string[], preferSlug: string | null, options: ResolveOptions = {}): Record<string, ResolvedRef> {
  const wanted = cleanRefs(refs);
  const out: Record<string, ResolvedRef> = {};
  if (wanted.length === 0) return out;
  const candidates = new Map<string, Row[]>();
  const add = (ref: string, r: Row) => {
    const rows = candidates.get(ref) ?? [];
    rows.push(r);
    candidates.set(ref, rows);
  };
  for (let i = 0; i < wanted.length; i += 500) {
    const chunk = wanted.slice(i, i + 500);
    const rows = store.all(
      `SELECT ${COLUMNS} ${BY_REF_ACROSS_PROJECTS} WHERE d.ref_id IN (${chunk.map(() => '?').join(',')})`,
      chunk,
    );
    for (const r of rows) add(String(r.ref_id), r);
  }
  const missing = wanted.filter((ref) => !candidates.has(ref)).slice(0, 50);
  if (missing.length) {
    const rows = store.all(
      `SELECT ${COLUMNS} FROM documents d JOIN projects p ON p.id = d.project_id
       WHERE d.aliases IS NOT NULL AND (${missing.map(() => 'd.aliases LIKE ?').join(' OR ')})`,
      missing.map((ref) => `%"${ref}"%`),
    );
    for (const r of rows) for (const alias of list(r.aliases)) if (missing.includes(alias)) add(alias, r);
  }
  for (const [ref, rows] of candidates) {
    const r = pick(rows, preferSlug);
    if (r) out[ref] = toResolved(ref, r);
    else if (options.candidates === true && rows.length) out[ref] = ambiguous(ref, rows);
  }
  return out;
}

/**
 * The documents of the target's project that point at the document `ref` resolves to: its id (or
 * one of its aliases) in their `epic`, `story` or `depends_on` field, or written in their title or
 * text. One query finds the candidates; each candidate's file is then scanned for the exact
 * positions. The target itself is left out. Sorted by file path.
 */
export function referencesTo(store: Store, ref: string, preferSlug: string | null): DocumentReference[] {
  const wanted = cleanRefs([ref])[0];
  if (!wanted) return [];
  let target = pick(
    store.all(`SELECT ${COLUMNS} ${BY_REF_ACROSS_PROJECTS} WHERE d.ref_id = ?`, [wanted]),
    preferSlug,
  );
  if (!target) {
    const viaAlias = resolveRefs(store, [wanted], preferSlug)[wanted];
    if (!viaAlias) return [];
    target = store.get(`SELECT ${COLUMNS} FROM documents d JOIN projects p ON p.id = d.project_id WHERE p.slug = ? AND d.file_path = ?`, [
      viaAlias.slug,
      viaAlias.file_path,
    ]);
    if (!target) return [];
  }
  const targetRefs = [...new Set([refOf(target), ...list(target.aliases)].filter((x): x is string => !!x))];
  const conditions: string[] = [];
  const params: SqlValue[] = [Number(target.project_id), Number(target.id)];
  for (const r of targetRefs) {
    conditions.push('d.epic = ?', 'd.story = ?', 'd.depends_on LIKE ?');
    params.push(r, r, `%"${r}"%`);
    for (const form of writtenForms(r)) {
      conditions.push('d.content LIKE ?', 'd.title LIKE ?');
      params.push(`%${form}%`, `%${form}%`);
    }
  }
  const rows = store.all(
    `SELECT ${COLUMNS} FROM documents d JOIN projects p ON p.id = d.project_id
     WHERE d.project_id = ? AND d.id != ? AND (${conditions.join(' OR ')}) ORDER BY d.file_path`,
    params,
  );
  const refSet = new Set(targetRefs);
  const out: DocumentReference[] = [];
  for (const r of rows) {
    const fields: DocumentReference['fields'] = [];
    if (refSet.has(String(r.epic))) fields.push('epic');
    if (refSet.has(String(r.story))) fields.push('story');
    if (list(r.depends_on).some((d) => refSet.has(d))) fields.push('depends_on');
    const abs = absOf(r);
    const mentions = abs ? mentionsIn(abs, refSet) : [];
    if (fields.length === 0 && mentions.length === 0) continue; // a LIKE hit inside a longer id (US00012)
    out.push({
      slug: String(r.slug),
      doc_id: String(r.doc_id),
      type: String(r.doc_type),
      title: String(r.title),
      file_path: String(r.file_path),
      abs_path: abs,
      fields,
      mentions,
    });
  }
  return out;
}

/** Where the file writes one of `refs` now; none when it cannot be read (it may have changed since the sync). */
function mentionsIn(file: string, refs: ReadonlySet<string>): Mention[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const lines = new LineIndex(text);
  return scanIds(text)
    .filter((m) => refs.has(m.ref))
    .map((m) => ({ ...lines.position(m.start), length: m.end - m.start }));
}
