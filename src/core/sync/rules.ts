// Which paths a sync looks at (documents.md §2), in one place: the walk uses these, and so does
// anything that must decide whether a changed path can change a sync's result (the file watcher).
import { isCandidateFileName, isSkippedDirName } from '../parse';

/** A folder the walk enters (hidden folders and the skipped ones are not). */
export const isSyncRelevantDirName = (name: string): boolean => !isSkippedDirName(name);

/** A file the walk reads as a document: `.md` in any case, hidden files included, never `_index.md`. */
export const isSyncRelevantFileName = (name: string): boolean => isCandidateFileName(name);

/**
 * The largest file a sync reads (documents and config files alike). A document over it is an error
 * for that file only: its stored row is kept, like an unreadable file (sync.md §7).
 */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** The per-file error reason of a file over MAX_FILE_BYTES. */
export const tooLargeReason = (size: number): string =>
  `too large: ${size} bytes, the limit is ${MAX_FILE_BYTES / 1024 / 1024} MB`;

/** The files besides documents whose content a sync reads (sync.md §4 step 3). */
export const SOURCE_CONFIG_FILES: readonly string[] = ['.config.yaml', '.version'];

/**
 * Whether a change to `relPath` (relative to the project's sdlc-studio folder, `/` or `\`
 * separated) can change what a sync finds: a document file under walked folders, or a root config
 * file. `_index.md`, other extensions and anything under a skipped or hidden folder do not.
 */
export function isSyncRelevantPath(relPath: string): boolean {
  const parts = relPath.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..')) return false;
  const name = parts[parts.length - 1];
  if (parts.length === 1 && SOURCE_CONFIG_FILES.includes(name)) return true;
  return parts.slice(0, -1).every(isSyncRelevantDirName) && isSyncRelevantFileName(name);
}
