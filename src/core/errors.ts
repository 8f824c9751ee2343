// Typed errors of the engine. Adapters map `code` to HTTP statuses, CLI exit messages or UI messages.

export type LensErrorCode =
  | 'NOT_FOUND'
  | 'PATH_NOT_FOUND'
  | 'CONFLICT'
  | 'SYNC_IN_PROGRESS'
  /** sdlc-studio's transition.py refused a status change; the message is its reason (writing.md §1). */
  | 'TRANSITION_BLOCKED'
  | 'VALIDATION_ERROR'
  | 'DATABASE_UNAVAILABLE'
  /** The data folder holds a database (or change-log record) written by a newer SDLC Lens: nothing is
   * opened for writing and every byte is left in place (store/database.ts). */
  | 'DATABASE_TOO_NEW'
  | 'INTERNAL';

export class LensError extends Error {
  constructor(
    readonly code: LensErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LensError';
  }
}

export const isLensError = (e: unknown): e is LensError => e instanceof LensError;

/** A short, user-facing message for any thrown value (never a stack trace). */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}
