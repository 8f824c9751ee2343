// Full-text search over the stored documents (api.md §6): one literal phrase matched by FTS4,
// ranked by BM25 from matchinfo, filtered, paged, with escaped and marked snippets. Before
// answering, the index is brought up to date: created when missing, the queue drained when it lags,
// rebuilt when its size disagrees with the documents table or it cannot be read.
import type { Database as SqlDatabase, SqlValue } from 'sql.js';
import { statusFilter } from '../documents';
import type { SearchPage, SearchQuery } from '../engine-api';
import { isLensError } from '../errors';
import { indexPending, pendingCount } from '../store/ftsIndex';
import { hasFtsTable, rebuildFts } from '../store/schema';
import type { SearchResultItem } from '../types';
import { validateSearchQuery, type ValidSearchQuery } from './query';
import { bm25, MATCHINFO_FORMAT, roundScore } from './rank';
import { makeSnippet } from './snippet';
import { ftsPhrase, tokenize } from './tokenize';

/** The part of the Store that search needs. */
export interface SearchStore {
  readonly connection: SqlDatabase;
  /** One in-memory transaction (no lock, no write): the index is derived data. */
  applyInMemory<T>(fn: (db: SqlDatabase) => T): T;
}

/** Why the index had to be repaired before a search could answer. */
export type IndexRepair = 'missing' | 'lagging' | 'stale' | 'unreadable';

interface Match {
  id: number;
  score: number;
}

function scalar(db: SqlDatabase, sql: string): number {
  return Number(db.exec(sql)[0]?.values[0]?.[0] ?? 0);
}

/** Drops the index and builds it again from the documents table. */
function rebuildFromScratch(db: SqlDatabase): void {
  db.exec('DROP TABLE IF EXISTS documents_fts');
  rebuildFts(db);
}

export class SearchIndex {
  constructor(
    private readonly store: SearchStore,
    /** Told after the in-memory index was repaired, so the caller can save it. */
    private readonly onRepaired: (why: IndexRepair) => void = () => undefined,
  ) {}

  search(query: SearchQuery): SearchPage {
    const v = validateSearchQuery(query);
    const empty: SearchPage = { items: [], total: 0, query: v.q, page: v.page, per_page: v.per_page };
    const phrase = ftsPhrase(v.q);
    if (!phrase) return empty;
    let matches: Match[];
    try {
      this.ensureFresh();
      matches = this.match(phrase, v);
    } catch (e) {
      if (isLensError(e)) throw e;
      // A damaged index (e.g. a shadow table gone): build it again, then ask once more.
      this.store.applyInMemory(rebuildFromScratch);
      this.onRepaired('unreadable');
      matches = this.match(phrase, v);
    }
    matches.sort((a, b) => b.score - a.score || a.id - b.id); // ties: the older row first, stable across pages
    const pageOf = matches.slice((v.page - 1) * v.per_page, v.page * v.per_page);
    if (!pageOf.length) return { ...empty, total: matches.length };
    const words = tokenize(v.q).map((t) => t.norm);
    return { ...empty, total: matches.length, items: this.items(pageOf, words) };
  }

  /** Brings the index up to date with the documents table (in memory; the caller persists). */
  private ensureFresh(): void {
    const db = this.store.connection;
    if (!hasFtsTable(db)) {
      this.store.applyInMemory(rebuildFts);
      this.onRepaired('missing');
      return;
    }
    if (pendingCount(db) > 0) {
      this.store.applyInMemory((d) => indexPending(d, Infinity));
      this.onRepaired('lagging');
    }
    // Every document not queued has exactly one docsize row; any other count means a stale index.
    if (scalar(db, 'SELECT count(*) FROM documents_fts_docsize') !== scalar(db, 'SELECT count(*) FROM documents')) {
      this.store.applyInMemory(rebuildFts);
      this.onRepaired('stale');
    }
  }

  private match(phrase: string, v: ValidSearchQuery): Match[] {
    const where = ['documents_fts MATCH ?'];
    const params: SqlValue[] = [phrase];
    if (v.project !== undefined) {
      where.push('d.project_id = (SELECT id FROM projects WHERE slug = ?)');
      params.push(v.project);
    }
    if (v.type !== undefined) {
      where.push('d.doc_type = ?');
      params.push(v.type);
    }
    if (v.status !== undefined) {
      const f = statusFilter(v.status, 'd.status');
      where.push(f.sql);
      params.push(...f.params);
    }
    // Unfiltered, the index alone answers. Filtered, CROSS JOIN keeps the full-text match as the
    // outer loop (never one FTS query per document).
    const join = where.length > 1 ? 'CROSS JOIN documents d ON d.id = documents_fts.docid' : '';
    const stmt = this.store.connection.prepare(
      `SELECT documents_fts.docid, matchinfo(documents_fts, '${MATCHINFO_FORMAT}')
       FROM documents_fts ${join} WHERE ${where.join(' AND ')}`,
    );
    try {
      stmt.bind(params);
      const out: Match[] = [];
      while (stmt.step()) {
        const [id, mi] = stmt.get();
        out.push({ id: Number(id), score: bm25(mi as Uint8Array) });
      }
      return out;
    } finally {
      stmt.free();
    }
  }

  private items(page: Match[], words: string[]): SearchResultItem[] {
    const stmt = this.store.connection.prepare(
      `SELECT d.doc_id, d.doc_type, d.title, d.status, d.content, p.slug, p.name
       FROM documents d JOIN projects p ON p.id = d.project_id WHERE d.id = ?`,
    );
    try {
      return page.map((m) => {
        stmt.bind([m.id]);
        stmt.step();
        const [docId, type, title, status, content, slug, name] = stmt.get();
        stmt.reset();
        return {
          doc_id: String(docId),
          type: String(type),
          title: String(title),
          project_slug: String(slug),
          project_name: String(name),
          status: status === null ? null : String(status),
          snippet: makeSnippet(String(content ?? ''), words),
          score: roundScore(m.score),
        };
      });
    } finally {
      stmt.free();
    }
  }
}
