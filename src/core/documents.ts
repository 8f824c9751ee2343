// Document queries over the store (api.md §5): list with filters and paging, detail, relationships.
import type { SqlValue } from 'sql.js';
import type { DocumentPage, DocumentQuery, DocumentSummary } from './engine-api';
import { LensError } from './errors';
import { LinkGraph, type LinkRow } from './linkGraph';
import { idHead, normId } from './parse';
import type { Store } from './store/database';
import { jsonRows } from './store/jsonRows';
import { HEALTH_INDEX } from './health/queries';
import type { DocumentDetail, DocumentListItem, RelatedDocumentItem, RelatedDocuments } from './types';

type Row = Record<string, SqlValue>;

const LIST_COLUMNS = `doc_id, doc_type, title, status, owner, priority, story_points, epic, story, synced_at`;
const DETAIL_COLUMNS = `${LIST_COLUMNS}, depends_on, aliases, metadata, file_path, file_hash, ref_id`;
/** A DocumentSummary's columns, in the order summaries() reads them. */
const SUMMARY_COLUMNS = `${LIST_COLUMNS}, file_path, ref_id, CASE WHEN json_valid(metadata) THEN json(metadata) END`;

/**
 * A lookup by (project, type, doc_id) names its index: the planner (no ANALYZE statistics) took a
 * covering index that yields the rows in file-path order and scanned the whole project with it, to
 * spare the sort of the one or two rows found (4-26 ms a lookup at 10k documents, 0.1 ms by index).
 */
export const BY_TYPE_AND_ID = 'INDEXED BY documents_by_type';

/**
 * A lookup by ref_id across projects, driven from the projects: the index is (project_id, ref_id),
 * so joined the other way SQLite read every document's row (~16 ms at 10k documents, a hover's or a
 * link's resolve), and 0.04 ms through the index.
 */
export const BY_REF_ACROSS_PROJECTS = 'FROM projects p CROSS JOIN documents d INDEXED BY documents_by_ref ON d.project_id = p.id';

const SORT_COLUMNS: Record<NonNullable<DocumentQuery['sort']>, string> = {
  title: 'title',
  type: 'doc_type',
  status: 'status',
  updated_at: 'synced_at',
};

const str = (v: SqlValue | undefined): string | null => (v === null || v === undefined ? null : String(v));
/** A stored JSON column; a malformed value degrades to null for that row only (BG-01KX95AZ). */
const json = <T>(v: SqlValue | undefined): T | null => {
  if (typeof v !== 'string') return null;
  try {
    return JSON.parse(v) as T;
  } catch {
    return null;
  }
};
/** A stored JSON list of strings; anything else degrades to null. */
const jsonList = (v: SqlValue | undefined): string[] | null => {
  const parsed = json<unknown>(v);
  return Array.isArray(parsed) ? parsed.map(String) : null;
};

/** A list item from LIST_COLUMNS' values, in their order. */
function listItemOf(r: readonly SqlValue[]): DocumentListItem {
  return {
    doc_id: String(r[0]),
    type: String(r[1]),
    title: String(r[2]),
    status: str(r[3]),
    owner: str(r[4]),
    priority: str(r[5]),
    story_points: r[6] === null || r[6] === undefined ? null : Number(r[6]),
    epic: str(r[7]),
    story: str(r[8]),
    updated_at: String(r[9]),
  };
}

const LIST_KEYS = LIST_COLUMNS.split(', ');
const toListItem = (r: Row): DocumentListItem => listItemOf(LIST_KEYS.map((k) => r[k]!));

function toDetail(r: Row, content: string): DocumentDetail {
  const { updated_at, ...item } = toListItem(r);
  return {
    ...item,
    depends_on: jsonList(r.depends_on),
    aliases: jsonList(r.aliases),
    metadata: json<Record<string, string>>(r.metadata),
    content,
    file_path: String(r.file_path),
    file_hash: String(r.file_hash),
    synced_at: updated_at,
  };
}

const toRelated = (r: LinkRow): RelatedDocumentItem => ({ doc_id: r.doc_id, type: r.doc_type, title: r.title, status: r.status });

/** The `status` filter of document lists and search: the literal `none` means "no status". */
export function statusFilter(status: string, column = 'status'): { sql: string; params: SqlValue[] } {
  return status === 'none' ? { sql: `${column} IS NULL`, params: [] } : { sql: `${column} = ?`, params: [status] };
}

export class DocumentQueries {
  constructor(private readonly store: Store) {}

  list(projectId: number, q: DocumentQuery = {}): DocumentPage {
    const where = ['project_id = ?'];
    const params: SqlValue[] = [projectId];
    if (q.type !== undefined) {
      where.push('doc_type = ?');
      params.push(q.type);
    }
    if (q.status !== undefined) {
      const f = statusFilter(q.status);
      where.push(f.sql);
      params.push(...f.params);
    }
    const page = Math.max(1, Math.floor(q.page ?? 1));
    const perPage = Math.min(100, Math.max(1, Math.floor(q.per_page ?? 50)));
    const sort = SORT_COLUMNS[q.sort ?? 'updated_at'];
    const order = q.order === 'asc' ? 'ASC' : 'DESC';
    const filter = where.join(' AND ');
    const total = Number(this.store.get(`SELECT count(*) AS n FROM documents WHERE ${filter}`, params)?.n ?? 0);
    const rows = this.store.all(
      `SELECT ${LIST_COLUMNS} FROM documents WHERE ${filter}
       ORDER BY ${sort} ${order}, file_path ASC LIMIT ? OFFSET ?`,
      [...params, perPage, (page - 1) * perPage],
    );
    return { items: rows.map(toListItem), total, page, per_page: perPage, pages: Math.ceil(total / perPage) };
  }

  private findRow(projectId: number, type: string, docId: string, columns: string): Row {
    const row = this.store.get(
      `SELECT ${columns} FROM documents ${BY_TYPE_AND_ID} WHERE project_id = ? AND doc_type = ? AND doc_id = ?
       ORDER BY file_path LIMIT 1`,
      [projectId, type, docId],
    );
    if (!row) throw new LensError('NOT_FOUND', 'Document not found');
    return row;
  }

  get(projectId: number, type: string, docId: string): DocumentDetail {
    const row = this.findRow(projectId, type, docId, `${DETAIL_COLUMNS}, content`);
    return toDetail(row, String(row.content));
  }

  /**
   * file_path → ISO time of the file's mtime as the sync last read it (migration 3's stat columns,
   * read from index documents_sync only, never the rows' overflow pages). Rows without one are absent.
   */
  modifiedTimes(projectId: number): Record<string, string> {
    const out: Record<string, string> = {};
    const rows = this.store.all('SELECT file_path, file_mtime_ns FROM documents INDEXED BY documents_sync WHERE project_id = ?', [projectId]);
    for (const r of rows) {
      const ns = r.file_mtime_ns;
      if (typeof ns !== 'string' || !/^\d{1,22}$/.test(ns)) continue;
      const ms = Number(BigInt(ns) / 1_000_000n);
      if (Number.isFinite(ms) && ms > 0 && ms < 8.64e15) out[String(r.file_path)] = new Date(ms).toISOString();
    }
    return out;
  }

  /**
   * A project's documents (of one type, or at some paths), in file-path order: the tree's groups,
   * Open by Id, the board and the dashboard. Read from the health check's covering index (it holds
   * every column but ref_id and metadata, which come before the content in the row) as one JSON
   * array: read from the table, `synced_at` and the row's other late columns walked each row's
   * overflow pages, and sql.js built an object a row (the 14,795 stories of 50k: 460 -> 127 ms).
   */
  summaries(projectId: number, type?: string, paths?: readonly string[]): DocumentSummary[] {
    const byType = type === undefined ? '' : ' AND doc_type = ?';
    const params: SqlValue[] = type === undefined ? [projectId] : [projectId, type];
    const byPath = paths ? ` AND file_path IN (${paths.map(() => '?').join(', ')})` : '';
    if (paths) params.push(...paths);
    const rows = jsonRows(
      this.store.get(
        `SELECT json_group_array(json_array(${SUMMARY_COLUMNS}) ORDER BY file_path) AS j
           FROM documents INDEXED BY ${HEALTH_INDEX} WHERE project_id = ?${byType}${byPath}`,
        params,
      )?.j,
    );
    return rows.map((r) => {
      // the list item gains the rest in place (a spread into a new object cost ~50 % of the read)
      const d = listItemOf(r) as DocumentSummary;
      d.file_path = String(r[10]);
      d.ref_id = str(r[11]);
      d.metadata = (r[12] ?? null) as Record<string, string> | null; // parsed with the rest (a malformed value: null)
      return d;
    });
  }

  exportAll(projectId: number): Omit<DocumentDetail, 'content'>[] {
    return this.store
      .all(`SELECT ${DETAIL_COLUMNS} FROM documents WHERE project_id = ? ORDER BY file_path`, [projectId])
      .map((r) => {
        const { content: _content, ...rest } = toDetail(r, '');
        return rest;
      });
  }

  /** How many documents of each type a project has (one grouped query, for the tree's group rows). */
  typeCounts(projectId: number): { type: string; count: number }[] {
    return this.store
      .all('SELECT doc_type, count(*) AS n FROM documents WHERE project_id = ? GROUP BY doc_type', [projectId])
      .map((r) => ({ type: String(r.doc_type), count: Number(r.n) }));
  }

  byPath(projectId: number, filePath: string): Row | undefined {
    return this.store.get(`SELECT doc_type, doc_id FROM documents WHERE project_id = ? AND file_path = ?`, [
      projectId,
      filePath,
    ]);
  }

  /** documents.md §7: parents (nearest first), children, depends_on (declared order), dependents. */
  related(projectId: number, type: string, docId: string): RelatedDocuments {
    let self: Row;
    try {
      self = this.findRow(projectId, type, docId, `id, ${DETAIL_COLUMNS}`);
    } catch {
      throw new LensError('NOT_FOUND', `Document not found: ${type}/${docId}`);
    }
    const selfId = Number(self.id);
    const selfRef = str(self.ref_id) ?? normId(idHead(String(self.doc_id)));
    const links = LinkGraph.of(this.store, projectId);
    const resolve = (ref: string | null): LinkRow | undefined => {
      if (!ref) return undefined;
      const r = links.resolve(ref);
      return r && r.id !== selfId ? r : undefined;
    };

    const parents: LinkRow[] = [];
    if (self.story !== null) {
      const story = resolve(str(self.story));
      if (story) {
        parents.push(story);
        const epic = resolve(story.epic);
        if (epic && epic.id !== story.id) parents.push(epic);
      }
    } else if (self.epic !== null) {
      const epic = resolve(str(self.epic));
      if (epic) parents.push(epic);
    }

    const children = selfRef && (self.doc_type === 'epic' || self.doc_type === 'story') ? links.children(self.doc_type, selfRef, selfId) : [];

    const seen = new Set<number>();
    const dependsOn: LinkRow[] = [];
    for (const ref of jsonList(self.depends_on) ?? []) {
      const r = resolve(ref);
      if (r && !seen.has(r.id)) {
        seen.add(r.id);
        dependsOn.push(r);
      }
    }

    const dependents = selfRef ? links.dependents(selfRef, selfId) : [];

    return {
      doc_id: String(self.doc_id),
      type: String(self.doc_type),
      title: String(self.title),
      parents: parents.map(toRelated),
      children: children.map(toRelated),
      depends_on: dependsOn.map(toRelated),
      dependents: dependents.map(toRelated),
    };
  }
}
