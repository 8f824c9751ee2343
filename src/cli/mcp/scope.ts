// Which projects an MCP session sees (agents.md §2): the one --project names; else the projects in
// the client's roots (a registered project whose folder lies inside a root, and an unregistered
// sdlc-studio/ folder found in a root, which is registered and synced); else every project.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LensEngine } from '../../core/engine-api';
import { LensError, messageOf } from '../../core/errors';
import type { Project } from '../../core/types';

const SDLC_FOLDER = 'sdlc-studio';

const realDir = (p: string): string | null => {
  try {
    const real = fs.realpathSync(p);
    return fs.statSync(real).isDirectory() ? real : null;
  } catch {
    return null;
  }
};

const inside = (child: string, parent: string): boolean => {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** sdlc-studio folders at a root: the root itself, <root>/sdlc-studio, <root>/<child>/sdlc-studio. */
function sdlcFoldersAt(root: string): string[] {
  const out: string[] = [];
  if (path.basename(root) === SDLC_FOLDER) out.push(root);
  const direct = realDir(path.join(root, SDLC_FOLDER));
  if (direct) out.push(direct);
  let entries: fs.Dirent[] = [];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch {
    // an unreadable root: nothing found in it
  }
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.') || e.name === 'node_modules' || e.name === SDLC_FOLDER) continue;
    const nested = realDir(path.join(root, e.name, SDLC_FOLDER));
    if (nested) out.push(nested);
  }
  return [...new Set(out)];
}

/** Registers an sdlc-studio folder under the name of the folder holding it (a free slug), then syncs it. */
async function registerFolder(engine: LensEngine, sdlcPath: string, log: (m: string) => void): Promise<Project> {
  const base = path.basename(path.dirname(sdlcPath)) || 'project';
  for (let n = 1; ; n++) {
    try {
      const p = await engine.registerProject({ name: n === 1 ? base : `${base} ${n}`, sdlc_path: sdlcPath });
      log(`registered ${sdlcPath} as ${p.slug}`);
      const run = await engine.startSync(p.slug);
      const o = await run.done;
      log(`${p.slug}: synced ${o.document_count} documents (${o.sync_status})`);
      return engine.getProject(p.slug);
    } catch (e) {
      if (e instanceof LensError && e.code === 'CONFLICT' && n < 20) continue;
      throw e;
    }
  }
}

/** The slugs of the projects in these roots (file:// URIs), registering what is found unregistered. */
export async function projectsInRoots(engine: LensEngine, uris: readonly string[], log: (m: string) => void): Promise<string[]> {
  const roots = uris
    .map((u) => {
      try {
        return u.startsWith('file:') ? realDir(fileURLToPath(u)) : null;
      } catch {
        return null;
      }
    })
    .filter((r): r is string => r !== null);
  const projects = engine.listProjects();
  const slugs = new Set<string>();
  for (const root of roots) {
    for (const p of projects) if (p.sdlc_path && inside(p.sdlc_path, root)) slugs.add(p.slug);
    for (const folder of sdlcFoldersAt(root)) {
      if (engine.listProjects().some((p) => p.sdlc_path === folder)) continue;
      try {
        slugs.add((await registerFolder(engine, folder, log)).slug);
      } catch (e) {
        log(`could not register ${folder}: ${messageOf(e)}`);
      }
    }
  }
  return [...slugs];
}

/** The project --project names: a slug, or a path (the sdlc-studio folder or the folder holding it). */
export async function projectOfFlag(engine: LensEngine, value: string, log: (m: string) => void): Promise<string> {
  const projects = engine.listProjects();
  const bySlug = projects.find((p) => p.slug === value.trim().toLowerCase());
  if (bySlug) return bySlug.slug;
  const dir = realDir(path.resolve(value));
  if (!dir) throw new LensError('VALIDATION_ERROR', `--project: "${value}" is neither a project slug nor a folder (projects: ${projects.map((p) => p.slug).join(', ') || 'none'})`);
  const folder = path.basename(dir) === SDLC_FOLDER ? dir : realDir(path.join(dir, SDLC_FOLDER));
  const registered = projects.find((p) => p.sdlc_path === (folder ?? dir));
  if (registered) return registered.slug;
  if (!folder) throw new LensError('VALIDATION_ERROR', `--project: ${dir} has no sdlc-studio/ folder`);
  return (await registerFolder(engine, folder, log)).slug;
}
