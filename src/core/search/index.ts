// Full-text search (api.md §6): tokens, phrase, BM25, snippets and the index-backed query.
export { SearchIndex, type IndexRepair, type SearchStore } from './searchIndex';
export { DEFAULT_PER_PAGE, MAX_PER_PAGE, MAX_QUERY_LENGTH, codePointLength, validateSearchQuery } from './query';
export { escapeHtml, makeSnippet, MARK_CLOSE, MARK_OPEN, SNIPPET_TOKENS } from './snippet';
export { bm25, COLUMN_WEIGHTS, roundScore } from './rank';
export { fold, ftsPhrase, queryWords, tokenize, type Token } from './tokenize';
