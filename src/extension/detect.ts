// Finds `sdlc-studio/` folders under workspace folders with a shallow, bounded walk (no `vscode`).
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export const SDLC_DIR = 'sdlc-studio';
const SKIP = new Set(['node_modules', '.git', 'dist', 'out', 'build', 'target', '.venv', 'venv', '__pycache__']);

/** Every `sdlc-studio` directory at most `maxDepth` levels below each root (the roots themselves included). */
export async function findSdlcFolders(roots: readonly string[], maxDepth = 4, limit = 200): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (found.length >= limit) return;
    if (path.basename(dir) === SDLC_DIR) {
      found.push(dir);
      return; // a nested sdlc-studio inside one is part of it
    }
    if (depth >= maxDepth) return;
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const subdirs = entries.filter((e) => e.isDirectory() && !SKIP.has(e.name) && (e.name === SDLC_DIR || !e.name.startsWith('.')));
    await Promise.all(subdirs.map((e) => walk(path.join(dir, e.name), depth + 1)));
  };
  for (const root of roots) await walk(root, 0);
  return [...new Set(found)].sort();
}

/** Normalised form for comparing folder paths. */
export function samePath(a: string, b: string): boolean {
  const norm = (p: string) => {
    const r = path.resolve(p);
    return process.platform === 'win32' || process.platform === 'darwin' ? r.toLowerCase() : r;
  };
  return norm(a) === norm(b);
}
