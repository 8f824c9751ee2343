// The keystroke benchmark's pure parts: the prefixes typed, the percentiles, and the debounce read
// from searchPick.ts. Run: npx mocha --no-config -r tsx/cjs bench/keystroke.test.ts
import * as assert from 'node:assert/strict';
import { toSearchQuery } from '../src/extension/search/query';
import { prefixes, searchDebounceMs, TYPED } from './keystroke';
import { pct, spread } from './synced';

describe('bench/keystroke', () => {
  it('types every prefix, character by character', () => {
    assert.deepEqual(prefixes('US01'), ['U', 'US', 'US0', 'US01']);
    assert.deepEqual(prefixes('café'), ['c', 'ca', 'caf', 'café']);
    assert.deepEqual(prefixes(''), []);
  });

  it('sends the pick\'s query: the last word as a prefix', () => {
    assert.equal(toSearchQuery('sync stat', {})?.q, 'sync stat*');
    assert.ok(TYPED.every((t) => prefixes(t).some((p) => toSearchQuery(p, {}) !== null)));
  });

  it('nearest-rank percentiles', () => {
    const xs = Array.from({ length: 20 }, (_, i) => 20 - i); // 20 … 1, unsorted on purpose
    assert.deepEqual(spread(xs), { p50: 10, p95: 19, max: 20 });
    assert.equal(pct([7], 95), 7);
  });

  it('takes SEARCH_DEBOUNCE_MS from the pick\'s query module', () => {
    const ms = searchDebounceMs();
    assert.ok(Number.isInteger(ms) && ms >= 0 && ms < 1000, String(ms));
  });
});
