// Project names: defaults for a folder, de-duplication, validation (no `vscode` import).
import * as path from 'node:path';
import { slugify } from '../core/projects';
import type { Project } from '../core/types';
import { SDLC_DIR } from './detect';

/** Default project name of a folder: the parent's name for `…/<name>/sdlc-studio`, else its own name. */
export function defaultProjectName(folder: string): string {
  const base = path.basename(folder);
  if (base === SDLC_DIR) return path.basename(path.dirname(folder)) || base;
  return base;
}

/** `name`, or `name (2)`, `name (3)`… — the first whose name and slug are not taken. */
export function uniqueName(name: string, taken: Iterable<string>): string {
  const used = new Set<string>();
  for (const n of taken) used.add(n.toLowerCase()).add(slugify(n));
  const free = (n: string) => !used.has(n.toLowerCase()) && !used.has(slugify(n));
  if (free(name)) return name;
  for (let i = 2; ; i++) {
    const candidate = `${name} (${i})`;
    if (free(candidate)) return candidate;
  }
}

/** Returns an error text for an unusable name, or undefined when it is fine. */
export function validateProjectName(value: string, projects: readonly Project[], except?: string): string | undefined {
  const name = value.trim();
  if (!name) return 'Enter a name.';
  if (name.length > 200) return 'At most 200 characters.';
  const slug = slugify(name);
  if (!slug) return 'The name needs at least one letter or digit.';
  const clash = projects.find((p) => p.slug !== except && (p.slug === slug || p.name.toLowerCase() === name.toLowerCase()));
  if (clash) return `A project named "${clash.name}" already exists.`;
  return undefined;
}
