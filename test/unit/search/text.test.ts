// The pure parts of search: tokens and folding, the FTS phrase built from a query, BM25 from a
// matchinfo blob, and snippets (window, marks, escaping) — checked against sql.js's own FTS4.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import initSqlJs from 'sql.js';
import { bm25, escapeHtml, fold, ftsPhrase, makeSnippet, tokenize } from '../../../src/core/search';

const norms = (s: string): string[] => tokenize(s).map((t) => t.norm);

describe('search text rules', () => {
  it('tokens: Unicode letters, digits and `_`; case and diacritics folded; offsets point into the original', () => {
    assert.deepEqual(norms('Café sync_status, naïve-İstanbul x2 ÀÉÎ 東京'), ['cafe', 'sync_status', 'naive', 'istanbul', 'x2', 'aei', '東京']);
    assert.deepEqual(norms('cafe\u0301 e\u0301\u0301'), ['cafe', 'e'], 'decomposed accents fold too');
    assert.deepEqual(norms('"" * - : ( ) ^ ... !!!'), []);
    const text = 'a  Résumé!';
    const [, r] = tokenize(text);
    assert.equal(text.slice(r.start, r.end), 'Résumé');
    assert.equal(fold('ÉCOLE'), 'ecole');
  });

  it('the FTS phrase holds only word runs: syntax never reaches the FTS parser', () => {
    assert.equal(ftsPhrase('api key'), '"api key"');
    assert.equal(ftsPhrase('"api" OR key*'), '"api OR key"');
    assert.equal(ftsPhrase('title:x -y NEAR/3 z'), '"title x y NEAR 3 z"');
    assert.equal(ftsPhrase('!!!'), null);
    assert.equal(ftsPhrase('   '), null);
  });

  it('folding agrees with the index tokenizer (FTS4 unicode61, remove_diacritics=2, tokenchars=_)', async () => {
    const SQL = await initSqlJs({ wasmBinary: fs.readFileSync(require.resolve('sql.js/dist/sql-wasm.wasm')) as unknown as ArrayBuffer });
    const db = new SQL.Database();
    try {
      db.exec(`CREATE VIRTUAL TABLE tok USING fts3tokenize(unicode61, 'remove_diacritics=2', 'tokenchars=_')`);
      const sample = 'Café CAFÉ naïve sync_status İstanbul Ærø ﬁle ½ x² Straße ÀÉÎ 東京 e\u0301 déjà-vu O\'Brien';
      const fts = db.exec('SELECT token FROM tok WHERE input = ?', [sample])[0].values.map((r) => String(r[0]));
      assert.deepEqual(norms(sample), fts);
    } finally {
      db.close();
    }
  });

  it('escapeHtml escapes & < > " \' and nothing else', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&amp;</a> ok`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt; ok');
  });

  describe('makeSnippet', () => {
    const words = (q: string): string[] => norms(q);

    it('marks each token of every occurrence, collapses whitespace, escapes the text', () => {
      assert.equal(makeSnippet('An <API>\n\n  key; api KEY!', words('api key')), 'An &lt;<mark>API</mark>&gt; <mark>key</mark>; <mark>api</mark> <mark>KEY</mark>!');
      assert.equal(makeSnippet('An <b>API</b> key', words('api key')), 'An &lt;b&gt;API&lt;/b&gt; key', 'tag letters are tokens too: b sits between');
      assert.equal(makeSnippet('api then key', words('api key')), 'api then key', 'not consecutive: no mark');
      assert.equal(makeSnippet('', words('x')), '');
    });

    it('shows 32 tokens around the best match with ... where text is cut', () => {
      const text = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');
      const s = makeSnippet(text, words('w50'));
      assert.ok(s.startsWith('...w35 ') && s.endsWith(' w66...'), s);
      assert.ok(s.includes('<mark>w50</mark>'));
      assert.ok(makeSnippet(text, words('w2')).startsWith('w0 w1 <mark>w2</mark> w3'), 'near the start: no leading ...');
      assert.ok(makeSnippet(text, words('w99')).endsWith('<mark>w99</mark>'), 'no ... after the last token');
      assert.ok(makeSnippet(text, words('nothing')).startsWith('w0 w1 '), 'no match: the start of the text');
    });

    it('prefers the window holding the most occurrences', () => {
      const text = ['hit', ...Array.from({ length: 60 }, (_, i) => `f${i}`), 'hit', 'f', 'hit', 'f', 'hit'].join(' ');
      const s = makeSnippet(text, words('hit'));
      assert.equal((s.match(/<mark>hit<\/mark>/g) ?? []).length, 3, s);
    });
  });

  it('bm25 reads a pcnalx matchinfo blob: more hits score higher, a rarer phrase scores higher, a title hit outweighs the body', () => {
    const blob = (n: number, avg: [number, number], len: [number, number], x: [number, number, number, number, number, number]): Uint8Array =>
      new Uint8Array(new Uint32Array([1, 2, n, ...avg, ...len, ...x]).buffer);
    const once = bm25(blob(100, [5, 200], [5, 200], [0, 0, 0, 1, 10, 10]));
    const often = bm25(blob(100, [5, 200], [5, 200], [0, 0, 0, 5, 50, 10]));
    const rare = bm25(blob(100, [5, 200], [5, 200], [0, 0, 0, 1, 2, 2]));
    const inTitle = bm25(blob(100, [5, 200], [5, 200], [1, 10, 10, 0, 0, 0]));
    assert.ok(once > 0 && often > once && rare > once && inTitle > often, JSON.stringify({ once, often, rare, inTitle }));
  });
});
