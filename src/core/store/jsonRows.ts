// A query's rows as one value: `SELECT json_group_array(json_array(a, b, …)) …` hands SQLite's
// rows over as one JSON text, one call across sql.js's wasm boundary instead of one a column of
// every row (and no object a row built by sql.js's getAsObject).
import type { SqlValue } from 'sql.js';

/** The rows of a `json_group_array(json_array(…))` value; none for NULL or no value. */
export function jsonRows<T extends unknown[] = SqlValue[]>(value: SqlValue | undefined): T[] {
  return typeof value === 'string' ? (JSON.parse(value) as T[]) : [];
}
