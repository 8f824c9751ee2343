// Word tokens as the search index sees them (api.md §6): runs of Unicode letters, digits, combining
// marks and `_`; case- and diacritic-folded. Mirrors FTS4's `unicode61 "remove_diacritics=2"
// "tokenchars=_"` tokenizer, which folds diacritics by canonical decomposition (NFD) only: `ﬁ`, `½`
// and `²` stay as they are there, so they do here (NFKD would turn `ﬁle` into `file`, which the
// index never contains).

export interface Token {
  /** The folded form compared with other tokens. */
  norm: string;
  /** UTF-16 offsets of the token in the original text. */
  start: number;
  end: number;
}

const WORD_RUN = /[\p{L}\p{N}\p{M}_]+/gu;
const MARKS = /\p{M}+/gu;
const NON_ASCII = /[^\x00-\x7f]/;

/** Case and diacritic folding of one word run: `Café` → `cafe`, `İstanbul` → `istanbul`. */
export function fold(word: string): string {
  if (!NON_ASCII.test(word)) return word.toLowerCase(); // the common case, several times faster
  return word.normalize('NFD').replace(MARKS, '').toLowerCase().normalize('NFD').replace(MARKS, '');
}

/** Every word token of `text`, in order. A run made only of combining marks is no token. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD_RUN)) {
    const norm = fold(m[0]);
    if (norm) out.push({ norm, start: m.index!, end: m.index! + m[0].length });
  }
  return out;
}

/** The word runs of a query as the user typed them (the index folds them itself). */
export function queryWords(q: string): string[] {
  return tokenize(q).map((t) => q.slice(t.start, t.end));
}

/**
 * The whole query as ONE literal FTS phrase, or null when it has no word token. Only word runs go
 * in, so quotes, `*`, `-`, `:`, parentheses and the like never reach the FTS parser, and words such
 * as OR, NEAR or NOT inside the quotes are plain terms.
 */
export function ftsPhrase(q: string): string | null {
  const words = queryWords(q);
  return words.length ? `"${words.join(' ')}"` : null;
}
