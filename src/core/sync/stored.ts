// What a run needs to know of a project's stored rows (sync.md §6), read with as few cells as
// possible: an unchanged re-sync of tens of thousands of documents reads only each row's id, path,
// stat key and whether its derivation is current. Hashes are read only for the files that were read.
import type { Database as SqlDatabase, SqlValue } from 'sql.js';
import { idHead, PARSER_EPOCH } from '../parse';
import { nextTurn } from '../nextTurn';
import { jsonRows } from '../store/jsonRows';

export interface StoredRow {
  id: number;
  /** `size:mtimeNs:ino` of the file the row was read from; null when none is stored */
  statKey: string | null;
  /** derived by this parser and vocabulary: unchanged bytes may be skipped (sync.md §6) */
  current: boolean;
}

/** Per row: id, path, stat key, derivation current, doc_id when there is no ref_id. All in index documents_sync (migration 5). */
const STORED_COLUMNS = `id, file_path, file_size || ':' || file_mtime_ns || ':' || file_ino,
  parser_epoch = ? AND vocab_fingerprint = ?, CASE WHEN ref_id IS NULL THEN doc_id END`;

/**
 * A page of a project's stored rows, in path order, as one JSON array, and the page's last path
 * (params: parser epoch, vocabulary fingerprint, project id, the previous page's last path or '',
 * the page size).
 */
export const STORED_ROWS_SQL = `SELECT json_group_array(json_array(id, file_path, stat, current, did)), max(file_path)
  FROM (SELECT id, file_path, file_size || ':' || file_mtime_ns || ':' || file_ino AS stat,
          parser_epoch = ? AND vocab_fingerprint = ? AS current, CASE WHEN ref_id IS NULL THEN doc_id END AS did
        FROM documents WHERE project_id = ? AND file_path > ? ORDER BY file_path LIMIT ?)`;

/**
 * Rows a page of STORED_ROWS_SQL holds: read in one piece, 50k rows held the engine's thread
 * 104-122 ms at the start of every full sync (SQLite building the text, then JSON.parse).
 */
const STORED_PAGE = 10_000;

/**
 * relative path → stored row, for every document of the project; with `scope` (hinted paths, see
 * hints.ts), only the rows at those paths or under them (read through the (project, path) index).
 */
export async function storedRows(
  db: SqlDatabase,
  projectId: number,
  fingerprint: string,
  scope?: readonly string[],
  page = STORED_PAGE,
): Promise<Map<string, StoredRow>> {
  const rows = new Map<string, StoredRow>();
  const each = (r: SqlValue[]): void => {
    // a row without a ref_id is current only if its id has no known prefix to derive one from
    const current = r[3] === 1 && (r[4] === null || idHead(String(r[4])) === null);
    rows.set(String(r[1]), { id: Number(r[0]), statKey: r[2] === null ? null : String(r[2]), current });
  };
  const select = `SELECT ${STORED_COLUMNS} FROM documents WHERE project_id = ?`;
  if (!scope) {
    // Pages of rows as JSON text: one call across the wasm boundary a page instead of five a row;
    // a turn of the event loop between two pages
    for (let after = ''; ; ) {
      const [json, last] = db.exec(STORED_ROWS_SQL, [PARSER_EPOCH, fingerprint, projectId, after, page])[0]?.values[0] ?? [];
      const read = jsonRows(json);
      for (const r of read) each(r);
      if (read.length < page || typeof last !== 'string') return rows;
      after = last;
      await nextTurn();
    }
  }
  // the path itself, or one in [hint + '/', hint + '0'): '0' is the character after '/'
  const stmt = db.prepare(`${select} AND (file_path = ? OR (file_path > ? AND file_path < ?))`);
  try {
    for (const hint of scope) {
      stmt.bind([PARSER_EPOCH, fingerprint, projectId, hint, `${hint}/`, `${hint}0`]);
      while (stmt.step()) each(stmt.get());
      stmt.reset();
    }
  } finally {
    stmt.free();
  }
  return rows;
}

/** Below this many, hashes are looked up by id; above, the project's rows are read in id order, wanted or not. */
const BULK_HASHES = 64;

/**
 * Rows one statement reads (then a turn of the event loop). file_hash sits after the content in
 * each row, so reading it walks the content's overflow pages: the project's hashes read at once (as
 * this did for more than 64 files re-read, e.g. after a checkout touched them) held the engine
 * thread 265-316 ms at 50k documents; ~12 ms a page.
 */
const HASH_PAGE = 2000;

/** id → stored file hash, for the given row ids (of one project). */
export async function storedHashes(db: SqlDatabase, projectId: number, ids: number[], page = HASH_PAGE): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  /** Runs `sql` (id, file_hash rows) as one JSON array; keeps the rows `keep` allows; returns the last id read, or -1. */
  const read = (sql: string, params: SqlValue[], keep: (id: number) => boolean): number => {
    const json = db.exec(`SELECT json_group_array(json_array(id, file_hash)) FROM (${sql})`, params)[0]?.values[0]?.[0];
    const rows = jsonRows<[number, string]>(json);
    for (const [id, hash] of rows) if (keep(id)) out.set(Number(id), String(hash));
    return rows.length ? Number(rows[rows.length - 1][0]) : -1;
  };
  if (ids.length <= BULK_HASHES) {
    if (ids.length) read('SELECT id, file_hash FROM documents WHERE id IN (SELECT value FROM json_each(?)) AND project_id = ?', [JSON.stringify(ids), projectId], () => true);
    return out;
  }
  const wanted = new Set(ids);
  for (let after = -1; ; ) {
    after = read('SELECT id, file_hash FROM documents NOT INDEXED WHERE id > ? AND project_id = ? ORDER BY id LIMIT ?', [after, projectId, page], (id) => wanted.has(id));
    if (after < 0) return out;
    await nextTurn();
  }
}
