// Every row of the index holding one term (a MATCH phrase), with its hits per column, cached per
// database state: a query of several words is the intersection of its words' rows, so a word typed
// earlier (every keystroke repeats it) or asked again costs no second pass over its position lists.
// A common word's ("the" in every document) is most of a search's time.
import type { Database as SqlDatabase } from 'sql.js';
import { FTS_COLUMNS } from './corpusStats';
import { phraseHits, type PhraseHits } from './phraseHits';

/** Rows the per-term cache holds at most (ids and hits: ~12 bytes a row and column, a few MB). */
const TERM_CACHE_ROWS = 400_000;

/** `hits` in ascending docid (FTS4's own order; sorted here should a build answer otherwise). */
function inIndexOrder(hits: PhraseHits): PhraseHits {
  const { ids, tf } = hits;
  let sorted = true;
  for (let i = 1; i < ids.length && sorted; i++) sorted = ids[i - 1]! < ids[i]!;
  if (sorted) return hits;
  const order = ids.map((_, i) => i).sort((a, b) => ids[a]! - ids[b]!);
  const out = new Uint32Array(tf.length);
  order.forEach((from, to) => out.set(tf.subarray(from * FTS_COLUMNS, (from + 1) * FTS_COLUMNS), to * FTS_COLUMNS));
  return { ids: order.map((i) => ids[i]!), tf: out };
}

/**
 * The rows in every one of `lists` (each in index order, ascending docid, as FTS4 answers), with
 * tf[(i * lists + p) * FTS_COLUMNS + c] = hits of list p's term in column c of row ids[i].
 */
export function intersectHits(lists: PhraseHits[]): PhraseHits {
  const n = lists.length;
  const at = new Array<number>(n).fill(0);
  const ids: number[] = [];
  const tf: number[] = [];
  const first = lists[0]!;
  outer: for (let i = 0; i < first.ids.length; i++) {
    const id = first.ids[i]!;
    for (let p = 1; p < n; p++) {
      const l = lists[p]!.ids;
      let j = at[p]!;
      while (j < l.length && l[j]! < id) j++;
      at[p] = j;
      if (j >= l.length) break outer;
      if (l[j] !== id) continue outer;
    }
    ids.push(id);
    for (let p = 0; p < n; p++) {
      const row = p === 0 ? i : at[p]!;
      for (let c = 0; c < FTS_COLUMNS; c++) tf.push(lists[p]!.tf[row * FTS_COLUMNS + c]!);
    }
  }
  return { ids, tf: Uint32Array.from(tf) };
}

export class TermHits {
  private readonly cache = new Map<string, PhraseHits>();
  private rows = 0;

  /** Forgets everything (the database changed). */
  clear(): void {
    this.cache.clear();
    this.rows = 0;
  }

  /** Every row holding `term`, with its hits per column: from the cache or one MATCH. */
  of(db: SqlDatabase, term: string): PhraseHits {
    const known = this.cache.get(term);
    if (known) return known;
    const hits = inIndexOrder(phraseHits(db, term));
    if (this.rows + hits.ids.length > TERM_CACHE_ROWS) this.clear();
    this.cache.set(term, hits);
    this.rows += hits.ids.length;
    return hits;
  }

  /** The rows holding every one of `terms`, each term's hits per column side by side (as one AND-ed MATCH gives them). */
  allOf(db: SqlDatabase, terms: string[]): PhraseHits {
    const each = terms.map((t) => this.of(db, t));
    return each.length === 1 ? each[0]! : intersectHits(each);
  }
}
