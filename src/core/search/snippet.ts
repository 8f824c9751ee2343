// Search snippets (api.md §6): ~32 tokens of a document's content around the best match, every
// matched token (prefix matches included) in <mark>…</mark>, elisions as `...`, starting on a word
// boundary (`<script>`, not `script>`). The document text is HTML-escaped
// first and the marks added afterwards, so <mark> is the only markup a snippet can carry. A document
// whose word characters are all ASCII takes the fast path (snippetAscii.ts: no token objects, no
// Unicode folding); the general path below tokenises the whole document with the Unicode tokenizer.
import { asciiSnippet } from './snippetAscii';
import { bestWindow } from './snippetWindow';
import { tokenize, type Token } from './tokenize';

export const SNIPPET_TOKENS = 32;
export const MARK_OPEN = '<mark>';
export const MARK_CLOSE = '</mark>';
export const ELLIPSIS = '...';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes `& < > " '` (the only characters with meaning in HTML text and attribute values). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * What a snippet marks: terms of consecutive folded words (a phrase, or one word), any of which may
 * end in `*` (a prefix: every token starting with the rest). A plain list of words is one phrase.
 */
export type SnippetTerms = readonly (readonly string[])[];

export function asTerms(words: readonly string[] | SnippetTerms): SnippetTerms {
  const terms = (words.length && typeof words[0] === 'string' ? [words as readonly string[]] : (words as SnippetTerms)).filter((t) => t.length);
  return terms;
}

/** Whether a folded token matches a query word (a `*` at its end makes it a prefix). */
export const wordMatches = (norm: string, word: string): boolean =>
  word.endsWith('*') ? norm.startsWith(word.slice(0, -1)) : norm === word;

/** Token indexes where the folded phrase `words` occurs consecutively. */
export function phraseOccurrences(tokens: Token[], words: readonly string[]): number[] {
  const hits: number[] = [];
  if (!words.length) return hits;
  outer: for (let i = 0; i + words.length <= tokens.length; i++) {
    for (let j = 0; j < words.length; j++) if (!wordMatches(tokens[i + j].norm, words[j])) continue outer;
    hits.push(i);
  }
  return hits;
}

/** The longest term: the span a window is centred on (one phrase: exactly its length). */
export const spanOf = (terms: SnippetTerms): number => terms.reduce((a, t) => Math.max(a, t.length), 0);

/**
 * The punctuation glued to the front of a snippet's first word (`<` of `<script>`), so a snippet
 * starts on a word boundary: the non-space characters right before the token when a space or the
 * text's start precedes them (not the `-` of `01-27`, which is inside a word).
 */
export function leadOf(text: string, from: number, tokenStart: number): string {
  let i = tokenStart;
  while (i > from && !/\s/.test(text[i - 1])) i--;
  return i === 0 || /\s/.test(text[i - 1]) ? text.slice(i, tokenStart) : '';
}

/**
 * The snippet of `content` for the folded query terms (or one phrase's words). Without a match in
 * the content (a title-only hit) it is the content's first tokens, with no mark.
 */
export function makeSnippet(content: string, words: readonly string[] | SnippetTerms, width = SNIPPET_TOKENS): string {
  const terms = asTerms(words);
  if (!terms.length) return leadingSnippet(content, width);
  const fast = asciiSnippet(content, terms, width, { escape: escapeHtml, markOpen: MARK_OPEN, markClose: MARK_CLOSE, ellipsis: ELLIPSIS });
  return fast ?? tokenizedSnippet(content, terms, width);
}

/**
 * The snippet with nothing to mark (a filter-only search): the content's first `width` tokens, read
 * from as short a head of the content as holds them. A head with two tokens more than the window
 * gives exactly the whole content's snippet (every token of the window and the gaps between them are
 * in it, and more follows), without tokenizing a long document to its end.
 */
export function leadingSnippet(content: string, width = SNIPPET_TOKENS): string {
  for (let n = 16 * width; ; n *= 4) {
    if (n >= content.length) return tokenizedSnippet(content, [], width);
    const head = content.slice(0, n);
    if (tokenize(head).length >= width + 2) return tokenizedSnippet(head, [], width);
  }
}

/** The general path: every token of the document, then the window. */
export function tokenizedSnippet(content: string, words: readonly string[] | SnippetTerms, width = SNIPPET_TOKENS): string {
  const terms = asTerms(words);
  const tokens = tokenize(content);
  if (!tokens.length) return '';
  // every occurrence of every term: [first token, length], by first token
  const occ: [number, number][] = [];
  for (const t of terms) for (const h of phraseOccurrences(tokens, t)) occ.push([h, t.length]);
  occ.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const hits = occ.map((o) => o[0]).filter((h, k, all) => k === 0 || all[k - 1] !== h);
  const start = hits.length ? bestWindow(hits, spanOf(terms), tokens.length, width).start : 0;
  const end = Math.min(tokens.length, start + width);
  const marked = new Set<number>();
  for (const [h, length] of occ) for (let i = h; i < h + length; i++) if (i >= start && i < end) marked.add(i);

  let out = (start > 0 ? ELLIPSIS : '') + escapeHtml(leadOf(content, start > 0 ? tokens[start - 1].end : 0, tokens[start].start));
  for (let i = start; i < end; i++) {
    const t = tokens[i];
    if (i > start) out += escapeHtml(content.slice(tokens[i - 1].end, t.start).replace(/\s+/g, ' '));
    const word = escapeHtml(content.slice(t.start, t.end));
    out += marked.has(i) ? MARK_OPEN + word + MARK_CLOSE : word;
  }
  if (end < tokens.length) return out + ELLIPSIS;
  // The window reaches the end of the content: keep what closes it (a full stop, a bracket).
  return out + escapeHtml(content.slice(tokens[end - 1].end).replace(/\s+/g, ' ').trimEnd());
}
