// Full-text search over the stored documents (api.md §6): the query language (§6.1,
// queryLanguage.ts) matched by FTS4, ranked by BM25 (title weighted, plus phrase and id bonuses),
// filtered, paged, with escaped and marked snippets. Before answering, the index is
// brought up to date: created when missing, the queue drained when it lags, rebuilt when its size
// disagrees with the documents table or it cannot be read. Those checks, and the index-wide BM25
// statistics, are redone only when the database changed since the last search (freshness.ts).
import type { Database as SqlDatabase, SqlValue } from 'sql.js';
import type { SearchPage, SearchQuery } from '../engine-api';
import { isLensError } from '../errors';
import { indexPending, pendingCount } from '../store/ftsIndex';
import { hasFtsTable, rebuildFts } from '../store/schema';
import type { SearchResultItem } from '../types';
import { FTS_COLUMNS, loadCorpusStats, type CorpusStats } from './corpusStats';
import { StateKey, type Generation } from './freshness';
import { phraseDf, phraseHits } from './phraseHits';
import { addScores, intersectScored, TermHits, type ScoredRows } from './termHits';
import { validateSearchQuery, type ValidSearchQuery } from './query';
import { filterSql } from './queryFilters';
import { bonusPhrase, ftsExpression, ftsTerm, isSearchable, parseQuery, type ParsedQuery, type QueryTerm } from './queryLanguage';
import { COLUMN_WEIGHTS, columnIdf, columnTerm, roundScore } from './rank';
import { makeSnippet } from './snippet';

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
  /** The rows are already in their final order (a filter-only query: most recently modified first). */
  ordered?: boolean;
}

/** What an exact id match adds at least, so the document with that id comes before every text match. */
const ID_BONUS = 1000;

/** The integers of a group_concat. */
function parseIds(list: SqlValue | undefined): number[] {
  return typeof list === 'string' || typeof list === 'number' ? String(list).split(',').map(Number) : [];
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
  /**
   * Per term (its MATCH phrase), the rows of the whole index with a hit per column, in the state
   * `checked` names: while the user types, every keystroke repeats the earlier words.
   */
  private readonly termDf = new Map<string, number[]>();
  /** Every term's rows with its hits per column, in the state `checked` names (termHits.ts). */
  private readonly termHits = new TermHits();
  /** Every document, most recently modified first, in the state `checked` names (recencyOrder). */
  private recency: number[] | null = null;
  /** Every document by the ids it answers to, in the state `checked` names (idRows). */
  private byId: Map<string, number[]> | null = null;

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
    const parsed = parseQuery(v.q);
    if (!isSearchable(parsed)) return empty;
    let scored: Scored;
    try {
      scored = this.match(parsed, v);
    } catch (e) {
      if (isLensError(e)) throw e;
      // A damaged index (e.g. a shadow table gone): build it again, then ask once more.
      this.checked.forget();
      this.store.applyInMemory(rebuildFromScratch);
      this.onRepaired('unreadable');
      scored = this.match(parsed, v);
    }
    const total = scored.ids.length;
    const first = (v.page - 1) * v.per_page;
    if (first >= total) return { ...empty, total };
    const order = scored.ordered
      ? Array.from({ length: Math.min(total, first + v.per_page) - first }, (_, k) => first + k)
      : topK(scored, Math.min(total, first + v.per_page)).slice(first);
    return { ...empty, total, items: this.items(order.map((i) => ({ id: scored.ids[i], score: scored.scores[i] })), parsed.terms) };
  }

  /** Brings the index up to date with the documents table (in memory; the caller persists). */
  private ensureFresh(db: SqlDatabase): void {
    const generation = this.store.generation;
    if (this.checked.same(db, generation)) return;
    this.stats = null;
    this.filterRows.clear();
    this.termDf.clear();
    this.termHits.clear();
    this.recency = null;
    this.byId = null;
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
  private match(parsed: ParsedQuery, v: ValidSearchQuery): Scored {
    const db = this.store.connection;
    this.ensureFresh(db);
    const expression = ftsExpression(parsed);
    if (expression === null) return this.byRecency(db, parsed, v);
    // exclusions stay in one MATCH (NOT needs the index); AND-ed terms are intersected from each
    // term's own scored rows, and the phrase bonus added from the phrase's
    const rows = parsed.excluded.length ? this.excludingMatch(db, parsed, expression) : this.andMatch(db, parsed);
    const allowed = this.filtered(db, v, parsed, rows.ids);
    let ids = rows.ids;
    let scores: ArrayLike<number> = rows.scores;
    if (allowed) {
      const keptIds: number[] = [];
      const kept: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        if (!allowed.has(ids[i]!)) continue;
        keptIds.push(ids[i]!);
        kept.push(scores[i]!);
      }
      ids = keptIds;
      scores = kept;
    }
    if (parsed.id !== null) return this.idFirst(db, parsed.id, v, parsed, ids, scores);
    return { ids, scores: scores instanceof Float64Array ? scores : Float64Array.from(scores) };
  }

  /** The rows holding every term, each scored with the sum of its terms' BM25 and the phrase bonus. */
  private andMatch(db: SqlDatabase, parsed: ParsedQuery): ScoredRows {
    const stats = this.stats!;
    const joined = intersectScored(parsed.terms.map((t) => this.termHits.scoredOf(db, ftsTerm(t), stats)));
    // The bonus of rows where the query's words occur as one phrase (`sync status` written so): that
    // phrase's own BM25 (a one-term query has none)
    const words = bonusPhrase(parsed);
    return words && joined.ids.length ? addScores(joined, this.termHits.scoredOf(db, ftsTerm(words), stats)) : joined;
  }

  /** A query with exclusions: one MATCH, its rows scored with BM25 per phrase and column and the phrase bonus. */
  private excludingMatch(db: SqlDatabase, parsed: ParsedQuery, expression: string): ScoredRows {
    const stats = this.stats!;
    const phrases = parsed.terms.length;
    const hits = phraseHits(db, expression, phrases);
    const scores = new Float64Array(hits.ids.length);
    if (!hits.ids.length) return { ids: hits.ids, scores };
    const { rows, avg, lengths, slotOf } = stats;
    // weight × idf per phrase and column, df over the whole index whatever the filters keep:
    // matchinfo 'x' of one row has every term's own
    const weighted = this.dfOf(db, parsed, expression).map((d, k) => (COLUMN_WEIGHTS[k % FTS_COLUMNS] ?? 1) * columnIdf(d, rows));
    const width = phrases * FTS_COLUMNS;
    for (let i = 0; i < hits.ids.length; i++) {
      const slot = slotOf(hits.ids[i]!) * FTS_COLUMNS;
      let score = 0;
      for (let k = 0; k < width; k++) {
        const tf = hits.tf[i * width + k]!;
        if (!tf || !weighted[k]) continue;
        const c = k % FTS_COLUMNS;
        score += columnTerm(weighted[k]!, tf, avg[c]!, slot < 0 ? 0 : lengths[slot + c]!);
      }
      scores[i] = score;
    }
    const words = bonusPhrase(parsed);
    return words ? addScores({ ids: hits.ids, scores }, this.termHits.scoredOf(db, ftsTerm(words), stats)) : { ids: hits.ids, scores };
  }

  /** df per term and column for a query with exclusions, from the cache or matchinfo 'x'. */
  private dfOf(db: SqlDatabase, parsed: ParsedQuery, expression: string): number[] {
    const keys = parsed.terms.map(ftsTerm);
    if (!keys.every((k) => this.termDf.has(k))) {
      const all = phraseDf(db, expression, keys.length);
      if (all.every((d) => d === 0)) return all; // no matching row answered: nothing to keep
      if (this.termDf.size > 256) this.termDf.clear();
      keys.forEach((k, p) => this.termDf.set(k, all.slice(p * FTS_COLUMNS, (p + 1) * FTS_COLUMNS)));
    }
    return keys.flatMap((k) => this.termDf.get(k)!);
  }

  /**
   * A query that is exactly one id: the documents with that id (every project that has it) go
   * first, matched by their text or not; the text matches follow.
   */
  private idFirst(db: SqlDatabase, ref: string, v: ValidSearchQuery, parsed: ParsedQuery, ids: number[], scores: ArrayLike<number>): Scored {
    const found = this.idRows(db).get(ref) ?? [];
    const allowed = found.length ? this.filtered(db, v, parsed, found) : null;
    const own = new Set(allowed ? found.filter((id) => allowed.has(id)) : found);
    const out = Array.from(scores);
    if (!own.size) return { ids, scores: Float64Array.from(out) };
    const best = out.reduce((a, b) => Math.max(a, b), 0);
    const bonus = Math.max(ID_BONUS, best + 1);
    const outIds = ids.slice();
    for (let i = 0; i < outIds.length; i++) {
      if (!own.has(outIds[i]!)) continue;
      out[i]! += bonus;
      own.delete(outIds[i]!);
    }
    for (const id of own) {
      outIds.push(id);
      out.push(bonus);
    }
    return { ids: outIds, scores: Float64Array.from(out) };
  }

  /**
   * Every document by the ids it answers to (its ref_id, and its doc_id in upper case), in the state
   * `checked` names: one pass over the covering index documents_sync, which holds both (no row and
   * its content is read), instead of a scan per id asked.
   */
  private idRows(db: SqlDatabase): Map<string, number[]> {
    if (this.byId) return this.byId;
    const [idList, refs, docIds] = db.exec("SELECT group_concat(id), group_concat(ifnull(ref_id, ''), char(31)), group_concat(upper(doc_id), char(31)) FROM documents INDEXED BY documents_sync")[0]?.values[0] ?? [];
    const ids = parseIds(idList);
    const refOf = String(refs ?? '').split('\x1f');
    const docOf = String(docIds ?? '').split('\x1f');
    const byId = new Map<string, number[]>();
    const add = (key: string, id: number): void => {
      const list = byId.get(key);
      if (!list) byId.set(key, [id]);
      else if (list[list.length - 1] !== id) list.push(id);
    };
    ids.forEach((id, i) => {
      if (refOf[i]) add(refOf[i]!, id);
      add(docOf[i] ?? '', id);
    });
    this.byId = byId;
    return byId;
  }

  /** Only filters (or only exclusions): every document they keep, most recently modified first. */
  private byRecency(db: SqlDatabase, parsed: ParsedQuery, v: ValidSearchQuery): Scored {
    const excluded = new Set<number>();
    for (const t of parsed.excluded) for (const id of this.termHits.of(db, ftsTerm(t)).ids) excluded.add(id);
    const kept = this.filtered(db, v, parsed, null);
    const ids = this.recencyOrder(db).filter((id) => !excluded.has(id) && (!kept || kept.has(id)));
    // No text to rank by: every hit scores the same, the order is the files' modification times.
    return { ids, scores: new Float64Array(ids.length).fill(1), ordered: true };
  }

  /**
   * Every document, most recently modified first (then the latest synced, then the oldest row), in
   * the state `checked` names. Read from two covering indexes (the stat columns and synced_at come
   * after the content in the table, so ordering the table itself reads every row's overflow pages:
   * ~30 ms of a filter-only search at 10k documents).
   */
  private recencyOrder(db: SqlDatabase): number[] {
    if (this.recency) return this.recency;
    const [idList, mtimes] = db.exec("SELECT group_concat(id), group_concat(ifnull(file_mtime_ns, ''), ',') FROM documents INDEXED BY documents_sync")[0]?.values[0] ?? [];
    const ids = parseIds(idList);
    const mtime = new Map<number, bigint | null>();
    String(mtimes ?? '').split(',').forEach((m, i) => mtime.set(ids[i]!, m === '' ? null : BigInt(/^[-+]?\d+/.exec(m.trim())?.[0] ?? '0')));
    const [syncIds, synced] = db.exec("SELECT group_concat(id), group_concat(synced_at, char(31)) FROM documents INDEXED BY documents_health")[0]?.values[0] ?? [];
    const syncedIds = parseIds(syncIds);
    const syncedAt = new Map<number, string>();
    String(synced ?? '').split('\x1f').forEach((s, i) => syncedAt.set(syncedIds[i]!, s));
    // ORDER BY CAST(file_mtime_ns AS INTEGER) DESC (NULL last), synced_at DESC, id
    const newer = <T>(a: T | null | undefined, b: T | null | undefined): number => (a === b ? 0 : a == null ? 1 : b == null ? -1 : a > b ? -1 : 1);
    this.recency = ids.sort((a, b) => newer(mtime.get(a), mtime.get(b)) || newer(syncedAt.get(a), syncedAt.get(b)) || a - b);
    return this.recency;
  }

  /**
   * Which of the matching `ids` the filters keep, or null when there is no filter. Few matches are
   * looked up by id; many are intersected with the filter's own rows.
   */
  private filtered(db: SqlDatabase, v: ValidSearchQuery, parsed: ParsedQuery, ids: number[] | null): Set<number> | null {
    const { where, params, key } = filterSql(v, parsed);
    if (!where.length) return null;
    // all of them from documents_health, which holds every column a filter reads (no row is read)
    const rows = (extra: string): Set<number> =>
      new Set(parseIds(db.exec(`SELECT group_concat(d.id) FROM documents d${extra ? '' : ' INDEXED BY documents_health'} WHERE ${where.join(' AND ')}${extra}`, params)[0]?.values[0]?.[0]));
    const known = this.filterRows.get(key);
    if (known) return known;
    if (ids && ids.length <= this.fewMatches) return rows(` AND d.id IN (${ids.join(',')})`); // integers parsed from the index
    if (this.filterRows.size >= 16) this.filterRows.clear();
    const all = rows('');
    this.filterRows.set(key, all);
    return all;
  }

  private items(page: { id: number; score: number }[], terms: QueryTerm[]): SearchResultItem[] {
    if (!page.length) return [];
    // one statement for the page: a statement per row costs a read transaction each (~50 µs of
    // sql.js's file checks), more than reading the rows
    const res = this.store.connection.exec(
      `SELECT d.id, d.doc_id, d.doc_type, d.title, d.status, d.content, p.slug, p.name
       FROM documents d JOIN projects p ON p.id = d.project_id WHERE d.id IN (${page.map((m) => m.id).join(',')})`, // integers from the index
    )[0];
    const rows = new Map((res?.values ?? []).map((r) => [Number(r[0]), r]));
    return page.flatMap((m) => {
      const row = rows.get(m.id);
      if (!row) return []; // not in the documents table (the index answered from a row gone since)
      const [, docId, type, title, status, content, slug, name] = row;
      return [
        {
          doc_id: String(docId),
          type: String(type),
          title: String(title),
          project_slug: String(slug),
          project_name: String(name),
          status: status === null ? null : String(status),
          snippet: makeSnippet(String(content ?? ''), terms),
          score: roundScore(m.score),
        },
      ];
    });
  }
}
