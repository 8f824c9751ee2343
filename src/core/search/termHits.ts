// Every row of the index holding one term (a MATCH phrase), with its hits per column, cached per
// database state: a query of several words is the intersection of its words' rows, so a word typed
// earlier (every keystroke repeats it) or asked again costs no second pass over its position lists.
// A common word's ("the" in every document) is most of a search's time.
import type { Database as SqlDatabase } from 'sql.js';
import { FTS_COLUMNS, type CorpusStats } from './corpusStats';
import { phraseHits, type PhraseHits } from './phraseHits';
import { COLUMN_WEIGHTS, columnIdf, columnTerm } from './rank';

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

/** Rows of the index (ascending docid) with one number each: a term's BM25 in that row. */
export interface ScoredRows {
  ids: number[];
  scores: Float64Array;
}

/**
 * Each row's BM25 of the term whose hits these are (rank.ts, the columns weighted and summed in
 * column order, as bm25() of matchinfo 'pcnalx' sums them), its df over the whole index.
 */
export function termScores(hits: PhraseHits, stats: CorpusStats): Float64Array {
  const { rows, avg, lengths, slotOf } = stats;
  const df = new Array<number>(FTS_COLUMNS).fill(0);
  for (let i = 0; i < hits.ids.length; i++) for (let c = 0; c < FTS_COLUMNS; c++) if (hits.tf[i * FTS_COLUMNS + c]) df[c]++;
  const weighted = df.map((d, c) => (COLUMN_WEIGHTS[c] ?? 1) * columnIdf(d, rows));
  const scores = new Float64Array(hits.ids.length);
  for (let i = 0; i < hits.ids.length; i++) {
    const slot = slotOf(hits.ids[i]!) * FTS_COLUMNS;
    let score = 0;
    for (let c = 0; c < FTS_COLUMNS; c++) {
      const tf = hits.tf[i * FTS_COLUMNS + c]!;
      if (tf) score += columnTerm(weighted[c]!, tf, avg[c]!, slot < 0 ? 0 : lengths[slot + c]!);
    }
    scores[i] = score;
  }
  return scores;
}

/**
 * The rows in every one of `lists` (each in ascending docid, as FTS4 answers), each scored with the
 * sum of its scores in the lists, in list order: the BM25 of an AND of terms.
 */
export function intersectScored(lists: readonly ScoredRows[]): ScoredRows {
  const n = lists.length;
  if (n === 1) return lists[0]!;
  // the shortest list leads: every other is walked forward with a gallop towards its ids
  const order = lists.map((_, p) => p).sort((a, b) => lists[a]!.ids.length - lists[b]!.ids.length);
  const lead = lists[order[0]!]!;
  const at = new Int32Array(n);
  const ids: number[] = [];
  const rows: number[] = []; // per kept row, its index in each list (n per row)
  outer: for (let i = 0; i < lead.ids.length; i++) {
    const id = lead.ids[i]!;
    for (let k = 1; k < n; k++) {
      const p = order[k]!;
      const l = lists[p]!.ids;
      let j = at[p]!;
      if (j < l.length && l[j]! < id) {
        let step = 1;
        while (j + step < l.length && l[j + step]! < id) step *= 2;
        // l[j + step / 2] < id is known (l[j] when step is 1), l[j + step] ≥ id or past the end
        let lo = j + (step >> 1) + 1;
        let hi = Math.min(l.length, j + step);
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (l[mid]! < id) lo = mid + 1;
          else hi = mid;
        }
        j = lo;
      }
      at[p] = j;
      if (j >= l.length) break outer;
      if (l[j] !== id) continue outer;
    }
    at[order[0]!] = i;
    ids.push(id);
    for (let p = 0; p < n; p++) rows.push(at[p]!);
  }
  const scores = new Float64Array(ids.length);
  for (let r = 0; r < ids.length; r++) {
    let score = 0;
    for (let p = 0; p < n; p++) score += lists[p]!.scores[rows[r * n + p]!]!;
    scores[r] = score;
  }
  return { ids, scores };
}

/** `rows` with each score raised by its row's score in `extra` (rows of `extra` not in `rows` are ignored). */
export function addScores(rows: ScoredRows, extra: ScoredRows): ScoredRows {
  const scores = Float64Array.from(rows.scores);
  let j = 0;
  for (let i = 0; i < rows.ids.length && j < extra.ids.length; i++) {
    const id = rows.ids[i]!;
    while (j < extra.ids.length && extra.ids[j]! < id) j++;
    if (extra.ids[j] === id) scores[i] += extra.scores[j]!;
  }
  return { ids: rows.ids, scores };
}

export class TermHits {
  private readonly cache = new Map<string, PhraseHits>();
  /** Per term, its rows scored (termScores) with the statistics of the same state. */
  private readonly scored = new Map<string, ScoredRows>();
  private rows = 0;

  /** Forgets everything (the database changed). */
  clear(): void {
    this.cache.clear();
    this.scored.clear();
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

  /** Every row holding `term` with its BM25 there; `stats` are the index's in the state this cache holds. */
  scoredOf(db: SqlDatabase, term: string, stats: CorpusStats): ScoredRows {
    const known = this.scored.get(term);
    if (known) return known;
    const hits = this.of(db, term);
    const rows = { ids: hits.ids, scores: termScores(hits, stats) };
    this.scored.set(term, rows);
    return rows;
  }
}
