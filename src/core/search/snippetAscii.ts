// The snippet of a document whose word characters are all ASCII (tokens = runs of [A-Za-z0-9_],
// folded by lower-casing), without walking the whole document in JS. Native regex scans do the
// bulk (is there a word character beyond ASCII? where does the first query word occur?); JS walks
// only the tokens near the occurrences. Distances between occurrences are counted exactly up to
// `width` tokens and capped beyond: occurrences that far apart never share a window, so the window
// rule (snippetWindow.ts) picks the same window as over the exact token positions. The result is
// exactly the general path's (snippet.ts); test/unit/search/snippet-fast.test.ts checks they agree.
import { bestWindow } from './snippetWindow';

const ASCII_TOKEN = /^[a-z0-9_]+$/;
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]/u;
const NON_ASCII = /[^\x00-\x7f]/g;

const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_WORD[c] = /[A-Za-z0-9_]/.test(String.fromCharCode(c)) ? 1 : 0;
/** Whether a UTF-16 unit outside ASCII and the surrogates is a word character: 0 unknown, 1 yes, 2 no. */
const VERDICT = new Uint8Array(65536);

function isWordBeyondAscii(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdfff) return WORD_CHAR.test(text.slice(i, i + 2)); // the code point a pair makes
  if (!VERDICT[c]) VERDICT[c] = WORD_CHAR.test(text[i]) ? 1 : 2;
  return VERDICT[c] === 1;
}

/** True when every word character of `text` is ASCII, so this path applies. */
export function hasOnlyAsciiWords(text: string): boolean {
  NON_ASCII.lastIndex = 0;
  for (let m = NON_ASCII.exec(text); m; m = NON_ASCII.exec(text)) if (isWordBeyondAscii(text, m.index)) return false;
  return true;
}

/** In a document that passed hasOnlyAsciiWords, the word characters are exactly these. */
const isWord = (c: number): boolean => c < 128 && ASCII_WORD[c] === 1;

/** Phrase occurrences as char ranges [start[k], end[k]), in order (overlapping ones included). */
interface Occurrences {
  start: number[];
  end: number[];
}

/** Where the folded `words` occur as consecutive tokens of `text` (hasOnlyAsciiWords holds). */
function occurrences(text: string, words: string[]): Occurrences {
  const out: Occurrences = { start: [], end: [] };
  if (!words.every((w) => ASCII_TOKEN.test(w))) return out; // cannot be a token here
  const n = text.length;
  // Without the u flag, `i` folds ASCII letters only: exactly the folding of ASCII tokens.
  const first = new RegExp(words[0], 'gi');
  for (let m = first.exec(text); m; m = first.exec(text)) {
    const p = m.index;
    first.lastIndex = p + 1; // overlapping occurrences count
    let e = p + words[0].length;
    if ((p > 0 && isWord(text.charCodeAt(p - 1))) || (e < n && isWord(text.charCodeAt(e)))) continue;
    let whole = true;
    for (let j = 1; j < words.length && whole; j++) {
      let q = e;
      while (q < n && !isWord(text.charCodeAt(q))) q++;
      e = q + words[j].length;
      whole = e <= n && text.slice(q, e).toLowerCase() === words[j] && !(e < n && isWord(text.charCodeAt(e)));
    }
    if (whole) {
      out.start.push(p);
      out.end.push(e);
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
function windowStart(text: string, occ: Occurrences, phraseLength: number, width: number): number {
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
export function asciiSnippet(text: string, words: string[], width: number, p: SnippetParts): string | null {
  if (!words.length || words.length > width || !hasOnlyAsciiWords(text)) return null;
  const occ = occurrences(text, words);
  const start = windowStart(text, occ, words.length, width);
  const tokens = forward(text, start, width);
  if (!tokens.start.length) return '';
  let out = hasWordIn(text, 0, start) ? p.ellipsis : '';
  let o = 0; // first occurrence that may still cover a token of the window
  for (let t = 0; t < tokens.start.length; t++) {
    const s = tokens.start[t];
    const e = tokens.end[t];
    if (t > 0) out += p.escape(text.slice(tokens.end[t - 1], s).replace(/\s+/g, ' '));
    while (o < occ.start.length && occ.end[o] < e) o++;
    const word = p.escape(text.slice(s, e));
    out += o < occ.start.length && occ.start[o] <= s ? p.markOpen + word + p.markClose : word;
  }
  const last = tokens.end[tokens.end.length - 1];
  if (hasWordIn(text, last, text.length)) return out + p.ellipsis;
  return out + p.escape(text.slice(last).replace(/\s+/g, ' ').trimEnd());
}

/** Token positions of the phrase in `text`, or null when the text has a word character beyond ASCII. */
export function findOccurrences(text: string, words: string[]): number[] | null {
  if (!hasOnlyAsciiWords(text)) return null;
  const occ = occurrences(text, words);
  return occ.start.map((s) => countTokens(text, 0, s, Infinity));
}
