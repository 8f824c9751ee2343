// R11 GET /search through a real server on 127.0.0.1 (api.md §6): shape, validation (422 in the
// envelope, before anything else), filters and paging as query parameters, escaping over the wire.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { expectEnvelope, openHarness, type Harness } from '../api/harness';
import { pagingDocs, writeCorpus } from './fixture';

const ITEM_KEYS = ['doc_id', 'type', 'title', 'project_slug', 'project_name', 'status', 'snippet', 'score'];
const PAGE_KEYS = ['items', 'total', 'query', 'page', 'per_page'];

describe('API: GET /search (R11)', function () {
  this.timeout(30_000);
  let h: Harness;
  const q = (params: Record<string, string>) => h.api.get(`/search?${new URLSearchParams(params)}`);

  before(async () => {
    h = await openHarness();
    const root = writeCorpus(path.join(h.root, 'main', 'sdlc-studio'));
    writeCorpus(root, pagingDocs(55));
    const slug = await h.register('Main', root);
    assert.equal((await h.api.post(`/projects/${slug}/sync`)).status, 202);
    assert.equal((await h.syncDone(slug)).sync_status, 'synced');
  });
  after(() => h.close());

  it('200 with exactly the documented shape; the query echoed verbatim', async () => {
    const r = await q({ q: '  "API"  key* ' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(Object.keys(r.json), PAGE_KEYS);
    assert.deepEqual([r.json.total, r.json.query, r.json.page, r.json.per_page], [2, '  "API"  key* ', 1, 20]);
    const [item] = r.json.items;
    assert.deepEqual(Object.keys(item), ITEM_KEYS);
    assert.deepEqual(
      [item.doc_id, item.type, item.title, item.project_slug, item.project_name, item.status],
      ['US0001-api-key-header', 'story', 'US0001: API key header', 'main', 'Main', 'Done'],
    );
    assert.ok(typeof item.score === 'number' && item.score > 0);
    assert.match(item.snippet, /<mark>API<\/mark> <mark>key<\/mark>/);
  });

  it('no match, no word characters: 200 with items [] and total 0', async () => {
    for (const text of ['"key header api"', '!!!', ' ']) {
      const r = await q({ q: text });
      assert.equal(r.status, 200, text);
      assert.deepEqual([r.json.items, r.json.total, r.json.query], [[], 0, text]);
    }
  });

  describe('422 VALIDATION_ERROR in the envelope', () => {
    const cases: [string, string, RegExp][] = [
      ['missing q', '/search', /^query\.q: field required$/],
      ['empty q', '/search?q=', /^query\.q: must not be empty$/],
      ['q over 500 characters', `/search?q=${'a'.repeat(501)}`, /^query\.q: must be at most 500/],
      ['per_page over 50 (not capped)', '/search?q=api&per_page=51', /^query\.per_page: must be less than or equal to 50$/],
      ['per_page 0', '/search?q=api&per_page=0', /^query\.per_page: must be greater than or equal to 1$/],
      ['page 0', '/search?q=api&page=0', /^query\.page: must be greater than or equal to 1$/],
      ['page not a number', '/search?q=api&page=two', /^query\.page: must be an integer$/],
      ['both bad', '/search?per_page=99', /query\.q: field required; query\.per_page/],
    ];
    for (const [what, url, message] of cases) {
      it(what, async () => {
        const r = await h.api.get(url);
        assert.match(expectEnvelope(r, 422, 'VALIDATION_ERROR'), message);
      });
    }
    it('500 code points is the limit (an emoji counts once); POST is 405', async () => {
      assert.equal((await q({ q: '😀'.repeat(500) })).status, 200);
      assert.equal((await q({ q: '😀'.repeat(501) })).status, 422);
      expectEnvelope(await h.api.post('/search?q=api'), 405, 'METHOD_NOT_ALLOWED');
    });
  });

  it('filters: project (unknown → 200 empty, not 404), type, status', async () => {
    assert.equal((await q({ q: '"api key"', project: 'main' })).json.total, 1);
    const ghost = await q({ q: '"api key"', project: 'ghost' });
    assert.deepEqual([ghost.status, ghost.json.items, ghost.json.total], [200, [], 0]);
    assert.equal((await q({ q: 'cafe', type: 'epic' })).json.total, 1);
    assert.equal((await q({ q: 'cafe', type: 'story' })).json.total, 0);
    assert.equal((await q({ q: 'cafe', status: 'In Progress' })).json.total, 1);
    assert.equal((await q({ q: 'cafe', status: 'Done' })).json.total, 0);
  });

  it('paging: per_page up to 50, page beyond the last is empty, total always reported', async () => {
    const p1 = await q({ q: 'pagingword', per_page: '50' });
    assert.deepEqual([p1.json.items.length, p1.json.total, p1.json.per_page], [50, 55, 50]);
    const p2 = await q({ q: 'pagingword', per_page: '50', page: '2' });
    assert.deepEqual([p2.json.items.length, p2.json.total, p2.json.page], [5, 55, 2]);
    const p9 = await q({ q: 'pagingword', page: '9' });
    assert.deepEqual([p9.status, p9.json.items, p9.json.total], [200, [], 55]);
  });

  it('snippets arrive escaped: only <mark> is markup', async () => {
    const r = await q({ q: 'onerror alert' });
    assert.equal(r.json.total, 1);
    const snippet: string = r.json.items[0].snippet;
    assert.ok(snippet.includes('&lt;img src=x <mark>onerror</mark>=<mark>alert</mark>(1)&gt;'), snippet);
    assert.doesNotMatch(snippet.replace(/<\/?mark>/g, ''), /[<>"']/);
  });
});
