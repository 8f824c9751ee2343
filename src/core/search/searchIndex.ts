// Full-text search over the stored documents (api.md §6): one literal phrase matched by FTS4,
// ranked by BM25, filtered, paged, with escaped and marked snippets. Before answering, the index is
// brought up to date: created when missing, the queue drained when it lags, rebuilt when its size
// disagrees with the documents table or it cannot be read. Those checks, and the index-wide BM25
// statistics, are redone only when the database changed since the last search (freshness.ts).
import type { Database as SqlDatabase, SqlValue } from 'sql.js';
import { statusFilter } from '../documents';
import type { SearchPage, SearchQuery } from '../engine-api';
import { isLensError } from '../errors';
import { indexPending, pendingCount } from '../store/ftsIndex';
import { hasFtsTable, rebuildFts } from '../store/schema';
import type { SearchResultItem } from '../types';
import { FTS_COLUMNS, loadCorpusStats, type CorpusStats } from './corpusStats';
import { StateKey, type Generation } from './freshness';
import { phraseHits } from './phraseHits';
import { validateSearchQuery, type ValidSearchQuery } from './query';
import { COLUMN_WEIGHTS, columnIdf, columnTerm, roundScore } from './rank';
import { makeSnippet } from './snippet';
import { ftsPhrase, tokenize } from './tokenize';

/** The part of the Store that search needs. */
export interface SearchStore {
  readonly connection: SqlDatabase;
  /** One in-memory transaction (no lock, no write): the index is derived data. */
  applyInMemory<T>(fn: (db: SqlDatabase) => T): T;
  /** What the store has applied; changes with every write and fold (Store.generation). */
  readonly generation?: Generation;
}

/** Why the index had to be repaired before a search could answer. */
export type IndexRepair = 'missing' | 'lagging' | 'stale' | 'unreadable';

/** Up to this many matches, a filter looks their rows up by id instead of listing its own rows. */
const FEW_MATCHES = 1000;

/** The matching rows that pass the filters, with their scores (parallel arrays). */
interface Scored {
  ids: number[];
  scores: Float64Array;
}

function scalar(db: SqlDatabase, sql: string): number {
  return Number(db.exec(sql)[0]?.values[0]?.[0] ?? 0);
}

/** Drops the index and builds it again from the documents table. */
function rebuildFromScratch(db: SqlDatabase): void {
  db.exec('DROP TABLE IF EXISTS documents_fts');
  rebuildFts(db);
}

/** Best first: higher score, then the older row (stable across pages). */
const before = (s: Scored, a: number, b: number): boolean =>
  s.scores[a] > s.scores[b] || (s.scores[a] === s.scores[b] && s.ids[a] < s.ids[b]);

/** Indexes into `s` of its best `k` rows, best first. A bounded insertion for a first page. */
export function topK(s: Scored, k: number): number[] {
  const n = s.ids.length;
  if (k * 4 >= n || k > 256) {
    const all = Array.from({ length: n }, (_, i) => i);
    return all.sort((a, b) => s.scores[b] - s.scores[a] || s.ids[a] - s.ids[b]).slice(0, k);
  }
  const best: number[] = [];
  for (let i = 0; i < n; i++) {
    if (best.length === k && !before(s, i, best[k - 1])) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(s, best[mid], i)) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, i);
    if (best.length > k) best.pop();
  }
  return best;
}

export class SearchIndex {
  /** The state in which the index was last found sound, and the statistics read in it. */
  private readonly checked = new StateKey();
  private stats: CorpusStats | null = null;
  /** Rows each filter keeps, in the state `checked` names (a search within one project repeats it). */
  private readonly filterRows = new Map<string, Set<number>>();

  constructor(
    private readonly store: SearchStore,
    /** Told after the in-memory index was repaired, so the caller can save it. */
    private readonly onRepaired: (why: IndexRepair) => void = () => undefined,
    /** Up to this many matches, a filter looks their rows up by id (tests set 0 to use the other way). */
    private readonly fewMatches = FEW_MATCHES,
  ) {}

  search(query: SearchQuery): SearchPage {
    const v = validateSearchQuery(query);
    const empty: SearchPage = { items: [], total: 0, query: v.q, page: v.page, per_page: v.per_page };
    const phrase = ftsPhrase(v.q);
    if (!phrase) return empty;
    let scored: Scored;
    try {
      scored = this.match(phrase, v);
    } catch (e) {
      if (isLensError(e)) throw e;
      // A damaged index (e.g. a shadow table gone): build it again, then ask once more.
      this.checked.forget();
      this.store.applyInMemory(rebuildFromScratch);
      this.onRepaired('unreadable');
      scored = this.match(phrase, v);
    }
    const total = scored.ids.length;
    const first = (v.page - 1) * v.per_page;
    if (first >= total) return { ...empty, total };
    const order = topK(scored, Math.min(total, first + v.per_page)).slice(first);
    const words = tokenize(v.q).map((t) => t.norm);
    return { ...empty, total, items: this.items(order.map((i) => ({ id: scored.ids[i], score: scored.scores[i] })), words) };
  }

  /** Brings the index up to date with the documents table (in memory; the caller persists). */
  private ensureFresh(db: SqlDatabase): void {
    const generation = this.store.generation;
    if (this.checked.same(db, generation)) return;
    this.stats = null;
    this.filterRows.clear();
    if (!hasFtsTable(db)) {
      this.store.applyInMemory(rebuildFts);
      this.onRepaired('missing');
    } else {
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
    this.stats = loadCorpusStats(db);
    this.checked.remember(db, generation);
  }

  /** Every matching row that passes the filters, scored with BM25 over the whole index. */
  private match(phrase: string, v: ValidSearchQuery): Scored {
    const db = this.store.connection;
    this.ensureFresh(db);
    const stats = this.stats!;
    const hits = phraseHits(db, phrase);
    // df per column: rows with a hit in that column, over the whole index (matchinfo 'x'), whatever
    // the filters keep.
    const df = new Array<number>(FTS_COLUMNS).fill(0);
    for (let i = 0; i < hits.ids.length; i++) for (let c = 0; c < FTS_COLUMNS; c++) if (hits.tf[i * FTS_COLUMNS + c]) df[c]++;
    const allowed = hits.ids.length ? this.filtered(db, v, hits.ids) : null;
    const { rows, avg, lengths, slotOf } = stats;
    const term = columnTerm; // a local: module bindings cost a getter call per access under tsx
    const weighted = df.map((d, c) => (COLUMN_WEIGHTS[c] ?? 1) * columnIdf(d, rows)); // weight × idf per column
    const ids: number[] = [];
    const scores: number[] = [];
    for (let i = 0; i < hits.ids.length; i++) {
      const id = hits.ids[i];
      if (allowed && !allowed.has(id)) continue;
      const slot = slotOf(id) * FTS_COLUMNS;
      let score = 0;
      for (let c = 0; c < FTS_COLUMNS; c++) {
        const tf = hits.tf[i * FTS_COLUMNS + c];
        if (!tf || !weighted[c]) continue;
        score += term(weighted[c], tf, avg[c], slot < 0 ? 0 : lengths[slot + c]);
      }
      ids.push(id);
      scores.push(score);
    }
    return { ids, scores: Float64Array.from(scores) };
  }

  /**
   * Which of the matching `ids` the project, type and status filters keep, or null when there is no
   * filter. Few matches are looked up by id; many are intersected with the filter's own rows.
   */
  private filtered(db: SqlDatabase, v: ValidSearchQuery, ids: number[]): Set<number> | null {
    const where: string[] = [];
    const params: SqlValue[] = [];
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
    if (!where.length) return null;
    const rows = (extra: string): Set<number> => {
      const list = db.exec(`SELECT group_concat(d.id) FROM documents d WHERE ${where.join(' AND ')}${extra}`, params)[0]?.values[0]?.[0];
      return new Set(typeof list === 'string' || typeof list === 'number' ? String(list).split(',').map(Number) : []);
    };
    const key = JSON.stringify([v.project, v.type, v.status]);
    const known = this.filterRows.get(key);
    if (known) return known;
    if (ids.length <= this.fewMatches) return rows(` AND d.id IN (${ids.join(',')})`); // integers parsed from the index
    if (this.filterRows.size >= 16) this.filterRows.clear();
    const all = rows('');
    this.filterRows.set(key, all);
    return all;
  }

  private items(page: { id: number; score: number }[], words: string[]): SearchResultItem[] {
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
