// The index-wide numbers BM25 needs, read once per state of the database instead of once per
// matching row: FTS4's matchinfo 'n', 'a' and 'l' (rows, average tokens per column, each row's
// tokens per column) come from the same shadow tables FTS4 reads them from (documents_fts_stat and
// documents_fts_docsize), decoded the way FTS4 decodes them, so scores are bit-identical to
// bm25(matchinfo 'pcnalx'). Per search only the phrase hits per row (matchinfo 'y') are read.
import type { Database as SqlDatabase } from 'sql.js';

/** Columns of documents_fts (schema.ts): title, content. */
export const FTS_COLUMNS = 2;

export interface CorpusStats {
  /** Rows in the index (matchinfo 'n'). */
  rows: number;
  /** Average tokens per column, rounded as FTS4 rounds them (matchinfo 'a'). */
  avg: number[];
  /**
   * Row lengths (matchinfo 'l'): column `c` of row `docid` holds lengths[slotOf(docid) * FTS_COLUMNS + c]
   * tokens; slotOf is -1 for a row not in the index.
   */
  lengths: Uint32Array;
  slotOf(docid: number): number;
}

/** FTS3/4 varints: little-endian base 128, high bit = more bytes follow. */
function readVarints(bytes: Uint8Array, count: number): number[] {
  const out: number[] = [];
  let i = 0;
  while (out.length < count && i < bytes.length) {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = bytes[i++];
      v += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80 || i >= bytes.length) break;
    }
    out.push(v);
  }
  while (out.length < count) out.push(0);
  return out;
}

const hexDigit = (c: number): number => (c <= 57 ? c - 48 : c - 55); // '0'-'9', 'A'-'F' (hex() is upper case)

/** Decodes upper-case hex (SQLite's hex()) from `s[from, to)`. */
export function hexBytes(s: string, from: number, to: number): Uint8Array {
  const out = new Uint8Array((to - from) >> 1);
  for (let i = 0; i < out.length; i++) out[i] = (hexDigit(s.charCodeAt(from + 2 * i)) << 4) | hexDigit(s.charCodeAt(from + 2 * i + 1));
  return out;
}

/**
 * Reads the statistics of the whole index. One round trip per table: the docsize rows arrive as a
 * single `docid hex docid hex …` string (crossing from sql.js's wasm once per row costs more than
 * everything else here).
 */
export function loadCorpusStats(db: SqlDatabase): CorpusStats {
  const stat = db.exec('SELECT value FROM documents_fts_stat WHERE id = 0')[0]?.values[0]?.[0];
  const totals = readVarints(stat instanceof Uint8Array ? stat : new Uint8Array(), 1 + FTS_COLUMNS);
  const rows = totals[0];
  // FTS4 (fts3_snippet.c, FTS3_MATCHINFO_AVGLENGTH): (tokens + rows/2) / rows in 32-bit integers.
  const avg = totals.slice(1).map((t) => (rows ? Math.floor(((t >>> 0) + Math.floor(rows / 2)) / rows) >>> 0 : 0));

  const list = String(db.exec("SELECT group_concat(docid || ' ' || hex(size), ' ') FROM documents_fts_docsize")[0]?.values[0]?.[0] ?? '');
  const docids: number[] = [];
  const lengths: number[] = [];
  for (let i = 0; i < list.length; ) {
    const space = list.indexOf(' ', i);
    let end = list.indexOf(' ', space + 1);
    if (end === -1) end = list.length;
    docids.push(Number(list.slice(i, space)));
    lengths.push(...readVarints(hexBytes(list, space + 1, end), FTS_COLUMNS));
    i = end + 1;
  }
  return { rows, avg, lengths: Uint32Array.from(lengths), slotOf: slotTable(docids) };
}

/** docid → position in the order read: a direct table while the ids are dense, else a Map. */
function slotTable(docids: number[]): (docid: number) => number {
  const max = docids.reduce((a, b) => Math.max(a, b), 0);
  if (max <= 4 * docids.length + 1024) {
    const table = new Int32Array(max + 1).fill(-1);
    docids.forEach((d, i) => (table[d] = i));
    return (docid) => (docid >= 0 && docid <= max ? table[docid] : -1);
  }
  const map = new Map(docids.map((d, i) => [d, i]));
  return (docid) => map.get(docid) ?? -1;
}
