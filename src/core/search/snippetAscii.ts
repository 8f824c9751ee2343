// The snippet of a document that folds one UTF-16 unit for one (simpleFold: every ASCII text, and
// most accented ones), without walking the whole document in JS. Native string operations do the
// bulk (lower-casing, folding the few characters beyond ASCII, indexOf of the first query word);
// JS walks only the tokens near the occurrences. Distances between occurrences are counted exactly up to
// `width` tokens and capped beyond: occurrences that far apart never share a window, so the window
// rule (snippetWindow.ts) picks the same window as over the exact token positions. The result is
// exactly the general path's (snippet.ts); test/unit/search/snippet-fast.test.ts checks they agree.
import type { SnippetTerms } from './snippet';
import { bestWindow } from './snippetWindow';
import { fold } from './tokenize';

const WORD_CHAR = /^[\p{L}\p{N}\p{M}]/u;
const MARK = /^\p{M}/u;
const NON_ASCII = /[^\x00-\x7f]/g;

const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_WORD[c] = /[A-Za-z0-9_]/.test(String.fromCharCode(c)) ? 1 : 0;
/** Whether a UTF-16 unit outside ASCII and the surrogates is a word character: 0 unknown, 1 yes, 2 no. */
const VERDICT = new Uint8Array(65536);

function wordBeyondAscii(c: number): boolean {
  if (!VERDICT[c]) VERDICT[c] = WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 2;
  return VERDICT[c] === 1;
}

/**
 * Word characters of a text that passed simpleFold: ASCII letters, digits and `_`, and the word
 * characters of the Basic Multilingual Plane (simpleFold refuses a text with one beyond it).
 */
const isWord = (c: number): boolean => (c < 128 ? ASCII_WORD[c] === 1 : (c < 0xd800 || c > 0xdfff) && wordBeyondAscii(c));

/**
 * The text case- and diacritic-folded one UTF-16 unit for one, so offsets stay those of the text and
 * each token folds to exactly what the tokenizer makes of it; or null when that cannot be (a
 * combining mark, a letter whose folding changes the length, a capital sigma whose lower case
 * depends on its place, a word character beyond the BMP): then the general path applies.
 */
export function simpleFold(text: string): string | null {
  if (text.includes('\u03a3')) return null;
  const lower = text.toLowerCase();
  if (lower.length !== text.length) return null;
  let simple = true;
  const folded = lower.replace(NON_ASCII, (ch, at: number) => {
    const c = ch.charCodeAt(0);
    if (c >= 0xd800 && c <= 0xdbff) {
      if (WORD_CHAR.test(lower.slice(at, at + 2))) simple = false;
      return ch;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return ch;
    if (!wordBeyondAscii(c)) return ch;
    const f = MARK.test(ch) ? '' : fold(ch);
    if (f.length !== 1 || !isWord(f.charCodeAt(0))) simple = false;
    return f.length === 1 ? f : ch;
  });
  return simple ? folded : null;
}

/** Phrase occurrences as char ranges [start[k], end[k]), in order (overlapping ones included). */
interface Occurrences {
  start: number[];
  end: number[];
}

/** Where the folded `words` occur as consecutive tokens of `text`, given its simpleFold. A word ending in `*` is a prefix. */
function occurrences(text: string, words: readonly string[]): Occurrences {
  const out: Occurrences = { start: [], end: [] };
  const n = text.length;
  const stems = words.map((w) => (w.endsWith('*') ? w.slice(0, -1) : w));
  const prefix = words.map((w) => w.endsWith('*'));
  /** End of the word at `from` when it holds word j, else -1. */
  const wordEnd = (from: number, j: number): number => {
    let e = from + stems[j].length;
    if (prefix[j]) {
      while (e < n && isWord(text.charCodeAt(e))) e++;
      return e;
    }
    return e < n && isWord(text.charCodeAt(e)) ? -1 : e;
  };
  for (let p = text.indexOf(stems[0]); p !== -1; p = text.indexOf(stems[0], p + 1)) {
    if (p > 0 && isWord(text.charCodeAt(p - 1))) continue;
    let e = wordEnd(p, 0);
    for (let j = 1; j < words.length && e !== -1; j++) {
      let q = e;
      while (q < n && !isWord(text.charCodeAt(q))) q++;
      e = text.startsWith(stems[j], q) ? wordEnd(q, j) : -1;
    }
    if (e !== -1) {
      out.start.push(p);
      out.end.push(e);
    }
  }
  return out;
}

/** Every occurrence of every term, by start (then end). */
function allOccurrences(text: string, terms: SnippetTerms): Occurrences {
  if (terms.length === 1) return occurrences(text, terms[0]);
  const pairs: [number, number][] = [];
  for (const t of terms) {
    const o = occurrences(text, t);
    for (let k = 0; k < o.start.length; k++) pairs.push([o.start[k], o.end[k]]);
  }
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { start: pairs.map((x) => x[0]), end: pairs.map((x) => x[1]) };
}

/** The union of the occurrences as disjoint ranges in order (what gets marked). */
function covered(occ: Occurrences): Occurrences {
  const out: Occurrences = { start: [], end: [] };
  for (let k = 0; k < occ.start.length; k++) {
    const last = out.end.length - 1;
    if (last >= 0 && occ.start[k] < out.end[last]) out.end[last] = Math.max(out.end[last], occ.end[k]);
    else {
      out.start.push(occ.start[k]);
      out.end.push(occ.end[k]);
    }
  }
  return out;
}

/** Tokens starting in [from, to), counted up to `cap`; `from` is a token start. */
function countTokens(text: string, from: number, to: number, cap: number): number {
  let count = 0;
  let i = from;
  while (count < cap) {
    while (i < to && !isWord(text.charCodeAt(i))) i++;
    if (i >= to) break;
    count++;
    while (i < to && isWord(text.charCodeAt(i))) i++;
  }
  return count;
}

/** Start of the token `count` tokens before the token at `pos` (stops at the first token). */
function back(text: string, pos: number, count: number): number {
  let at = pos;
  for (let moved = 0; moved < count; moved++) {
    let j = at - 1;
    while (j >= 0 && !isWord(text.charCodeAt(j))) j--;
    if (j < 0) break;
    while (j > 0 && isWord(text.charCodeAt(j - 1))) j--;
    at = j;
  }
  return at;
}

/** Up to `count` tokens from `pos` on, as char ranges. */
function forward(text: string, pos: number, count: number): { start: number[]; end: number[] } {
  const start: number[] = [];
  const end: number[] = [];
  const n = text.length;
  let i = pos;
  while (start.length < count) {
    while (i < n && !isWord(text.charCodeAt(i))) i++;
    if (i >= n) break;
    start.push(i);
    while (i < n && isWord(text.charCodeAt(i))) i++;
    end.push(i);
  }
  return { start, end };
}

function hasWordIn(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (isWord(text.charCodeAt(i))) return true;
  return false;
}

/** Char offset of the best window's first token (the document's first token without a match). */
function windowStart(text: string, all: Occurrences, phraseLength: number, width: number): number {
  const occ = { start: all.start.filter((s, k) => k === 0 || all.start[k - 1] !== s) }; // one window candidate per start
  const k = occ.start.length;
  if (!k) return forward(text, 0, 1).start[0] ?? 0;
  // Token positions relative to the document's start, exact while below `width` apart, capped beyond.
  const at: number[] = [0];
  let before = 0;
  for (let j = occ.start[0]; before < width; before++) {
    const prev = back(text, j, 1);
    if (prev === j) break;
    j = prev;
  }
  at[0] = before;
  for (let i = 1; i < k; i++) at.push(at[i - 1] + countTokens(text, occ.start[i - 1], occ.start[i], width));
  const total = at[k - 1] + countTokens(text, occ.start[k - 1], text.length, width + phraseLength);
  const best = bestWindow(at, phraseLength, total, width);
  return back(text, occ.start[best.from], at[best.from] - best.start);
}

export interface SnippetParts {
  escape: (s: string) => string;
  markOpen: string;
  markClose: string;
  ellipsis: string;
}

/** The snippet, or null when this path does not apply (use the general path). */
export function asciiSnippet(text: string, terms: SnippetTerms, width: number, p: SnippetParts): string | null {
  const span = terms.reduce((a, t) => Math.max(a, t.length), 0);
  if (!span || span > width) return null;
  const folded = simpleFold(text);
  if (folded === null) return null;
  const occ = allOccurrences(folded, terms);
  const start = windowStart(text, occ, span, width);
  const tokens = forward(text, start, width);
  if (!tokens.start.length) return '';
  const marks = covered(occ);
  let out = hasWordIn(text, 0, start) ? p.ellipsis : '';
  let lead = start;
  while (lead > 0 && !isWord(text.charCodeAt(lead - 1)) && !/\s/.test(text[lead - 1])) lead--;
  // start on a word boundary: `<script>`, not `script>` (but not the `-` of `01-27`)
  if (lead === 0 || /\s/.test(text[lead - 1])) out += p.escape(text.slice(lead, start));
  let o = 0; // first marked range that may still cover a token of the window
  for (let t = 0; t < tokens.start.length; t++) {
    const s = tokens.start[t];
    const e = tokens.end[t];
    if (t > 0) out += p.escape(text.slice(tokens.end[t - 1], s).replace(/\s+/g, ' '));
    while (o < marks.start.length && marks.end[o] < e) o++;
    const word = p.escape(text.slice(s, e));
    out += o < marks.start.length && marks.start[o] <= s ? p.markOpen + word + p.markClose : word;
  }
  const last = tokens.end[tokens.end.length - 1];
  if (hasWordIn(text, last, text.length)) return out + p.ellipsis;
  return out + p.escape(text.slice(last).replace(/\s+/g, ' ').trimEnd());
}

/** Token positions of the phrase in `text`, or null when simpleFold cannot fold it. */
export function findOccurrences(text: string, words: readonly string[]): number[] | null {
  const folded = simpleFold(text);
  if (folded === null) return null;
  const occ = occurrences(folded, words);
  return occ.start.map((s) => countTokens(text, 0, s, Infinity));
}
