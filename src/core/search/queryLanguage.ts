// The search query language (api.md §6.1), parsed once here for every caller: R11 `GET /search`,
// the engine's search(), the CLI `search`, the editor's quick pick and the agent tools.
//
//   sync status          every word (AND), in the title or the content
//   "sync status"        the words consecutively (phrase)
//   reconc*              a word starting with `reconc` (at least 2 characters before `*`)
//   -draft, -"won't fix" documents holding that word / phrase are excluded
//   type:story status:"in progress" project:slug epic:EP0003 owner:darren
//                        filters (case-insensitive; several values of one key are OR-ed)
//   US0012               a query that is exactly one id: that document first, then the text matches
//
// Malformed syntax is never an error: an unclosed quote, a lone `-` or `*`, an unknown `key:` are
// read as plain words. Only word runs (tokenize.ts) ever reach the FTS parser, so no input can make
// it fail. A chunk holding several word runs (`foo-bar`, `CR-0042`, `won't`) is a phrase of them,
// as the index tokenises it.
import { idHead, normId } from '../parse/ids';
import { fold, tokenize } from './tokenize';

export const FILTER_KEYS = ['type', 'status', 'project', 'epic', 'owner'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

/**
 * Consecutive folded words (one word for a plain word). A word ending in `*` is a prefix: it matches
 * every token that starts with the rest. Folded words never contain `*` themselves.
 */
export type QueryTerm = string[];

export interface ParsedQuery {
  /** Every one must occur (AND), in query order. */
  terms: QueryTerm[];
  /** A document holding any of these is left out. */
  excluded: QueryTerm[];
  /** Values per key as typed (trimmed), OR-ed within a key, AND-ed across keys. */
  filters: Partial<Record<FilterKey, string[]>>;
  /** The normalised id (`US0012`) when the whole query is exactly one id, else null. */
  id: string | null;
}

/** Fewest characters before a `*` for it to mean a prefix (FTS4 `prefix="2,3"` covers 2 and 3). */
export const MIN_PREFIX = 2;

export const isPrefix = (word: string): boolean => word.endsWith('*');
/** The word without its prefix marker. */
export const stem = (word: string): string => (isPrefix(word) ? word.slice(0, -1) : word);

const KEY_RE = new RegExp(`^(${FILTER_KEYS.join('|')}):`, 'i');
const SPACE = /\s/;

/** The words of one chunk of text as a term: its word runs, folded, `*` right after one marking a prefix. */
function termOf(text: string): QueryTerm {
  return tokenize(text).map((t) => (text[t.end] === '*' && [...t.norm].length >= MIN_PREFIX ? `${t.norm}*` : t.norm));
}

/** Where the quote opened at `open` closes, or -1. */
const closing = (q: string, open: number): number => q.indexOf('"', open + 1);

/** Parses `q`. Never throws. */
export function parseQuery(q: string): ParsedQuery {
  const out: ParsedQuery = { terms: [], excluded: [], filters: {}, id: null };
  const text = typeof q === 'string' ? q : '';
  const trimmed = text.trim();
  if (trimmed && !/\s/.test(trimmed) && idHead(trimmed) === trimmed) out.id = normId(trimmed);
  const add = (list: QueryTerm[], term: QueryTerm) => {
    if (term.length) list.push(term);
  };
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (SPACE.test(text[i])) {
      i++;
      continue;
    }
    // -"phrase" / "phrase": only a quote that closes makes one; an unclosed one is punctuation.
    const negated = text[i] === '-';
    const quoteAt = negated ? i + 1 : i;
    if (text[quoteAt] === '"' && closing(text, quoteAt) !== -1) {
      const end = closing(text, quoteAt);
      add(negated ? out.excluded : out.terms, termOf(text.slice(quoteAt + 1, end)));
      i = end + 1;
      continue;
    }
    // key:value and key:"value with spaces"
    const key = KEY_RE.exec(text.slice(i, i + 9));
    if (key) {
      const from = i + key[0].length;
      let value = '';
      let next = from;
      if (text[from] === '"' && closing(text, from) !== -1) {
        value = text.slice(from + 1, closing(text, from)).trim();
        next = closing(text, from) + 1;
      } else {
        while (next < n && !SPACE.test(text[next])) next++;
        value = text.slice(from, next);
      }
      if (value) {
        const k = key[1].toLowerCase() as FilterKey;
        (out.filters[k] ??= []).push(value);
        i = next;
        continue;
      }
      // `status:` with nothing after it: the key is a plain word (read below)
    }
    let end = i;
    while (end < n && !SPACE.test(text[end])) end++;
    const chunk = text.slice(i, end);
    if (negated) add(out.excluded, termOf(chunk.slice(1)));
    else add(out.terms, termOf(chunk));
    i = end;
  }
  return out;
}

/** True when the query has at least one filter. */
export const hasFilters = (p: ParsedQuery): boolean => Object.values(p.filters).some((v) => v && v.length > 0);

/** True when the query can match anything at all (api.md §6.1: no word and no filter → 0 results). */
export const isSearchable = (p: ParsedQuery): boolean => p.terms.length > 0 || p.excluded.length > 0 || hasFilters(p) || p.id !== null;

/**
 * One term as an FTS4 MATCH phrase. Only folded word runs go in, inside quotes, so OR, NOT, NEAR and
 * column names are plain terms.
 */
export const ftsTerm = (term: QueryTerm): string => `"${term.join(' ')}"`;

/** The whole MATCH expression: the terms AND-ed, the exclusions NOT-ed (FTS4's enhanced syntax). */
export function ftsExpression(p: ParsedQuery): string | null {
  if (!p.terms.length) return null;
  return [p.terms.map(ftsTerm).join(' '), ...p.excluded.map((t) => `NOT ${ftsTerm(t)}`)].join(' ');
}

/** Every word of the terms in order, when there are several terms: the phrase whose occurrence earns a bonus. */
export function bonusPhrase(p: ParsedQuery): QueryTerm | null {
  if (p.terms.length < 2) return null;
  return p.terms.flat();
}

/**
 * The quick pick's query while the user is typing: the last word gets a `*` so results appear
 * mid-word (api.md §6.1). Not after a space, a closing quote, a filter, an exclusion, an id, or a
 * word that already ends in `*` or is shorter than the prefix minimum.
 */
export function asYouType(value: string): string {
  if (!value || SPACE.test(value[value.length - 1])) return value;
  let start = value.length;
  while (start > 0 && !SPACE.test(value[start - 1])) start--;
  const last = value.slice(start);
  if (last.endsWith('*') || last.includes('"') || last.startsWith('-') || KEY_RE.test(last)) return value;
  if ((value.split('"').length - 1) % 2 === 1) return value; // inside an open phrase
  if (idHead(value.trim()) === value.trim()) return value; // an id alone jumps to it
  const words = tokenize(last);
  const final = words[words.length - 1];
  if (!final || final.end !== last.length || [...final.norm].length < MIN_PREFIX) return value;
  return `${value}*`;
}

/** Case- and diacritic-folded filter value, for comparing with a stored field. */
export const foldValue = (v: string): string => fold(v.trim());
