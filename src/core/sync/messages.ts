// The texts a run leaves in `sync_error` (sync.md §1, §4 step 9, §5).
import type { SyncCounts } from '../types';

export const INTERRUPTED_MESSAGE =
  'The previous sync was interrupted before it finished; no documents were lost. Sync again.';

export const CANCELLED_MESSAGE = 'Sync was cancelled before it finished; no documents were changed. Sync again.';

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
