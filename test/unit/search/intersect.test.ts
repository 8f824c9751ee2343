// The AND of a query's terms, taken in JS from each term's cached scored rows (termHits.ts): the
// same rows as one AND-ed FTS4 MATCH gives, each scored with the BM25 that MATCH's own matchinfo
// gives (the reference: rank.ts bm25 over 'pcnalx'), checked against sql.js's own answer.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { addScores, intersectScored, termScores } from '../../../src/core/search/termHits';
import { phraseHits } from '../../../src/core/search/phraseHits';
import { loadCorpusStats } from '../../../src/core/search/corpusStats';
import { bm25 } from '../../../src/core/search/rank';
import { Engine } from '../../../src/core/engine';

describe('search: AND-ed terms intersected from their own rows', () => {
  it('joins sorted rows and sums each row\'s scores in list order, whichever list is shortest', () => {
    const a = { ids: [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21], scores: Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) };
    const b = { ids: [3, 4, 9, 21], scores: Float64Array.from([0.5, 9, 0.25, 0.125]) };
    const r = intersectScored([a, b]);
    assert.deepEqual(r.ids, [3, 9, 21]);
    assert.deepEqual([...r.scores], [2.5, 5.25, 11.125]);
    assert.deepEqual(intersectScored([b, a]).ids, [3, 9, 21]);
    // a long list walked by galloping: every id of the short one that it holds, none that it lacks
    const long = { ids: Array.from({ length: 5000 }, (_, i) => 2 * i), scores: new Float64Array(5000).fill(1) };
    const short = { ids: [0, 1, 998, 3001, 9998, 9999, 12000], scores: new Float64Array(7).fill(2) };
    assert.deepEqual(intersectScored([long, short]).ids, [0, 998, 9998]);
    assert.deepEqual(intersectScored([short, long]).ids, [0, 998, 9998]);
    assert.deepEqual(intersectScored([a, { ids: [], scores: new Float64Array() }]).ids, []);
    const bonus = addScores({ ids: [3, 9, 21], scores: Float64Array.from([1, 1, 1]) }, { ids: [2, 9, 30], scores: Float64Array.from([5, 5, 5]) });
    assert.deepEqual([...bonus.scores], [1, 6, 1]);
  });

  it('equals one AND-ed MATCH with matchinfo per phrase on a real index', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-intersect-'));
    try {
      const sdlc = path.join(dir, 'sdlc-studio', 'stories');
      fs.mkdirSync(sdlc, { recursive: true });
      const words = ['sync', 'status', 'parser', 'the', 'token', 'store'];
      for (let i = 0; i < 60; i++) {
        const body = words.filter((_, w) => (i >> w) & 1).map((w) => `${w} `.repeat(1 + (i % 3))).join(' ');
        fs.writeFileSync(path.join(sdlc, `US${String(i + 1).padStart(4, '0')}-s.md`), `# US${i + 1}: ${i % 5 ? 'story' : 'sync story'}\n\n> **Status:** Draft\n\n${body}\n`);
      }
      const engine = await Engine.open({ dataDir: path.join(dir, 'data') });
      try {
        const p = await engine.registerProject({ name: 'P', sdlc_path: path.join(dir, 'sdlc-studio') });
        await (await engine.startSync(p.slug)).done;
        await engine.whenIndexed();
        engine.search({ q: 'sync' }); // brings the index up to date
        const db = (engine as unknown as { store: { connection: import('sql.js').Database } }).store.connection;
        const stats = loadCorpusStats(db);
        for (const terms of [['"sync"', '"status"'], ['"the"', '"parser"', '"token"'], ['"sync"', '"st*"'], ['"story"', '"store"']]) {
          // the reference: one AND-ed MATCH, scored from its own matchinfo 'pcnalx'
          const want = new Map<number, number>();
          const res = db.exec(`SELECT docid, matchinfo(documents_fts, 'pcnalx') FROM documents_fts WHERE documents_fts MATCH ?`, [terms.join(' ')]);
          for (const [docid, mi] of res[0]?.values ?? []) want.set(Number(docid), bm25(mi as Uint8Array));
          const joined = intersectScored(terms.map((t) => {
            const hits = phraseHits(db, t);
            return { ids: hits.ids, scores: termScores(hits, stats) };
          }));
          assert.ok(want.size > 0, `${terms.join(' ')} matches something`);
          assert.deepEqual(joined.ids, [...want.keys()].sort((x, y) => x - y), terms.join(' '));
          joined.ids.forEach((id, i) => assert.ok(Math.abs(joined.scores[i]! - want.get(id)!) < 1e-9, `${terms.join(' ')}: row ${id} scores ${joined.scores[i]}, matchinfo ${want.get(id)}`));
        }
      } finally {
        await engine.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
