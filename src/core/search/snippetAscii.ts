// The snippet of a document whose word characters are all ASCII (tokens = runs of [A-Za-z0-9_],
// folded by lower-casing), without building a token object per word: one char loop records token
// boundaries in reused typed arrays, the phrase is located with indexOf on a lower-cased copy, and
// the window is chosen by the same rule as the general path (snippetWindow.ts). The result is
// exactly the general path's (snippet.ts, which tokenises everything with the Unicode tokenizer);
// test/unit/search/snippet-fast.test.ts checks the two agree.
import { bestWindow } from './snippetWindow';

const ASCII_TOKEN = /^[a-z0-9_]+$/;
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]/u;

const isWord = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c === 95;

/** Token boundaries of the last scan (reused between calls: a snippet is built synchronously). */
let starts: Int32Array = new Int32Array(1024);
let ends: Int32Array = new Int32Array(1024);

/**
 * Records every token of `text` in `starts`/`ends` and returns how many, or -1 when a word
 * character outside ASCII occurs (then this path does not apply).
 */
function scan(text: string): number {
  const n = text.length;
  let count = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 128) {
      if (WORD_CHAR.test(text.slice(i, i + 2))) return -1; // a letter, digit or mark beyond ASCII
      i++;
      continue;
    }
    if (!isWord(c)) {
      i++;
      continue;
    }
    if (count === starts.length) {
      const grow = (a: Int32Array): Int32Array => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      starts = grow(starts);
      ends = grow(ends);
    }
    starts[count] = i;
    while (i < n && isWord(text.charCodeAt(i))) i++;
    ends[count++] = i;
  }
  return count;
}

/** True when every word character of `text` is ASCII, so this path applies. */
export function hasOnlyAsciiWords(text: string): boolean {
  return scan(text) >= 0;
}

/** Index of the token starting at char `at` (the scan's tokens are sorted), or -1. */
function tokenAt(count: number, at: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo < count && starts[lo] === at ? lo : -1;
}

/**
 * Token indexes where the folded `words` occur consecutively (overlapping occurrences included).
 * Candidates come from indexOf of the first word; each is confirmed against the token boundaries.
 */
function occurrences(text: string, count: number, words: string[]): number[] {
  const hits: number[] = [];
  if (!words.length || !words.every((w) => ASCII_TOKEN.test(w))) return hits; // cannot be a token here
  const lower = text.toLowerCase();
  const first = words[0];
  for (let p = lower.indexOf(first); p !== -1; p = lower.indexOf(first, p + 1)) {
    const t = tokenAt(count, p);
    if (t < 0 || t + words.length > count) continue;
    let whole = true;
    for (let j = 0; j < words.length && whole; j++) {
      const s = starts[t + j];
      whole = ends[t + j] - s === words[j].length && lower.startsWith(words[j], s);
    }
    if (whole) hits.push(t);
  }
  return hits;
}

/** Token occurrences of `words` in `text`, or null when `text` has a word character beyond ASCII. */
export function findOccurrences(text: string, words: string[]): number[] | null {
  const count = scan(text);
  return count < 0 ? null : occurrences(text, count, words);
}

export interface SnippetParts {
  escape: (s: string) => string;
  markOpen: string;
  markClose: string;
  ellipsis: string;
}

/** The snippet, or null when `text` has a word character beyond ASCII (use the general path). */
export function asciiSnippet(text: string, words: string[], width: number, p: SnippetParts): string | null {
  const count = scan(text);
  if (count < 0) return null;
  if (!count) return '';
  const hits = occurrences(text, count, words);
  const start = hits.length ? bestWindow(hits, words.length, count, width) : 0;
  const end = Math.min(count, start + width);
  let out = start > 0 ? p.ellipsis : '';
  let h = 0; // first occurrence that may still cover a token of the window
  for (let i = start; i < end; i++) {
    if (i > start) out += p.escape(text.slice(ends[i - 1], starts[i]).replace(/\s+/g, ' '));
    while (h < hits.length && hits[h] + words.length <= i) h++;
    const word = p.escape(text.slice(starts[i], ends[i]));
    out += h < hits.length && hits[h] <= i ? p.markOpen + word + p.markClose : word;
  }
  if (end < count) return out + p.ellipsis;
  return out + p.escape(text.slice(ends[end - 1]).replace(/\s+/g, ' ').trimEnd());
}
