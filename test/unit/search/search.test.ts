// engine.search() against real synced folders: one matching and one non-matching query for each
// bullet of api.md §6 (words, phrases, tokens, the query language's plain-text fallbacks, ranking,
// snippets, filters, paging). The language's own forms are in query-language.test.ts.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { SearchQuery } from '../../../src/core/engine-api';
import { rejectsWith, registerAndSync, sandboxPerTest } from '../engine/helpers';
import { DOCS, pagingDocs, stem, writeCorpus, writeDoc } from './fixture';

const ids = (r: { items: { doc_id: string }[] }): string[] => r.items.map((i) => i.doc_id).sort();

describe('search (engine)', () => {
  const t = sandboxPerTest();
  const find = (q: string, extra: Omit<SearchQuery, 'q'> = {}) => t.engine.search({ q, per_page: 50, ...extra });

  beforeEach(async () => {
    const root = writeCorpus(path.join(t.sb.dir('main'), 'sdlc-studio'));
    const o = await registerAndSync(t.engine, 'Main', root);
    assert.equal(o.document_count, DOCS.length);
  });

  it('words are AND-ed in any order; a quoted phrase must be consecutive and in order', () => {
    assert.deepEqual(ids(find('api key')), ['US0001-api-key-header', 'US0002-key-rotation']);
    assert.deepEqual(ids(find('key api')), ['US0001-api-key-header', 'US0002-key-rotation']);
    assert.deepEqual(ids(find('"api key"')), ['US0001-api-key-header']);
    assert.deepEqual(ids(find('"key api"')), ['US0002-key-rotation']);
    assert.deepEqual(ids(find('api header key')), ['US0001-api-key-header'], 'every word, not consecutive');
    assert.deepEqual(ids(find('api zephyr')), [], 'one word missing: no match');
    assert.deepEqual(ids(find('key header')), ['US0001-api-key-header'], 'the title alone can match');
    assert.equal(find('api key').items[0].doc_id, 'US0001-api-key-header', 'the words as written (the phrase bonus) rank first');
  });

  it('case- and diacritic-insensitive: cafe / CAFÉ / Café / resume match, caff does not', () => {
    for (const q of ['cafe', 'CAFÉ', 'Café', 'café ordering', 'CAFE COUNTER', 'resume']) {
      assert.deepEqual(ids(find(q)), ['EP0001-cafe-ordering'], q);
    }
    assert.deepEqual(ids(find('caff')), []);
    assert.deepEqual(ids(find('API KEY HEADER')), ['US0001-api-key-header']);
  });

  it('`_` is a word character: sync_status is one token; other punctuation separates', () => {
    assert.deepEqual(ids(find('sync_status')), ['US0003-state-column']);
    assert.deepEqual(ids(find('SYNC_STATUS')), ['US0003-state-column']);
    assert.deepEqual(ids(find('sync status')), ['US0004-state-words'], 'two words never match the one token');
    assert.deepEqual(ids(find('status')), ['US0004-state-words'], 'a part of sync_status is not a token');
    assert.deepEqual(ids(find('sync state')), ['US0004-state-words'], '`-` separates sync-state');
    assert.deepEqual(ids(find('sync-state')), ['US0004-state-words']);
  });

  describe('no FTS syntax: OR, NOT, NEAR, column names, an unclosed quote are plain text; *, - are ours', () => {
    const cases: [string, string[]][] = [
      ['"api key"', ['US0001-api-key-header']],
      ['"api key', ['US0001-api-key-header', 'US0002-key-rotation']], // unclosed: plain words
      ['api OR rotation', []], // with OR semantics both US0001 and US0002 would match
      ['api AND key', []],
      ['key NOT header', []],
      ['api NEAR key', []],
      ['api NEAR/3 key', []],
      ['api*', ['US0001-api-key-header', 'US0002-key-rotation']],
      ['apia*', ['US0001-api-key-header']], // prefix: apiary
      ['-header api', ['US0002-key-rotation']], // exclusion
      ['title:rotation', []], // no column filter (that would match US0002's title)
      ['content:nightly', []],
      ['(api) [key] {header}', ['US0001-api-key-header']],
      ['^api', ['US0001-api-key-header', 'US0002-key-rotation']],
    ];
    for (const [q, expected] of cases) {
      it(JSON.stringify(q), () => assert.deepEqual(ids(find(q)), expected));
    }
    it('apiary is its own token: found by itself, not by `api`', () => {
      assert.deepEqual(ids(find('apiary')), ['US0001-api-key-header']);
      assert.ok(!find('api').items.some((i) => i.snippet.includes('<mark>apiary')));
    });
  });

  it('a query with no word characters is valid and finds nothing; q is echoed verbatim', () => {
    for (const q of ['!!!', '   ', '"" * - :', '…']) {
      const r = find(q);
      assert.deepEqual([r.items, r.total, r.query], [[], 0, q]);
    }
    assert.equal(find('  Api  KEY* ').query, '  Api  KEY* ');
    assert.equal(find('  Api  KEY* ').total, 2);
  });

  it('engine validation: empty, too long, per_page over 50, page below 1', async () => {
    await rejectsWith(() => t.engine.search({ q: '' }), 'VALIDATION_ERROR', /^q: /);
    await rejectsWith(() => t.engine.search({ q: 'x'.repeat(501) }), 'VALIDATION_ERROR', /500/);
    assert.equal(t.engine.search({ q: '😀'.repeat(500) }).total, 0, '500 code points is within the limit');
    await rejectsWith(() => t.engine.search({ q: 'api', per_page: 51 }), 'VALIDATION_ERROR', /per_page/);
    await rejectsWith(() => t.engine.search({ q: 'api', page: 0 }), 'VALIDATION_ERROR', /page/);
    await rejectsWith(() => t.engine.search({ q: 'api', per_page: 1.5 }), 'VALIDATION_ERROR', /per_page/);
  });

  it('ranking: a title hit ranks above a body-only hit, however often the body repeats the word; scores > 0, 4 decimals', () => {
    const r = find('zephyr');
    assert.deepEqual(
      r.items.map((i) => i.doc_id),
      ['US0005-zephyr-wind', 'US0006-weather-notes'],
    );
    assert.ok(r.items[0].score > r.items[1].score);
    for (const i of r.items) {
      assert.ok(i.score > 0);
      assert.equal(i.score, Math.round(i.score * 1e4) / 1e4);
    }
    // the non-matching side: a word in neither title nor body
    assert.equal(find('zephyrs').total, 0);
  });

  describe('snippets', () => {
    it('come from the content, every matched token marked', () => {
      const [hit] = find('"api key"').items;
      assert.equal(hit.snippet, 'The server reads the <mark>API</mark> <mark>key</mark> header on every request. Hives of bees live in an apiary.');
      const [z] = find('zephyr', { type: 'story' }).items.filter((i) => i.doc_id === 'US0006-weather-notes');
      assert.equal((z.snippet.match(/<mark>zephyr<\/mark>/g) ?? []).length, 5);
      assert.ok(!z.snippet.includes('<mark>word'));
    });

    it('a title-only hit yields the start of the content with no <mark>', () => {
      const [hit] = find('zephyr wind').items;
      assert.equal(hit.doc_id, 'US0005-zephyr-wind');
      assert.equal(hit.snippet, 'A gentle breeze from the west.');
    });

    it('~32 tokens around the match with ... elisions on both sides', () => {
      const [hit] = find('needle').items;
      assert.match(hit.snippet, /^\.\.\.filler\d+ .* <mark>needle<\/mark> in the middle .*filler\d+\.\.\.$/);
      const words = hit.snippet.replace(/\.\.\./g, '').replace(/<\/?mark>/g, '').split(' ');
      assert.equal(words.length, 32);
      assert.equal(find('needle haystack').total, 0);
    });

    it('HTML injection: the document text is escaped before the marks are added; <mark> is the only markup', () => {
      for (const q of ['alert', 'script', 'img src', 'onerror', '<script>', 'title']) {
        const r = find(q);
        assert.deepEqual(ids(r), ['BG0001-injected-markup'], q);
        const s = r.items[0].snippet;
        assert.ok(s.includes('<mark>'), q);
        const bare = s.replace(/<\/?mark>/g, '');
        assert.doesNotMatch(bare, /[<>"']/, `only <mark> may be markup: ${s}`);
      }
      const s = find('alert').items[0].snippet;
      assert.equal(
        s,
        'Pasted &lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt; and &lt;img src=x onerror=<mark>alert</mark>(1)&gt; into the &quot;title&quot; &amp; it&#39;s shown.',
      );
    });
  });

  describe('filters', () => {
    beforeEach(async () => {
      const other = writeCorpus(path.join(t.sb.dir('other'), 'sdlc-studio'), [
        { file: 'stories/US0001-api-key-elsewhere.md', title: 'US0001: API key elsewhere', status: 'Done', body: 'Another api key.' },
      ]);
      await registerAndSync(t.engine, 'Other', other);
    });

    it('every project unless `project` is given; an unknown project gives no results, not an error', () => {
      const all = find('"api key"');
      assert.deepEqual(
        all.items.map((i) => [i.project_slug, i.project_name, i.doc_id]).sort(),
        [
          ['main', 'Main', 'US0001-api-key-header'],
          ['other', 'Other', 'US0001-api-key-elsewhere'],
        ],
      );
      assert.deepEqual(ids(find('"api key"', { project: 'other' })), ['US0001-api-key-elsewhere']);
      assert.deepEqual(ids(find('rotation', { project: 'other' })), []);
      assert.deepEqual(find('api key', { project: 'ghost' }).items, []);
    });

    it('type and status (exact; `none` = no status), combined with AND', () => {
      assert.deepEqual(ids(find('zephyr', { type: 'story' })), ['US0005-zephyr-wind', 'US0006-weather-notes']);
      assert.deepEqual(ids(find('zephyr', { type: 'epic' })), []);
      assert.deepEqual(ids(find('cafe', { type: 'epic', status: 'In Progress' })), ['EP0001-cafe-ordering']);
      assert.deepEqual(ids(find('cafe', { type: 'epic', status: 'in progress' })), []);
      assert.deepEqual(ids(find('needle', { status: 'none' })), ['US0007-long-body']);
      assert.deepEqual(ids(find('api key', { status: 'none' })), []);
      assert.deepEqual(ids(find('api key', { project: 'main', type: 'story', status: 'Done' })), ['US0001-api-key-header']);
    });
  });

  it('paging: default 20 per page, page beyond the last is empty with the total, items never repeat', async () => {
    const root = writeCorpus(path.join(t.sb.dir('paging'), 'sdlc-studio'), pagingDocs(25));
    await registerAndSync(t.engine, 'Paging', root);
    const p1 = t.engine.search({ q: 'pagingword' });
    assert.deepEqual([p1.items.length, p1.total, p1.page, p1.per_page], [20, 25, 1, 20]);
    const p2 = t.engine.search({ q: 'pagingword', page: 2 });
    assert.deepEqual([p2.items.length, p2.total, p2.page], [5, 25, 2]);
    const p3 = t.engine.search({ q: 'pagingword', page: 3 });
    assert.deepEqual([p3.items, p3.total], [[], 25]);
    const seen = [...p1.items, ...p2.items].map((i) => i.doc_id);
    assert.equal(new Set(seen).size, 25);
    const small = [1, 2, 3, 4, 5].flatMap((page) => t.engine.search({ q: 'pagingword', page, per_page: 6 }).items.map((i) => i.doc_id));
    assert.deepEqual(small, seen, 'the order is stable across page sizes');
  });

  it('follows the documents: edited text is found, removed text is not', async () => {
    const root = path.join(t.sb.root, 'main', 'sdlc-studio');
    writeDoc(root, { ...DOCS[1], body: 'Rotation now mentions quokka api instead.' });
    const { done } = await t.engine.startSync('main');
    await done;
    assert.deepEqual(ids(find('quokka api')), ['US0002-key-rotation']);
    assert.deepEqual(ids(find('"key api"')), []);
    assert.equal(stem(DOCS[1].file), 'US0002-key-rotation');
  });
});
