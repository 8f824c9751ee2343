// What a document's relations (DocumentQueries.related: parents, children, depends-on, dependents)
// are read from: one project's link columns, read in one statement and memoised per store
// generation, as the health check's inputs are (health/inputs.ts). The relations were four to six
// statements a document, each but one a scan of the project's rows (`aliases LIKE`, `depends_on
// LIKE`, `epic = ?` have no index): ~40-50 ms a call at 10k documents, the agent tool sdlc_related's
// whole cost. The lookups here answer exactly what those statements answered, with SQLite's own
// rules: `=` compares text as it is, LIKE folds ASCII letters only and reads `%` and `_` as wildcards
// (a reference holding one is looked up in SQL), ORDER BY compares text byte by byte (UTF-8).
import type { SqlValue } from 'sql.js';
import type { Store } from './store/database';
import { jsonRows } from './store/jsonRows';

export interface LinkRow {
  id: number;
  doc_id: string;
  doc_type: string;
  title: string;
  status: string | null;
  epic: string | null;
  story: string | null;
  file_path: string;
}

interface Graph {
  logId: number;
  seq: number;
  byRef: Map<string, LinkRow[]>;
  byEpic: Map<string, LinkRow[]>;
  byStory: Map<string, LinkRow[]>;
  /** the rows with aliases, and those with depends-on, each with its column's ASCII-lowercased text */
  aliased: { row: LinkRow; text: string }[];
  depending: { row: LinkRow; text: string }[];
}

/** Projects remembered per store (the most recently asked). */
const KEPT_PROJECTS = 2;

const graphs = new WeakMap<Store, Map<number, Graph>>();

/** A LinkRow's columns, in linkRowOf's order. */
const ROW_COLUMNS = 'id, doc_id, doc_type, title, status, epic, story, file_path';
const LINK_SQL = `SELECT json_group_array(json_array(${ROW_COLUMNS}, ref_id, aliases, depends_on)) AS links FROM documents WHERE project_id = ?`;

const textOrNull = (v: SqlValue): string | null => (v === null ? null : String(v));

/** A row of ROW_COLUMNS' values. */
const linkRowOf = (r: SqlValue[]): LinkRow => ({
  id: Number(r[0]),
  doc_id: String(r[1]),
  doc_type: String(r[2]),
  title: String(r[3]),
  status: textOrNull(r[4]),
  epic: textOrNull(r[5]),
  story: textOrNull(r[6]),
  file_path: String(r[7]),
});

/** SQLite's LIKE folds only A-Z. */
const asciiLower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** SQLite's BINARY order of UTF-8 text: code point order (UTF-16 units differ past the surrogates). */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1; // a surrogate (a code point past U+FFFF) sorts after any other unit
    return x - y;
  }
  return a.length - b.length;
}

const byTypeThenId = (a: LinkRow, b: LinkRow): number => compareText(a.doc_type, b.doc_type) || compareText(a.doc_id, b.doc_id);

function push<K>(map: Map<K, LinkRow[]>, key: K, row: LinkRow): void {
  const list = map.get(key);
  if (list) list.push(row);
  else map.set(key, [row]);
}

function build(store: Store, projectId: number, logId: number, seq: number): Graph {
  const links = store.get(LINK_SQL, [projectId])?.links;
  const raw = jsonRows(links);
  const g: Graph = { logId, seq, byRef: new Map(), byEpic: new Map(), byStory: new Map(), aliased: [], depending: [] };
  for (const r of raw) {
    const row = linkRowOf(r);
    if (r[8] !== null) push(g.byRef, String(r[8]), row);
    if (row.epic !== null) push(g.byEpic, row.epic, row);
    if (row.story !== null) push(g.byStory, row.story, row);
    if (r[9] !== null) g.aliased.push({ row, text: asciiLower(String(r[9])) });
    if (r[10] !== null) g.depending.push({ row, text: asciiLower(String(r[10])) });
  }
  return g;
}

/** A LIKE pattern `%"ref"%` matches text holding `"ref"`, ASCII letters folded; false when `ref` holds a wildcard (the caller asks SQL). */
const likeSafe = (ref: string): boolean => !/[%_]/.test(ref);

export class LinkGraph {
  private constructor(
    private readonly g: Graph,
    private readonly store: Store,
    private readonly projectId: number,
  ) {}

  /** The project's graph as of the store's current state (read again after any change). */
  static of(store: Store, projectId: number): LinkGraph {
    const { logId, seq } = store.generation;
    let kept = graphs.get(store);
    if (!kept) graphs.set(store, (kept = new Map()));
    let g = kept.get(projectId);
    kept.delete(projectId); // re-inserted: Map order = least recently used first
    if (!g || g.logId !== logId || g.seq !== seq) g = build(store, projectId, logId, seq);
    kept.set(projectId, g);
    for (const oldest of kept.keys()) {
      if (kept.size <= KEPT_PROJECTS) break;
      kept.delete(oldest);
    }
    return new LinkGraph(g, store, projectId);
  }

  /** `ref_id = ref OR aliases LIKE '%"ref"%'`, the first by file path; undefined when none. */
  resolve(ref: string): LinkRow | undefined {
    if (!likeSafe(ref)) return this.sqlRow(`(ref_id = ? OR aliases LIKE ?) ORDER BY file_path LIMIT 1`, [ref, `%"${ref}"%`])[0];
    let best: LinkRow | undefined;
    const better = (r: LinkRow) => {
      if (!best || compareText(r.file_path, best.file_path) < 0) best = r;
    };
    for (const r of this.g.byRef.get(ref) ?? []) better(r);
    const needle = asciiLower(`"${ref}"`);
    for (const a of this.g.aliased) if (a.text.includes(needle)) better(a.row);
    return best;
  }

  /** `epic = ref AND story IS NULL`, or `story = ref` (`of` says which), but `self`; by type, then id. */
  children(of: 'epic' | 'story', ref: string, self: number): LinkRow[] {
    const rows = (of === 'epic' ? this.g.byEpic.get(ref) ?? [] : this.g.byStory.get(ref) ?? []).filter((r) => r.id !== self && (of === 'story' || r.story === null));
    return rows.sort(byTypeThenId);
  }

  /** `depends_on LIKE '%"ref"%'`, but `self`; by type, then id. */
  dependents(ref: string, self: number): LinkRow[] {
    if (!likeSafe(ref)) return this.sqlRow(`depends_on LIKE ? AND id != ? ORDER BY doc_type, doc_id`, [`%"${ref}"%`, self]);
    const needle = asciiLower(`"${ref}"`);
    return this.g.depending.filter((d) => d.row.id !== self && d.text.includes(needle)).map((d) => d.row).sort(byTypeThenId);
  }

  private sqlRow(where: string, params: SqlValue[]): LinkRow[] {
    const sql = `SELECT ${ROW_COLUMNS} FROM documents WHERE project_id = ? AND ${where}`;
    return (this.store.connection.exec(sql, [this.projectId, ...params])[0]?.values ?? []).map(linkRowOf);
  }
}
