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
 * Reads a 'pcnalx' matchinfo blob: p (phrases), c (columns), n (rows), a[c] (average tokens per
 * column), l[c] (this row's tokens per column), x[p][c][3] (hits in this row, hits in all rows,
 * rows with a hit).
 */
export function bm25(matchinfo: Uint8Array, weights: readonly number[] = COLUMN_WEIGHTS): number {
  const view = new DataView(matchinfo.buffer, matchinfo.byteOffset, matchinfo.byteLength);
  const at = (i: number): number => view.getUint32(i * 4, true);
  const phrases = at(0);
  const columns = at(1);
  const rows = at(2);
  const avgOf = (c: number): number => at(3 + c);
  const lengthOf = (c: number): number => at(3 + columns + c);
  const xBase = 3 + 2 * columns;
  let score = 0;
  for (let p = 0; p < phrases; p++) {
    for (let c = 0; c < columns; c++) {
      const weight = weights[c] ?? 1;
      const x = xBase + 3 * (p * columns + c);
      const tf = at(x);
      if (!tf || !weight) continue;
      const df = at(x + 2);
      const idf = Math.log(1 + (rows - df + 0.5) / (df + 0.5));
      const avg = avgOf(c) || 1;
      const norm = tf + K1 * (1 - B + (B * lengthOf(c)) / avg);
      score += weight * idf * ((tf * (K1 + 1)) / norm);
    }
  }
  return score;
}

/** `score` as the API shows it: rounded to 4 decimals. */
export const roundScore = (s: number): number => Math.round(s * 1e4) / 1e4;
