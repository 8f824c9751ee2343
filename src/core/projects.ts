// Project rules of api.md §4: slugs, path resolution, validation, and the row ↔ resource mapping.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SqlValue } from 'sql.js';
import { LensError } from './errors';
import type { Project, SyncStatus } from './types';

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
