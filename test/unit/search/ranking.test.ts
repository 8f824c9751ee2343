// Scores and order are exactly those of BM25 over FTS4's matchinfo('pcnalx') (the first
// implementation, kept here as the reference), although a search now reads only matchinfo 'y' per
// row and keeps the index-wide numbers between searches: checked through the engine before and after
// syncs that add words, lengthen a document, add a project and remove a document (each changes the
// statistics), with and without filters. The reference reads a separate Store opened on the same
// data folder, with its index brought up to date from scratch.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SqlValue } from 'sql.js';
import { statusFilter } from '../../../src/core/documents';
import type { SearchQuery } from '../../../src/core/engine-api';
import { bm25, roundScore } from '../../../src/core/search';
import { ftsExpression, parseQuery } from '../../../src/core/search/queryLanguage';
import { Store } from '../../../src/core/store/database';
import { indexPending } from '../../../src/core/store/ftsIndex';
import { silentLogger } from '../../../src/core/types';
import { registerAndSync, sandboxPerTest, syncNow } from '../engine/helpers';
import { DOCS, pagingDocs, writeCorpus, writeDoc } from './fixture';

type Hit = [string, string, number]; // project slug, doc_id, score

/**
 * Every hit of `q` in best-first order, computed the first implementation's way: BM25 over
 * matchinfo('pcnalx') of the query's terms, plus (several terms) the BM25 of its words as one phrase.
 */
async function reference(dataDir: string, q: SearchQuery): Promise<Hit[]> {
  const store = await Store.open(dataDir, silentLogger);
  try {
    store.applyInMemory((db) => indexPending(db, Infinity));
    const parsed = parseQuery(q.q);
    const bonus = new Map<number, number>();
    if (parsed.terms.length > 1) {
      for (const r of store.all(`SELECT docid, matchinfo(documents_fts, 'pcnalx') AS mi FROM documents_fts WHERE documents_fts MATCH ?`, [`"${parsed.terms.flat().join(' ')}"`])) {
        bonus.set(Number(r.docid), bm25(r.mi as Uint8Array));
      }
    }
    const where = ['documents_fts MATCH ?'];
    const params: SqlValue[] = [ftsExpression(parsed)!];
    if (q.project !== undefined) {
      where.push('p.slug = ?');
      params.push(q.project);
    }
    if (q.type !== undefined) {
      where.push('d.doc_type = ?');
      params.push(q.type);
    }
    if (q.status !== undefined) {
      const f = statusFilter(q.status, 'd.status');
      where.push(f.sql);
      params.push(...f.params);
    }
    const rows = store.all(
      `SELECT d.id, p.slug, d.doc_id, matchinfo(documents_fts, 'pcnalx') AS mi FROM documents_fts
       CROSS JOIN documents d ON d.id = documents_fts.docid JOIN projects p ON p.id = d.project_id
       WHERE ${where.join(' AND ')}`,
      params,
    );
    return rows
      .map((r) => ({ id: Number(r.id), hit: [String(r.slug), String(r.doc_id), bm25(r.mi as Uint8Array) + (bonus.get(Number(r.id)) ?? 0)] as Hit }))
      .sort((a, b) => b.hit[2] - a.hit[2] || a.id - b.id)
      .map((r) => [r.hit[0], r.hit[1], roundScore(r.hit[2])] as Hit);
  } finally {
    await store.close();
  }
}

const QUERIES: SearchQuery[] = [
  { q: 'api key' },
  { q: 'zephyr' },
  { q: 'pagingword' },
  { q: 'pagingword', project: 'main' },
  { q: 'pagingword', type: 'story', status: 'Draft' },
  { q: 'number 1' },
  { q: 'the' },
  { q: 'cafe', status: 'none' },
  { q: 'pagingword numb*' },
  { q: 'api -header' },
];

describe('search ranking equals BM25 over matchinfo pcnalx, across changes', () => {
  const t = sandboxPerTest();

  async function expectReference(when: string): Promise<void> {
    for (const q of QUERIES) {
      const want = await reference(t.sb.dataDir, q);
      const got: Hit[] = [];
      for (let page = 1; ; page++) {
        const r = t.engine.search({ ...q, page, per_page: 50 });
        assert.equal(r.total, want.length, `${when}: total of ${JSON.stringify(q)}`);
        got.push(...r.items.map((i) => [i.project_slug, i.doc_id, i.score] as Hit));
        if (r.items.length < 50) break;
      }
      assert.deepEqual(got, want, `${when}: ${JSON.stringify(q)}`);
    }
  }

  it('before and after edits, a new project and a removed document', async () => {
    const main = writeCorpus(path.join(t.sb.dir('main'), 'sdlc-studio'), [...DOCS, ...pagingDocs(70)]);
    await registerAndSync(t.engine, 'Main', main);
    await expectReference('first sync');
    const before = t.engine.search({ q: 'pagingword', per_page: 5 }).items.map((i) => i.score);

    // A much longer document with the word many times: avg length, its length and its tf change.
    writeDoc(main, { file: 'stories/US0100-paging-0.md', title: 'US0100: Paging 0', status: 'Draft', body: 'pagingword the '.repeat(400) });
    await syncNow(t.engine, 'main');
    await expectReference('after an edit');
    assert.notDeepEqual(t.engine.search({ q: 'pagingword', per_page: 5 }).items.map((i) => i.score), before, 'the edit changed the scores');

    // Another project: the row count and every idf change.
    await registerAndSync(t.engine, 'Other', writeCorpus(path.join(t.sb.dir('other'), 'sdlc-studio'), pagingDocs(30)));
    await expectReference('after a new project');

    // A removed document: its hits, its length and the row count go.
    fs.rmSync(path.join(main, 'stories/US0100-paging-0.md'));
    await syncNow(t.engine, 'main');
    await expectReference('after a removal');
    assert.ok(!t.engine.search({ q: 'pagingword', project: 'main', per_page: 50, page: 2 }).items.some((i) => i.doc_id === 'US0100-paging-0'));
  });
});
