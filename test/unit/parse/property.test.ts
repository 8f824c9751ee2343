import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  canonicalStatus,
  classifyPath,
  extractRefId,
  idHead,
  normId,
  parseDocument,
  readSourceConfig,
  statusGroup,
  statusVocabFingerprint,
  isTerminal,
  type ParsedDocument,
} from '../../../src/core/parse';
import { encodedSuffix } from '../../../src/core/parse/decode';

const enc = new TextEncoder();

const isStrOrNull = (v: unknown) => v === null || typeof v === 'string';
const isRefList = (v: unknown) =>
  v === null || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && /^[A-Z0-9]+$/.test(x)) && new Set(v).size === v.length);

function assertShape(d: ParsedDocument): void {
  assert.deepEqual(
    Object.keys(d).sort(),
    ['aliases', 'content', 'dependsOn', 'docId', 'docType', 'epic', 'metadata', 'owner', 'priority', 'refId', 'status', 'story', 'storyPoints', 'title'],
  );
  assert.equal(typeof d.docType, 'string');
  assert.equal(typeof d.docId, 'string');
  assert.equal(typeof d.title, 'string');
  assert.equal(typeof d.content, 'string');
  for (const k of ['refId', 'status', 'owner', 'priority', 'epic', 'story'] as const) assert.ok(isStrOrNull(d[k]), k);
  for (const k of ['refId', 'epic', 'story'] as const) if (d[k] !== null) assert.match(d[k]!, /^[A-Z0-9]+$/, k);
  assert.ok(d.storyPoints === null || Number.isSafeInteger(d.storyPoints));
  assert.ok(isRefList(d.dependsOn), 'dependsOn');
  assert.ok(isRefList(d.aliases), 'aliases');
  if (d.metadata !== null) {
    assert.equal(typeof d.metadata, 'object');
    const entries = Object.entries(d.metadata);
    assert.ok(entries.length > 0, 'metadata is null, never {}');
    for (const [k, v] of entries) {
      assert.ok(k.length > 0 && !/\s/.test(k) && k === k.toLowerCase(), `key ${JSON.stringify(k)}`);
      assert.equal(typeof v, 'string');
    }
  }
}

// Header-like text: lines assembled from the tokens that drive the parser.
const token = fc.constantFrom(
  '>', '> ', '>>', '**', '**Status:**', '**Status**:', '**Epic:**', '**Story Points:**', '**Points:**', '**Depends on:**',
  '**Aliases:**', '**Owner:**', ':', '·', ' · ', '|', ' | ', ' ', '\t', '#', '# ', '---', 'US0001', 'US-01KXCB7V', 'EP-01KXCCA4',
  'CR-0003', '[[CR-0496]]', 'RETRO0001', 'BG-01234567', 'PL-answered', 'Done', 'In Progress', 'inbox', '(', ' - ', ' — ', '—',
  '-', '3', '5 (est)', '{{TBD}}', 'é', '日本', '🙂', '\u0000', '\u2028', '__proto__', 'constructor', '\r', '\r\n', '\n', '`', '_',
  '<!--', '-->', '<!-- role: qa -->', 'IS0001', 'SC-01KXCB7V', 'HO0001',
);
const line = fc.array(fc.oneof(token, fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 4 })), { maxLength: 10 }).map((a) => a.join(''));
const kvLine = fc
  .tuple(
    fc.constantFrom('> ', '>  ', '>', '', '  > ', '>> ', '>\t'),
    fc.constantFrom('**Status:**', '**Status**:', '**Status**', '**Epic:**', '**Story Points:**', '**Points:**', '**Depends on:**', '**Owner:**', '**Raised-by:**', '** :**', '**__proto__:**'),
    fc.array(fc.oneof(token, fc.string({ maxLength: 4 })), { maxLength: 4 }).map((a) => ' ' + a.join('')),
    fc.option(fc.tuple(fc.constantFrom(' · ', '|', ' | ', '·'), fc.constantFrom('**CR:** CR-0088', '**Points:** 5', '**x', '**Story:** US0001')).map(([a, b]) => a + b), { nil: '' }),
  )
  .map((parts) => parts.join(''));
const anyLine = fc.oneof({ arbitrary: kvLine, weight: 2 }, { arbitrary: line, weight: 1 });
const headerText = fc.tuple(fc.array(anyLine, { maxLength: 25 }), fc.constantFrom('\n', '\r\n')).map(([ls, eol]) => ls.join(eol));
const relPath = fc.oneof(
  fc.constantFrom('stories/US0001-x.md', 'prd.md', 'epics/EP-overview.md', 'bugs/BG-01KX8B82-x.md', '_index.md', 'stories/_index.md', '', '/', 'a//b.md', '.md', 'personas/seats/x.md', 'decisions/BG0074.md', 'issues/IS0001-x.md', 'handoffs/HO0001.md'),
  fc.array(fc.oneof(fc.constantFrom('stories', 'epics', 'archive', 'decisions', 'reviews', 'charters', 'US0001-x.md', 'SC0001.md', '_index.md', '..', '.'), fc.string({ maxLength: 8 })), { maxLength: 5 }).map((a) => a.join('/')),
);
const vocab = fc.option(fc.dictionary(fc.constantFrom('story', 'bug', 'epic', 'other', '__proto__'), fc.array(fc.oneof(token, fc.string({ maxLength: 8 })), { maxLength: 4 })), { nil: null });

describe('parse/property (never throws, always well-shaped)', () => {
  it('parseDocument on arbitrary bytes', () => {
    fc.assert(
      fc.property(relPath, fc.uint8Array({ maxLength: 400 }), vocab, (p, b, v) => {
        const r = parseDocument(p, b, v);
        if (r.ok) assertShape(r.doc);
        else assert.deepEqual(r, { ok: false, reason: 'invalid-utf8' });
      }),
      { numRuns: 400 },
    );
  });

  it('parseDocument on header-like text (always valid UTF-8 → ok)', () => {
    fc.assert(
      fc.property(relPath, headerText, vocab, (p, text, v) => {
        const r = parseDocument(p, enc.encode(text), v);
        assert.equal(r.ok, true);
        if (r.ok) {
          assertShape(r.doc);
          assert.ok(r.doc.content.length <= text.length);
          // CRLF → LF: the same text written with LF parses identically (a `\r` left before LF stays).
          if (!text.includes('\r')) assert.ok(!r.doc.content.includes('\r'));
        }
      }),
      { numRuns: 600 },
    );
  });

  it('a prepended BOM does not change the parse', () => {
    fc.assert(
      fc.property(headerText, (text) => {
        const a = parseDocument('stories/US0001-x.md', enc.encode(text), null);
        const b = parseDocument('stories/US0001-x.md', enc.encode('\uFEFF' + text), null);
        assert.deepEqual(b, a);
      }),
      { numRuns: 200 },
    );
  });

  it('CRLF and LF versions of a text parse identically', () => {
    fc.assert(
      fc.property(headerText.map((t) => t.replace(/\r/g, '')), (text) => {
        const lf = parseDocument('stories/US0001-x.md', enc.encode(text), null);
        const crlf = parseDocument('stories/US0001-x.md', enc.encode(text.replace(/\n/g, '\r\n')), null);
        assert.deepEqual(crlf, lf);
      }),
      { numRuns: 200 },
    );
  });

  it("a body's bytes (what a sync stores) are the UTF-8 of its text, with a BOM, CRLF, lone CR or none", () => {
    const bodyText = fc.tuple(headerText, fc.constantFrom('', '\uFEFF'), fc.constantFrom('\n', '\r\n'), fc.string({ unit: 'binary' }));
    fc.assert(
      fc.property(bodyText, ([head, bom, eol, tail]) => {
        const bytes = Buffer.from(enc.encode(bom + (head + '\n' + tail).replace(/\n/g, eol)));
        const r = parseDocument('stories/US0001-x.md', bytes, null);
        if (!r.ok) return;
        const got = encodedSuffix(bytes, r.doc.content);
        assert.deepEqual(Buffer.from(got), Buffer.from(r.doc.content, 'utf8'));
        if (!bytes.includes(0x0d)) assert.equal(got.buffer, bytes.buffer, 'a view of the read bytes, not a copy');
      }),
      { numRuns: 600 },
    );
  });

  it('the generator really produces headers (guards against a vacuous property)', () => {
    let withMeta = 0;
    let withStatus = 0;
    fc.assert(
      fc.property(headerText, (text) => {
        const r = parseDocument('stories/US0001-x.md', enc.encode(text), null);
        if (r.ok && r.doc.metadata !== null) withMeta++;
        if (r.ok && r.doc.status !== null) withStatus++;
      }),
      { numRuns: 500, seed: 42 },
    );
    assert.ok(withMeta > 5, `metadata in ${withMeta}/500`);
    assert.ok(withStatus > 5, `status in ${withStatus}/500`);
  });

  it('id and status helpers on arbitrary strings', () => {
    const s = fc.oneof(line, fc.string(), fc.string({ unit: 'binary' }));
    fc.assert(
      fc.property(s, fc.oneof(fc.constantFrom('story', 'bug', 'epic', 'prd', 'other', '', '__proto__', 'constructor'), fc.string({ maxLength: 6 })), fc.option(fc.array(s, { maxLength: 3 }), { nil: null }), (x, type, extra) => {
        const h = idHead(x);
        assert.ok(h === null || x.trim().startsWith(h));
        const r = extractRefId(x);
        assert.ok(r === null || x.includes(r));
        const n = normId(x);
        assert.ok(n === null || /^[A-Z0-9]+$/.test(n));
        const c = canonicalStatus(x, type, extra);
        assert.ok(c === null || (typeof c === 'string' && c.length > 0));
        assert.equal(typeof isTerminal(type, x), 'boolean');
        assert.equal(typeof statusGroup(x), 'string');
        const cp = classifyPath(x);
        assert.ok(cp === null || (typeof cp.docType === 'string' && typeof cp.docId === 'string'));
      }),
      { numRuns: 800 },
    );
  });

  it('readSourceConfig on arbitrary bytes and YAML-ish text', () => {
    const yamlish = fc
      .array(fc.oneof(fc.constantFrom('schema_version:', 'profile:', 'status_vocab:', '  story:', '  - ', '[', ']', '{', '}', '&a', '*a', '!!binary', ': ', '"', "'", '\n', '  ', '3', 'Done', '---', '...', '? ', '- '), fc.string({ maxLength: 5 })), { maxLength: 30 })
      .map((a) => enc.encode(a.join('')));
    fc.assert(
      fc.property(fc.option(fc.oneof(fc.uint8Array({ maxLength: 200 }), yamlish), { nil: null }), fc.option(fc.oneof(fc.uint8Array({ maxLength: 100 }), yamlish), { nil: null }), (c, v) => {
        const cfg = readSourceConfig(c, v);
        assert.ok(isStrOrNull(cfg.schema_version));
        assert.ok(isStrOrNull(cfg.profile));
        if (cfg.status_vocab !== null) {
          for (const list of Object.values(cfg.status_vocab)) assert.ok(Array.isArray(list) && list.every((t) => typeof t === 'string'));
        }
        assert.equal(typeof statusVocabFingerprint(cfg.status_vocab), 'string');
      }),
      { numRuns: 400 },
    );
  });

  // No timing is asserted (timing targets belong in benchmarks): at this size a backtracking
  // blow-up runs far past the test timeout; test/unit/reliability/parser-fuzz checks growth ratios.
  it('pathological long lines stay linear (no regex backtracking blow-up)', () => {
    const n = 200_000;
    const text = `> **Owner:** a${' '.repeat(n)}b ${'·'.repeat(1000)} ${' '.repeat(n)}| x\n> **Status:** ${' ('.repeat(n)}\n**A**${' '.repeat(n)}x\n`;
    const r = parseDocument('stories/US0001-x.md', enc.encode(text), null);
    assert.ok(r.ok);
    assert.equal(r.doc.owner, `a${' '.repeat(n)}b ${'·'.repeat(1000)} ${' '.repeat(n)}| x`);
    assert.equal(r.doc.status, null, 'a status of only cut separators is blank');
    assert.equal(canonicalStatus(`Done${' '.repeat(n)}x`, 'story'), 'Done');
    assert.equal(extractRefId(`${'US-'.repeat(n)}${'a'.repeat(n)}`), null);
    assert.equal(idHead(`US-${'a'.repeat(n)}`), null);
  });
});
