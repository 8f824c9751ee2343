import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readSourceConfig, statusVocabFingerprint } from '../../../src/core/parse';
import { bytes } from './helpers';
import { hasShared, LENS, SAMPLE } from '../../support/corpora';

const y = (s: string) => new TextEncoder().encode(s);
const EMPTY = { schema_version: null, profile: null, status_vocab: null };

describe('parse/config (documents.md §3)', () => {
  it('reads schema_version, profile and status_vocab from .config.yaml', () => {
    const c = readSourceConfig(y('schema_version: 3\nprofile: lite\nstatus_vocab:\n  story: [Gated, Built]\n  bug:\n    - Triaged\nprovenance:\n  enforce: false\n'), null);
    assert.deepEqual(c, { schema_version: '3', profile: 'lite', status_vocab: { story: ['Gated', 'Built'], bug: ['Triaged'] } });
  });
  it('.version is only a fallback, per key', () => {
    const c = readSourceConfig(y('profile: full\n'), y('schema_version: 2\nprofile: lite\nupgraded_from: null\n'));
    assert.deepEqual(c, { schema_version: '2', profile: 'full', status_vocab: null });
    const d = readSourceConfig(y('schema_version: 3\n'), y('schema_version: 2\n'));
    assert.equal(d.schema_version, '3');
  });
  it('keeps the written form of numbers', () => {
    assert.equal(readSourceConfig(y('schema_version: 3.0\n'), null).schema_version, '3.0');
    assert.equal(readSourceConfig(y('schema_version: "3"\n'), null).schema_version, '3');
  });
  it('status_vocab: non-list values dropped, tokens coerced to strings', () => {
    const c = readSourceConfig(y('status_vocab:\n  story: Gated\n  epic: [1, true, Shipped, null, [x]]\n  cr: {a: b}\n'), null);
    assert.deepEqual(c.status_vocab, { epic: ['1', 'true', 'Shipped'] });
    assert.equal(readSourceConfig(y('status_vocab: [a, b]\n'), null).status_vocab, null);
  });
  it('absent, undecodable, invalid YAML, not a mapping → empty, never throws', () => {
    assert.deepEqual(readSourceConfig(null, null), EMPTY);
    assert.deepEqual(readSourceConfig(bytes([0xff, 0xfe]), bytes([0xc3])), EMPTY);
    assert.deepEqual(readSourceConfig(y('schema_version: [unclosed\n'), null), EMPTY);
    assert.deepEqual(readSourceConfig(y('- a\n- b\n'), y('just a string')), EMPTY);
    assert.deepEqual(readSourceConfig(y(''), y('  \n')), EMPTY);
    assert.deepEqual(readSourceConfig(y('a: &x [*x]\n'), null), EMPTY);
  });
  it('invalid .config.yaml still lets .version supply the values', () => {
    assert.deepEqual(readSourceConfig(y(': : :\n\t- ['), y('schema_version: 3\nprofile: full\n')), { schema_version: '3', profile: 'full', status_vocab: null });
  });
  it('BOM and CRLF in config files', () => {
    const c = readSourceConfig(bytes([0xef, 0xbb, 0xbf], 'schema_version: 3\r\nprofile: lite\r\n'), null);
    assert.equal(c.schema_version, '3');
    assert.equal(c.profile, 'lite');
  });
  // the real corpus's config is checked only when ../shared/corpus exists (registered, not skipped, otherwise)
  if (hasShared()) {
    it('the lens corpus config', () => {
      const root = LENS;
      const c = readSourceConfig(readFileSync(`${root}/.config.yaml`), readFileSync(`${root}/.version`));
      assert.deepEqual(c, { schema_version: '3', profile: null, status_vocab: null });
    });
  }
  it('the sample project config', () => {
    const c = readSourceConfig(readFileSync(`${SAMPLE}/.config.yaml`), null);
    assert.deepEqual(c, { schema_version: '3', profile: 'full', status_vocab: { story: ['Needs Design'] } });
  });

  describe('statusVocabFingerprint', () => {
    it("'' for null, empty, or only empty lists", () => {
      assert.equal(statusVocabFingerprint(null), '');
      assert.equal(statusVocabFingerprint({}), '');
      assert.equal(statusVocabFingerprint({ story: [] }), '');
    });
    it('independent of key order, sensitive to content', () => {
      const a = statusVocabFingerprint({ story: ['Gated'], bug: ['Triaged'] });
      const b = statusVocabFingerprint({ bug: ['Triaged'], story: ['Gated'] });
      assert.equal(a, b);
      assert.match(a, /^[0-9a-f]{64}$/);
      assert.notEqual(a, statusVocabFingerprint({ story: ['Gated'] }));
      assert.notEqual(a, statusVocabFingerprint({ story: ['Gated'], bug: ['triaged'] }));
      assert.notEqual(statusVocabFingerprint({ story: ['a', 'b'] }), statusVocabFingerprint({ story: ['ab'] }));
    });
  });
});
