// The snippet of a document that folds one UTF-16 unit for one (simpleFold: every ASCII text, and
// most accented ones), without walking the whole document in JS. Native string operations do the
// bulk (lower-casing, folding the few characters beyond ASCII, indexOf of the first query word);
// JS walks only the tokens near the occurrences. Distances between occurrences are counted exactly up to
// `width` tokens and capped beyond: occurrences that far apart never share a window, so the window
// rule (snippetWindow.ts) picks the same window as over the exact token positions. The result is
// exactly the general path's (snippet.ts); test/unit/search/snippet-fast.test.ts checks they agree.
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

/** Where the folded `words` occur as consecutive tokens of `text`, given its simpleFold. */
function occurrences(text: string, words: string[]): Occurrences {
  const out: Occurrences = { start: [], end: [] };
  const n = text.length;
  for (let p = text.indexOf(words[0]); p !== -1; p = text.indexOf(words[0], p + 1)) {
    let e = p + words[0].length;
    if ((p > 0 && isWord(text.charCodeAt(p - 1))) || (e < n && isWord(text.charCodeAt(e)))) continue;
    let whole = true;
    for (let j = 1; j < words.length && whole; j++) {
      let q = e;
      while (q < n && !isWord(text.charCodeAt(q))) q++;
      e = q + words[j].length;
      whole = text.startsWith(words[j], q) && !(e < n && isWord(text.charCodeAt(e)));
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
  if (!words.length || words.length > width) return null;
  const folded = simpleFold(text);
  if (folded === null) return null;
  const occ = occurrences(folded, words);
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

/** Token positions of the phrase in `text`, or null when simpleFold cannot fold it. */
export function findOccurrences(text: string, words: string[]): number[] | null {
  const folded = simpleFold(text);
  if (folded === null) return null;
  const occ = occurrences(folded, words);
  return occ.start.map((s) => countTokens(text, 0, s, Infinity));
}
