// BM25 over the title and content columns, computed from FTS4's matchinfo(…, 'pcnalx') (stock sql.js
// has FTS4, not FTS5's bm25()). The phrase is scored per column with Okapi BM25 (k1 = 1.2,
// b = 0.75) and the columns are summed with weights, the title counting ten times the content, so
// a title hit ranks above a body-only hit. idf = ln(1 + (N − df + 0.5) / (df + 0.5)) stays
// positive however common the phrase is, so the score is always > 0 and higher is better.

/** Column order of documents_fts (schema.ts): title, content. */
export const COLUMN_WEIGHTS = [10, 1] as const;
export const MATCHINFO_FORMAT = 'pcnalx';
const K1 = 1.2;
const B = 0.75;

/**
 * One column's BM25 term: `tf` hits of the phrase in a row whose column holds `length` tokens, the
 * phrase in `df` of `rows` rows, columns averaging `avg` tokens. Both the matchinfo reader below and
 * the search's own statistics (corpusStats.ts) score through this, so their numbers are identical.
 */
export function columnScore(weight: number, tf: number, df: number, rows: number, avg: number, length: number): number {
  return columnTerm(weight * columnIdf(df, rows), tf, avg, length);
}

/** idf of a phrase found in `df` of `rows` rows: the same for every row of one search. */
export const columnIdf = (df: number, rows: number): number => Math.log(1 + (rows - df + 0.5) / (df + 0.5));

/** The rest of columnScore, given weight × idf. */
export function columnTerm(weightedIdf: number, tf: number, avg: number, length: number): number {
  const norm = tf + K1 * (1 - B + (B * length) / (avg || 1));
  return weightedIdf * ((tf * (K1 + 1)) / norm);
}

/**
 * Reads a 'pcnalx' matchinfo blob: p (phrases), c (columns), n (rows), a[c] (average tokens per
 * column), l[c] (this row's tokens per column), x[p][c][3] (hits in this row, hits in all rows,
 * rows with a hit).
 */
export function bm25(matchinfo: Uint8Array, weights: readonly number[] = COLUMN_WEIGHTS): number {
  const view = new DataView(matchinfo.buffer, matchinfo.byteOffset, matchinfo.byteLength);
  const phrases = view.getUint32(0, true);
  const columns = view.getUint32(4, true);
  const rows = view.getUint32(8, true);
  const xBase = 3 + 2 * columns;
  let score = 0;
  for (let p = 0; p < phrases; p++) {
    for (let c = 0; c < columns; c++) {
      const weight = weights[c] ?? 1;
      const x = xBase + 3 * (p * columns + c);
      const tf = view.getUint32(x * 4, true);
      if (!tf || !weight) continue;
      const df = view.getUint32((x + 2) * 4, true);
      const avg = view.getUint32((3 + c) * 4, true);
      const length = view.getUint32((3 + columns + c) * 4, true);
      score += columnScore(weight, tf, df, rows, avg, length);
    }
  }
  return score;
}

/** `score` as the API shows it: rounded to 4 decimals. */
export const roundScore = (s: number): number => Math.round(s * 1e4) / 1e4;
