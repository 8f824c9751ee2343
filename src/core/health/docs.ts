// Helper definitions of the health check (health-check.md §2) over HealthDoc rows.
import { extractRefId, idHead, normId } from '../parse';
import { RECORD_TYPES } from '../parse/doctypes';
import type { HealthDoc } from './types';

/**
 * Exactly the characters JavaScript's `String.prototype.trim` removes (WhiteSpace + LineTerminator).
 * Schema migration 4 lists the same code points for SQLite's `trim(X, Y)` in the generated column
 * `documents.body_len`, so both compute one `content_length` (a test holds them together).
 */
export const TRIM_CHARS =
  '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

/** Rule 18 threshold: a trimmed body shorter than this is empty. */
export const MIN_CONTENT_LENGTH = 50;

/** Rule 19: a row older than this is stale. */
export const STALE_AFTER_DAYS = 30;

/** §2 epic-in-body pattern; the first match only (as Python's re.search). */
const BODY_EPIC_RE = /\*\*Epic:?\*\*:?\s*([^\n]*)/;

/** Length in code points of the trimmed body (SQLite's length() and Python's len() count the same). */
export function bodyLength(content: string): number {
  let n = 0;
  for (const _ of content.trim()) n++;
  return n;
}

/** The id the body's first `**Epic:**` line names, or null (the rule uses only whether it exists). */
export function bodyEpic(content: string): string | null {
  const m = BODY_EPIC_RE.exec(content);
  return m ? extractRefId(m[1]) : null;
}

/** Quick test the engine uses to fetch a body only when it may hold an `**Epic` line. */
export const BODY_EPIC_MARKER = '**Epic';

/** A HealthDoc from a document's fields and its full content. */
export function healthDocFromContent(
  fields: Omit<HealthDoc, 'content_length' | 'body_epic'>,
  content: string,
): HealthDoc {
  return { ...fields, content_length: bodyLength(content), body_epic: bodyEpic(content) };
}

const blank = (v: string | null | undefined): boolean => v === null || v === undefined || v.trim() === '';

/** §2 key(d): `normId(idHead(doc_id))`, else `normId(doc_id)`, else `doc_id`. */
export function docKey(d: Pick<HealthDoc, 'doc_id'>): string {
  return normId(idHead(d.doc_id)) ?? normId(d.doc_id) ?? d.doc_id;
}

/** §2 refKey(v): null when empty; else `normId(extractRefId(v))`, else `normId(v)`. */
export function refKey(v: string | null | undefined): string | null {
  if (blank(v)) return null;
  return normId(extractRefId(v)) ?? normId(v);
}

export const isBlank = blank;
export const isArchive = (d: HealthDoc): boolean => d.doc_id.startsWith('_');
export const isReviewPath = (d: HealthDoc): boolean => d.file_path.startsWith('reviews/') || d.file_path.includes('/reviews/');
export const isRecord = (d: HealthDoc): boolean => RECORD_TYPES.has(d.doc_type);

const PROJECT_LEVEL_TYPES = new Set(['prd', 'trd', 'tsd', 'personas']);
const PROJECT_LEVEL_IDS = new Set(['brand-guide', 'personas']);
export const isProjectLevel = (d: HealthDoc): boolean => PROJECT_LEVEL_TYPES.has(d.doc_type) || PROJECT_LEVEL_IDS.has(d.doc_id);

/** Milliseconds of an ISO timestamp; a naive one (no zone) is read as UTC. NaN when unreadable. */
export function timestampMs(iso: string): number {
  let t = iso.trim().replace(' ', 'T');
  if (/T\d{2}:\d{2}/.test(t) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(t)) t += 'Z';
  return Date.parse(t);
}
