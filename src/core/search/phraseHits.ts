// Every row of the index holding the phrase, with the phrase's hits per column (matchinfo 'y'),
// in one round trip: SQLite concatenates `docid hex(y)` pairs and JS parses one string. Stepping a
// statement row by row costs a wasm↔JS crossing and a blob copy per row, which for a common word
// (8,000 rows at 10,000 documents) was most of a search's time.
import type { Database as SqlDatabase } from 'sql.js';
import { FTS_COLUMNS } from './corpusStats';

export interface PhraseHits {
  /** Matching rows (documents.id), in index order. */
  ids: number[];
  /** tf[i * FTS_COLUMNS + c]: hits of the phrase in column c of row ids[i]. */
  tf: Uint32Array;
}

// LIMIT -1 keeps the subquery from being flattened into the aggregate (matchinfo() cannot run
// inside one).
const SQL = `SELECT group_concat(h, ' ') FROM (
  SELECT docid || ' ' || hex(matchinfo(documents_fts, 'y')) AS h
  FROM documents_fts WHERE documents_fts MATCH ? LIMIT -1)`;

const hex = (c: number): number => (c <= 57 ? c - 48 : c - 55);

/** One little-endian uint32 from 8 upper-case hex digits at `at`. */
function u32At(s: string, at: number): number {
  let v = 0;
  for (let b = 3; b >= 0; b--) v = v * 256 + ((hex(s.charCodeAt(at + 2 * b)) << 4) | hex(s.charCodeAt(at + 2 * b + 1)));
  return v;
}

/** The rows matching `phrase` (an FTS4 MATCH expression of one quoted phrase). */
export function phraseHits(db: SqlDatabase, phrase: string): PhraseHits {
  const list = db.exec(SQL, [phrase])[0]?.values[0]?.[0];
  const ids: number[] = [];
  const tf: number[] = [];
  if (typeof list !== 'string') return { ids, tf: new Uint32Array() };
  const columns = FTS_COLUMNS; // a local: module bindings cost a getter call per access under tsx
  const width = 8 * columns; // one phrase × the columns, 4 bytes each, 2 hex digits a byte
  for (let i = 0; i < list.length; ) {
    let id = 0;
    let at = i;
    for (let c = list.charCodeAt(at); c !== 32; c = list.charCodeAt(++at)) id = id * 10 + (c - 48);
    ids.push(id);
    for (let c = 0; c < columns; c++) tf.push(u32At(list, at + 1 + 8 * c));
    i = at + 1 + width + 1;
  }
  return { ids, tf: Uint32Array.from(tf) };
}
