// Identifier helpers (documents.md §5). Pure functions, regexes compiled once.

import { PREFIX_TYPES } from './doctypes';

/** Short-ULID tail: 8+ Crockford base32 chars (either case, no I/L/O/U) with at least one digit. */
const TAIL = '(?=[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]*[0-9])[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{8,}';

/** §5.3 idHead: letters then (ULID tail | optional hyphen + 4+ digits). ULID alternative first. */
const ID_HEAD_RE = new RegExp(`^([A-Za-z]{1,6})(?:-${TAIL}|-?[0-9]{4,})`);

/**
 * §5.3 extractRefId: first match anywhere, uppercase prefixes only, longest first. The original's
 * `\b` is Unicode-aware (Python), so "not preceded by a letter, number or underscore" is used.
 */
const REF_PREFIXES = Object.keys(PREFIX_TYPES).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
const REF_RE = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${REF_PREFIXES.join('|')})(?:-${TAIL}|-?[0-9]{4,})`, 'u');

/**
 * A fresh global copy of extractRefId's rule, for scanning every id in a text (src/core/idScan.ts).
 * Same prefixes, same forms; a new RegExp per call so no `lastIndex` state is shared.
 */
export function refIdRegExp(): RegExp {
  return new RegExp(REF_RE.source, 'gu');
}

const LEADING_LETTERS_RE = /^[A-Za-z]+/;
const NON_ALNUM_RE = /[^A-Za-z0-9]+/g;
const REF_SPLIT_RE = /[,\s]+/;
const NULL_REFS = new Set(['-', '--', '—', '–']);

/** The id at the start of `text` (e.g. `US-01KXCB7V` of `US-01KXCB7V-make-x`), or null. */
export function idHead(text: string): string | null {
  if (typeof text !== 'string') return null;
  const m = ID_HEAD_RE.exec(text.trim());
  if (!m) return null;
  return Object.prototype.hasOwnProperty.call(PREFIX_TYPES, m[1]!.toUpperCase()) ? m[0] : null;
}

/** The type named by the prefix of an id head (`us0001` → `story`), or null. */
export function typeOfIdHead(head: string): string | null {
  const m = LEADING_LETTERS_RE.exec(head);
  if (!m) return null;
  const key = m[0].toUpperCase();
  return Object.prototype.hasOwnProperty.call(PREFIX_TYPES, key) ? PREFIX_TYPES[key]! : null;
}

/** Remove every non `[A-Za-z0-9]` character and uppercase; empty → null. */
export function normId(s: string | null | undefined): string | null {
  if (typeof s !== 'string') return null;
  const out = s.replace(NON_ALNUM_RE, '').toUpperCase();
  return out === '' ? null : out;
}

/** First id written anywhere in a reference value (`[EP0007: X](…)` → `EP0007`), or null. */
export function extractRefId(v: string | null | undefined): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  if (t === '' || NULL_REFS.has(t)) return null;
  const m = REF_RE.exec(t);
  return m ? m[0] : null;
}

/** Stored form of a single reference field: `normId(extractRefId(value))`. */
export function normRef(v: string | null | undefined): string | null {
  return normId(extractRefId(v));
}

/**
 * A list reference field (`depends_on`, `aliases`): split on commas and whitespace, one id per
 * chunk, normalised, de-duplicated in first-seen order; null when nothing is left.
 */
export function normRefList(v: string | null | undefined): string[] | null {
  if (typeof v !== 'string') return null;
  const out: string[] = [];
  const seen = new Set<string>();
  for (const chunk of v.split(REF_SPLIT_RE)) {
    if (chunk === '') continue;
    const id = normRef(chunk);
    if (id !== null && !seen.has(id)) {
      seen.add(id);
      out.push(id);
    }
  }
  return out.length > 0 ? out : null;
}

/** The id to show for a document: `idHead(docId)`, else the doc_id (BG-01KX95CR). */
export function displayId(docId: string): string {
  return idHead(docId) ?? docId;
}
