// The search request's rules (api.md §6), shared by the engine, the API's zod schema and the CLI.
import type { SearchQuery } from '../engine-api';
import { LensError } from '../errors';

export const MAX_QUERY_LENGTH = 500;
export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 50;

/** Length in Unicode code points, as the original (Python) counted it. */
export const codePointLength = (s: string): number => [...s].length;

export interface ValidSearchQuery {
  q: string;
  project: string | undefined;
  type: string | undefined;
  status: string | undefined;
  page: number;
  per_page: number;
}

function positiveInt(value: number | undefined, name: string, fallback: number, max = Infinity): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value)) throw new LensError('VALIDATION_ERROR', `${name}: must be an integer`);
  if (value < 1) throw new LensError('VALIDATION_ERROR', `${name}: must be greater than or equal to 1`);
  if (value > max) throw new LensError('VALIDATION_ERROR', `${name}: must be less than or equal to ${max}`);
  return value;
}

/**
 * Checks a query for direct engine callers (the CLI, the worker): `q` 1–500 characters (a blank or
 * punctuation-only q is valid and finds nothing), page ≥ 1, per_page 1–50 (not capped).
 */
export function validateSearchQuery(query: SearchQuery): ValidSearchQuery {
  const q = query?.q;
  if (typeof q !== 'string') throw new LensError('VALIDATION_ERROR', 'q: field required');
  const length = codePointLength(q);
  if (length < 1) throw new LensError('VALIDATION_ERROR', 'q: must not be empty');
  if (length > MAX_QUERY_LENGTH) throw new LensError('VALIDATION_ERROR', `q: must be at most ${MAX_QUERY_LENGTH} characters`);
  const text = (v: unknown, name: string): string | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new LensError('VALIDATION_ERROR', `${name}: must be a string`);
    return v;
  };
  return {
    q,
    project: text(query.project, 'project'),
    type: text(query.type, 'type'),
    status: text(query.status, 'status'),
    page: positiveInt(query.page, 'page', 1),
    per_page: positiveInt(query.per_page, 'per_page', DEFAULT_PER_PAGE, MAX_PER_PAGE),
  };
}
