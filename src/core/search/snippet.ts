// Search snippets (api.md §6): ~32 tokens of a document's content around the best phrase match,
// every matched token in <mark>…</mark>, elisions as `...`. The document text is HTML-escaped
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

/** Token indexes where the folded phrase `words` occurs consecutively. */
export function phraseOccurrences(tokens: Token[], words: string[]): number[] {
  const hits: number[] = [];
  if (!words.length) return hits;
  outer: for (let i = 0; i + words.length <= tokens.length; i++) {
    for (let j = 0; j < words.length; j++) if (tokens[i + j].norm !== words[j]) continue outer;
    hits.push(i);
  }
  return hits;
}

/**
 * The snippet of `content` for the folded query words. Without a match in the content (a title-only
 * hit) it is the content's first tokens, with no mark.
 */
export function makeSnippet(content: string, words: string[], width = SNIPPET_TOKENS): string {
  const fast = asciiSnippet(content, words, width, { escape: escapeHtml, markOpen: MARK_OPEN, markClose: MARK_CLOSE, ellipsis: ELLIPSIS });
  return fast ?? tokenizedSnippet(content, words, width);
}

/** The general path: every token of the document, then the window. */
export function tokenizedSnippet(content: string, words: string[], width = SNIPPET_TOKENS): string {
  const tokens = tokenize(content);
  if (!tokens.length) return '';
  const hits = phraseOccurrences(tokens, words);
  const start = hits.length ? bestWindow(hits, words.length, tokens.length, width).start : 0;
  const end = Math.min(tokens.length, start + width);
  const marked = new Set<number>();
  for (const h of hits) for (let i = h; i < h + words.length; i++) if (i >= start && i < end) marked.add(i);

  let out = start > 0 ? ELLIPSIS : '';
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
