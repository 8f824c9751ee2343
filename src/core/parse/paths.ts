// What a sync walks and how a relative path becomes (type, doc_id): documents.md §1, §2, §5.4.

import { idHead, typeOfIdHead } from './ids';

/** §1 type folders (exact, case-sensitive names). */
export const FOLDER_TYPES: ReadonlyMap<string, string> = new Map([
  ['epics', 'epic'],
  ['stories', 'story'],
  ['plans', 'plan'],
  ['test-specs', 'test-spec'],
  ['bugs', 'bug'],
  ['change-requests', 'cr'],
  ['rfcs', 'rfc'],
  ['workflows', 'workflow'],
  ['retros', 'retro'],
  ['reviews', 'review'],
  ['decisions', 'decision'],
  ['personas', 'persona'],
  ['product', 'pvd'],
]);

/** §1 root singletons, matched on the lowercased stem at any depth; type = doc_id = stem. */
export const SINGLETON_STEMS: ReadonlySet<string> = new Set([
  'prd',
  'trd',
  'tsd',
  'pvd',
  'personas',
  'decisions',
  'constitution',
  'brand-guide',
]);

const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  '.venv', '.git', '.hg', '.svn', '__pycache__', 'node_modules', '.tox', '.mypy_cache',
  '.pytest_cache', '.ruff_cache', 'dist', 'build', '.eggs',
]);

export const INDEX_FILE_NAME = '_index.md';

/** §2: directories never walked — every name starting with `.`, plus the fixed list. */
export function isSkippedDirName(name: string): boolean {
  return typeof name === 'string' && (name.startsWith('.') || SKIPPED_DIRS.has(name));
}

/**
 * §2: files that are documents. (for this project) the `.md` suffix is matched
 * case-insensitively (`README.MD` counts, as US0011 asked); `_index.md` (exact) never does.
 * Hidden files are not excluded.
 */
export function isCandidateFileName(name: string): boolean {
  return typeof name === 'string' && name.length >= 3 && name.slice(-3).toLowerCase() === '.md' && name !== INDEX_FILE_NAME;
}

/** Filename without its last extension, with Python `PurePath.stem` semantics (`.md` → `.md`). */
export function fileStem(name: string): string {
  const i = name.lastIndexOf('.');
  return i > 0 && i < name.length - 1 ? name.slice(0, i) : name;
}

/**
 * §5.4 type and doc_id inference. `relPath` is `/`-separated, relative to the sdlc-studio root.
 * Returns null for `_index.md` (not a document) and for a path with no file name.
 */
export function classifyPath(relPath: string): { docType: string; docId: string } | null {
  if (typeof relPath !== 'string') return null;
  const parts = relPath.split('/');
  const name = parts[parts.length - 1]!;
  if (name === '' || name === INDEX_FILE_NAME) return null;
  const stem = fileStem(name);

  const head = idHead(stem);
  if (head !== null) {
    const t = typeOfIdHead(head);
    if (t !== null) return { docType: t, docId: stem };
  }

  const lower = stem.toLowerCase();
  if (SINGLETON_STEMS.has(lower)) return { docType: lower, docId: lower };

  // Outermost matching ancestor wins (the original iterates from the root).
  for (let i = 0; i < parts.length - 1; i++) {
    const t = FOLDER_TYPES.get(parts[i]!);
    if (t !== undefined) return { docType: t, docId: stem };
  }
  return { docType: 'other', docId: stem };
}
