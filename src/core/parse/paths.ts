// What a sync walks and how a relative path becomes (type, doc_id): documents.md §1, §2, §5.4.

import { FOLDER_TYPES, RECORD_FOLDERS, SINGLETON_STEMS } from './doctypes';
import { idHead, typeOfIdHead } from './ids';

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

/** Whether some ancestor folder of the file (`parts` = the path split on `/`) is a §5.4 record folder. */
function inRecordFolder(parts: readonly string[]): boolean {
  for (let i = 0; i < parts.length - 1; i++) if (RECORD_FOLDERS.has(parts[i]!)) return true;
  return false;
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

  // Rule 2, except inside a record folder (for this project): there the folder's type wins (rule 4).
  const head = idHead(stem);
  if (head !== null && !inRecordFolder(parts)) {
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
