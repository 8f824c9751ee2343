// Project rules of api.md §4: slugs, path resolution, validation, the row ↔ resource mapping, and
// the projects table's queries (every read and write of a project row the engine makes).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Database as SqlDatabase, SqlValue } from 'sql.js';
import { LensError } from './errors';
import type { Store } from './store/database';
import type { Project, SyncStatus } from './types';
import { rewritesIndex } from './store/ftsIndex';
import { requeueIndex } from './store/schema';

/** api.md §4.1: NFKD → ASCII → lowercase → whitespace/underscore runs to '-' → [a-z0-9-] → collapse → trim. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[^\x00-\x7f]/g, '')
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function validateName(name: unknown): string {
  if (typeof name !== 'string') throw new LensError('VALIDATION_ERROR', 'name: must be a string');
  if (name.length < 1) throw new LensError('VALIDATION_ERROR', 'name: must not be empty');
  if (name.length > 200) throw new LensError('VALIDATION_ERROR', 'name: must be at most 200 characters');
  return name;
}

/**
 * Resolves an sdlc-studio folder: absolute, symlinks resolved, trailing slash irrelevant.
 * Throws PATH_NOT_FOUND for anything that is not an existing directory or lies outside `allowedBase`.
 */
export async function resolveSdlcPath(input: unknown, allowedBase: string | null): Promise<string> {
  if (typeof input !== 'string' || input.length === 0) {
    throw new LensError('VALIDATION_ERROR', 'sdlc_path: must be a non-empty string');
  }
  if (!path.isAbsolute(input)) {
    throw new LensError('VALIDATION_ERROR', 'sdlc_path: must be an absolute path');
  }
  let resolved: string;
  try {
    resolved = await fs.promises.realpath(input);
    if (!(await fs.promises.stat(resolved)).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new LensError('PATH_NOT_FOUND', 'Project sdlc-studio path does not exist on filesystem');
  }
  checkAllowedBase(resolved, allowedBase);
  return resolved;
}

/**
 * `abs` relative to the folder `base`, `/`-separated, when it lies strictly inside it; else null
 * (the folder itself, a sibling, a parent, another drive).
 */
export function pathInside(base: string, abs: string): string | null {
  const rel = path.relative(base, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : null;
}

export function checkAllowedBase(resolved: string, allowedBase: string | null): void {
  if (!allowedBase) return;
  const rel = path.relative(allowedBase, resolved);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new LensError('PATH_NOT_FOUND', 'sdlc_path must be within the allowed base');
  }
}

export const PROJECT_COLUMNS = `p.id, p.slug, p.name, p.sdlc_path, p.sync_status, p.sync_error, p.sync_owner,
  p.schema_version, p.profile, p.status_vocab, p.last_synced_at, p.created_at,
  (SELECT count(*) FROM documents d WHERE d.project_id = p.id) AS document_count`;

export const SYNC_STATUSES: readonly SyncStatus[] = ['never_synced', 'syncing', 'synced', 'error'];

/** The one wording of each sync status, for the status bar, the tree and every message. */
export const SYNC_STATUS_WORDS: Readonly<Record<SyncStatus, string>> = Object.freeze({
  never_synced: 'never synced',
  syncing: 'syncing',
  synced: 'synced',
  error: 'error',
});

/** A sync status as shown on its own: `syncing…` while it runs; `capital` starts it upper-case (`Never synced`). */
export function syncStatusText(status: SyncStatus, capital = false): string {
  const word = SYNC_STATUS_WORDS[status] + (status === 'syncing' ? '…' : '');
  return capital ? word[0]!.toUpperCase() + word.slice(1) : word;
}

export function toProject(row: Record<string, SqlValue>): Project {
  const status = SYNC_STATUSES.find((s) => s === row.sync_status);
  return {
    slug: String(row.slug),
    name: String(row.name),
    sdlc_path: (row.sdlc_path as string | null) ?? null,
    source_type: 'local',
    // a malformed stored status degrades this project only: shown as an error that says why
    sync_status: status ?? 'error',
    sync_error: status ? ((row.sync_error as string | null) ?? null) : `Unrecognised stored sync status: ${String(row.sync_status)}`,
    schema_version: (row.schema_version as string | null) ?? null,
    profile: (row.profile as string | null) ?? null,
    last_synced_at: (row.last_synced_at as string | null) ?? null,
    document_count: Number(row.document_count ?? 0),
    created_at: String(row.created_at),
  };
}

// ── the projects table ──────────────────────────────────────────────────────

type Row = Record<string, SqlValue>;
type Reader = Pick<Store, 'all' | 'get'>;

/** Every project row (PROJECT_COLUMNS), in the order they were registered. */
export function projectRows(store: Reader): Row[] {
  return store.all(`SELECT ${PROJECT_COLUMNS} FROM projects p ORDER BY p.created_at, p.id`);
}

/** The row (PROJECT_COLUMNS) of the project `slug`; undefined when there is none. */
export function projectRowOf(store: Reader, slug: string): Row | undefined {
  return store.get(`SELECT ${PROJECT_COLUMNS} FROM projects p WHERE p.slug = ?`, [slug]);
}

/** One project's row (PROJECT_COLUMNS) by its id, or undefined. */
export function projectRowById(store: Reader, id: number): Row | undefined {
  return store.get(`SELECT ${PROJECT_COLUMNS} FROM projects p WHERE p.id = ?`, [id]);
}

/** The projects that have a folder: their id, slug and sdlc-studio path. */
export function projectFolders(store: Reader): { id: number; slug: string; sdlc_path: string }[] {
  return store
    .all('SELECT id, slug, sdlc_path FROM projects WHERE sdlc_path IS NOT NULL')
    .map((row) => ({ id: Number(row.id), slug: String(row.slug), sdlc_path: String(row.sdlc_path) }));
}

/** Registers a project (inside a write); CONFLICT when its slug is taken. */
export function insertProject(db: SqlDatabase, slug: string, name: string, sdlcPath: string): void {
  if (db.exec('SELECT 1 FROM projects WHERE slug = ?', [slug]).length) {
    throw new LensError('CONFLICT', 'Project slug already exists');
  }
  db.run('INSERT INTO projects (slug, name, sdlc_path, created_at) VALUES (?, ?, ?, ?)', [slug, name, sdlcPath, new Date().toISOString()]);
}

/** Sets a project's name and folder (inside a write); NOT_FOUND when there is no such project. */
export function updateProjectRow(db: SqlDatabase, slug: string, name: string, sdlcPath: string | null): void {
  db.run('UPDATE projects SET name = ?, sdlc_path = ? WHERE slug = ?', [name, sdlcPath, slug]);
  if (db.getRowsModified() === 0) throw new LensError('NOT_FOUND', 'Project not found');
}

/** Removes a project and (by cascade) its documents (inside a write); NOT_FOUND when there is none. */
export function deleteProjectRow(db: SqlDatabase, slug: string): void {
  const id = db.exec('SELECT id FROM projects WHERE slug = ?', [slug])[0]?.values[0]?.[0];
  if (id !== undefined) requeueForRemoval(db, Number(id));
  db.run('DELETE FROM projects WHERE slug = ?', [slug]);
  if (db.getRowsModified() === 0) throw new LensError('NOT_FOUND', 'Project not found');
}

/** Deletes a project's stored documents (inside a write); refused while its row says it is syncing. */
export function clearProjectDocuments(db: SqlDatabase, slug: string): void {
  const id = db.exec('SELECT id, sync_status FROM projects WHERE slug = ?', [slug])[0]?.values[0];
  if (!id) throw new LensError('NOT_FOUND', 'Project not found');
  if (id[1] === 'syncing') throw new LensError('SYNC_IN_PROGRESS', 'Sync already running for this project');
  requeueForRemoval(db, Number(id[0]));
  db.run('DELETE FROM documents WHERE project_id = ?', [id[0]]);
}

/**
 * Before a project's documents are deleted: when they are a large share of all documents
 * (rewritesIndex: at least half, and LARGE_RUN_DOCUMENTS), the search index is emptied and the rest
 * queued (requeueIndex) instead of each deleted document's words being taken out one by one. That
 * read and tokenised all their text (11.7k documents: ~2.5 s on the engine's thread) and left the
 * index full of deletion markers until merges dropped them; the indexer then indexes the rest.
 */
function requeueForRemoval(db: SqlDatabase, projectId: number): void {
  const [removed, all] = db
    .exec('SELECT (SELECT count(*) FROM documents WHERE project_id = ?), (SELECT count(*) FROM documents)', [projectId])[0]
    .values[0].map(Number);
  if (rewritesIndex(removed, all)) requeueIndex(db);
}
