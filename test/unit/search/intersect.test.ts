// The AND of a query's terms, taken in JS from each term's cached rows (termHits.ts): the same
// rows and per-column hits as one AND-ed FTS4 MATCH gives, checked against sql.js's own answer.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { intersectHits } from '../../../src/core/search/termHits';
import { phraseHits } from '../../../src/core/search/phraseHits';
import { Engine } from '../../../src/core/engine';

describe('search: AND-ed terms intersected from their own rows', () => {
  it('joins sorted rows and keeps each term\'s hits per column in term order', () => {
    const a = { ids: [1, 3, 5, 7, 9], tf: Uint32Array.from([1, 0, 0, 2, 1, 1, 0, 3, 4, 0]) };
    const b = { ids: [3, 4, 9], tf: Uint32Array.from([5, 6, 7, 8, 9, 10]) };
    const r = intersectHits([a, b]);
    assert.deepEqual(r.ids, [3, 9]);
    assert.deepEqual([...r.tf], [0, 2, 5, 6, 4, 0, 9, 10]);
    assert.deepEqual(intersectHits([a, { ids: [], tf: new Uint32Array() }]).ids, []);
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
        for (const terms of [['"sync"', '"status"'], ['"the"', '"parser"', '"token"'], ['"sync"', '"st*"']]) {
          const one = phraseHits(db, terms.join(' '), terms.length);
          const joined = intersectHits(terms.map((t) => phraseHits(db, t)));
          assert.ok(one.ids.length > 0, `${terms.join(' ')} matches something`);
          assert.deepEqual(joined.ids, one.ids, terms.join(' '));
          assert.deepEqual([...joined.tf], [...one.tf], terms.join(' '));
        }
      } finally {
        await engine.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
