// The texts a run leaves in `sync_error` (sync.md §1, §4 step 9, §5).
import type { SyncCounts } from '../types';

export const INTERRUPTED_MESSAGE =
  'The previous sync was interrupted before it finished; no documents were lost. Sync again.';

export const CANCELLED_MESSAGE = 'Sync was cancelled before it finished; no documents were changed. Sync again.';

export const NO_PATH_MESSAGE = 'No sdlc-studio path configured for this project';

const PATH_NOT_FOUND = 'sdlc-studio path not found: ';

/** The project's folder is gone (or not a folder) when a run starts. */
export const pathNotFoundMessage = (sdlcPath: string): string => `${PATH_NOT_FOUND}${sdlcPath}`;

/**
 * Why a run failed, as a code for adapters that act on it (the editor offers "Change Folder…" for a
 * missing folder): read back from the `sync_error` text this module wrote, never matched elsewhere.
 */
export type SyncErrorCode = 'PATH_NOT_FOUND' | 'CANCELLED' | 'INTERRUPTED' | 'OTHER';

export function syncErrorCode(syncError: string | null | undefined): SyncErrorCode | null {
  if (!syncError) return null;
  if (syncError.startsWith(PATH_NOT_FOUND) || syncError === NO_PATH_MESSAGE) return 'PATH_NOT_FOUND';
  if (syncError === CANCELLED_MESSAGE) return 'CANCELLED';
  if (syncError === INTERRUPTED_MESSAGE) return 'INTERRUPTED';
  return 'OTHER';
}

/** A file error's reason: the file could not be read (`why`: an errno code or tooLargeReason). */
export const unreadableReason = (why: string): string => `could not be read (${why})`;

/** A file error's reason: the file stat'd by the walk was replaced before its batch read it. */
export const REPLACED_REASON = 'was replaced while the sync ran (the next sync reads it)';

/** A file error's reason: its bytes are not UTF-8 text. */
export const NOT_UTF8_REASON = 'is not valid UTF-8';

export function guardMessage(stored: number): string {
  return `The sdlc-studio folder returned no documents; refusing to delete the ${stored} stored document${
    stored === 1 ? '' : 's'
  }. If the documents were removed on purpose, clear the project's documents.`;
}

export function errorMessage(counts: SyncCounts, fileErrors: { path: string; reason: string }[]): string {
  const n = counts.errors;
  const first = fileErrors
    .slice(0, 3)
    .map((f) => `${f.path} ${f.reason}`)
    .join('; ');
  return (
    `${n} file${n === 1 ? '' : 's'} could not be synced and ${n === 1 ? 'was' : 'were'} left unchanged ` +
    `(added ${counts.added}, updated ${counts.updated}, deleted ${counts.deleted}); stored documents were preserved. ` +
    `${first}${fileErrors.length > 3 ? `; and ${fileErrors.length - 3} more` : ''}`
  );
}
