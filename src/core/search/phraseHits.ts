// Every row of the index holding the phrase, with the phrase's hits per column (matchinfo 'y'),
// in one round trip: SQLite concatenates the docids, and the hex of every row's 'y' blob (fixed
// width), into two strings that JS parses. Stepping a
// statement row by row costs a wasm↔JS crossing and a blob copy per row, which for a common word
// (8,000 rows at 10,000 documents) was most of a search's time.
import type { Database as SqlDatabase } from 'sql.js';
import { FTS_COLUMNS } from './corpusStats';

export interface PhraseHits {
  /** Matching rows (documents.id), in index order. */
  ids: number[];
  /** tf[(i * phrases + p) * FTS_COLUMNS + c]: hits of phrase p in column c of row ids[i]. */
  tf: Uint32Array;
}

// LIMIT -1 keeps the subquery from being flattened into the aggregate (matchinfo() cannot run
// inside one).
const SQL = `SELECT group_concat(docid), group_concat(hex(y), '') FROM (
  SELECT docid, matchinfo(documents_fts, 'y') AS y
  FROM documents_fts WHERE documents_fts MATCH ? LIMIT -1)`;

const hex = (c: number): number => (c <= 57 ? c - 48 : c - 55);

/** One little-endian uint32 from 8 upper-case hex digits at `at`. */
function u32At(s: string, at: number): number {
  let v = 0;
  for (let b = 3; b >= 0; b--) v = v * 256 + ((hex(s.charCodeAt(at + 2 * b)) << 4) | hex(s.charCodeAt(at + 2 * b + 1)));
  return v;
}

/**
 * The rows matching `phrase`, an FTS4 MATCH expression of `phrases` quoted phrases (AND-ed, plus any
 * NOT-ed ones, which matchinfo does not count).
 */
export function phraseHits(db: SqlDatabase, phrase: string, phrases = 1): PhraseHits {
  const [list, blobs] = db.exec(SQL, [phrase])[0]?.values[0] ?? [];
  const ids: number[] = [];
  if (list === null || list === undefined || typeof blobs !== 'string') return { ids, tf: new Uint32Array() };
  const text = String(list);
  for (let i = 0, id = 0; i <= text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) id = id * 10 + (c - 48);
    else {
      ids.push(id); // a comma or the end
      id = 0;
    }
  }
  // the phrases × the columns, 4 bytes each, 2 hex digits a byte, little-endian
  const tf = new Uint32Array(blobs.length >> 3);
  for (let k = 0; k < tf.length; k++) tf[k] = u32At(blobs, 8 * k);
  if (tf.length !== ids.length * phrases * FTS_COLUMNS) throw new Error(`matchinfo: ${tf.length} values for ${ids.length} rows`);
  return { ids, tf };
}

/**
 * Rows of the whole index with a hit of each phrase in each column (matchinfo 'x', read from one
 * matching row): df[p * FTS_COLUMNS + c]. Zeros when nothing matches.
 */
export function phraseDf(db: SqlDatabase, expression: string, phrases: number): number[] {
  const blob = db.exec("SELECT hex(matchinfo(documents_fts, 'x')) FROM documents_fts WHERE documents_fts MATCH ? LIMIT 1", [expression])[0]?.values[0]?.[0];
  const df = new Array<number>(phrases * FTS_COLUMNS).fill(0);
  if (typeof blob !== 'string') return df;
  for (let k = 0; k < df.length; k++) df[k] = u32At(blob, 8 * (3 * k + 2)); // x = [this row, all rows, rows with a hit]
  return df;
}
