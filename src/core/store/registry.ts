// The project registrations, kept a second time in a small file beside the database
// (`sdlc-lens.projects.json`), written atomically whenever they change. A database image that is
// genuinely damaged is set aside and rebuilt from this file, so a reset never loses the projects:
// their documents come back with the next sync, the registrations cannot (they exist nowhere else).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Database as SqlDatabase } from 'sql.js';
import { writeAtomic } from './changeLog';
import type { Logger } from '../types';

export const REGISTRY_FILE = 'sdlc-lens.projects.json';
const FORMAT = 1;

/** What registering a project wrote: everything else of a project row is derived by syncing. */
export interface Registration {
  slug: string;
  name: string;
  sdlc_path: string | null;
  created_at: string;
}

export const registryFileOf = (dbFile: string): string => path.join(path.dirname(dbFile), REGISTRY_FILE);

/** The registrations in `db` (an intact database, or a damaged one as far as it still reads). */
export function registrationsOf(db: SqlDatabase): Registration[] {
  const r = db.exec('SELECT slug, name, sdlc_path, created_at FROM projects ORDER BY id');
  return (r[0]?.values ?? []).map(([slug, name, sdlc_path, created_at]) => ({
    slug: String(slug),
    name: String(name),
    sdlc_path: sdlc_path === null ? null : String(sdlc_path),
    created_at: String(created_at),
  }));
}

const serialise = (projects: Registration[]): string => `${JSON.stringify({ format: FORMAT, projects }, null, 1)}\n`;

/** The registrations in the file; null when it is missing or unreadable (then it cannot help). */
export function readRegistry(file: string): Registration[] | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { format?: unknown; projects?: unknown };
    if (parsed.format !== FORMAT || !Array.isArray(parsed.projects)) return null;
    return parsed.projects.filter(
      (p): p is Registration =>
        !!p && typeof p.slug === 'string' && typeof p.name === 'string' && typeof p.created_at === 'string' &&
        (p.sdlc_path === null || typeof p.sdlc_path === 'string'),
    );
  } catch {
    return null;
  }
}

/**
 * Brings the file in step with `db` (under the write lock, after a commit). Reads the file first,
 * so an unchanged set costs one small read and no write. Returns false when it could not be written
 * (the database still holds the change; the next write tries again).
 */
export function saveRegistry(file: string, db: SqlDatabase): boolean {
  const text = serialise(registrationsOf(db));
  try {
    if (fs.readFileSync(file, 'utf8') === text) return true;
  } catch {
    // missing or unreadable: write it
  }
  try {
    writeAtomic(file, Buffer.from(text, 'utf8'));
    return true;
  } catch {
    return false;
  }
}

/** The registrations file of one database, kept in step after each commit; a failed write warns once until one succeeds. */
export class RegistryFile {
  private warned = false;

  constructor(
    readonly file: string,
    private readonly logger: Logger,
  ) {}

  /** Brings the file in step with `db` (under the lock, after a commit). Never fails a write. */
  save(db: SqlDatabase): void {
    if (saveRegistry(this.file, db)) {
      this.warned = false;
      return;
    }
    if (this.warned) return;
    this.warned = true;
    this.logger.warn(`could not write ${this.file} (retried with the next change)`);
  }
}

/** Registers `projects` again in a fresh database (same slugs, names, paths and dates). */
export function restoreRegistrations(db: SqlDatabase, projects: Registration[]): void {
  for (const p of projects) {
    db.run('INSERT OR IGNORE INTO projects (slug, name, sdlc_path, created_at) VALUES (?, ?, ?, ?)', [
      p.slug,
      p.name,
      p.sdlc_path,
      p.created_at,
    ]);
  }
}
