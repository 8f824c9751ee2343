// parseForStore (what a sync parses) against parseDocument + encodedSuffix, the reference: the same
// fields and the same stored bytes for any text and any head size, whether the head alone decided the
// document or the whole file was parsed. Real files too: the sample project, a generated corpus with
// the variety the bench corpus has, and the real corpora of ../shared when the checkout has them.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseDocument, type StatusVocab } from '../../../src/core/parse';
import { encodedSuffix } from '../../../src/core/parse/decode';
import { HEAD_BYTES, parseForStore } from '../../../src/core/parse/document';
import { describeShared, FIXTURES, LENS, markdownFilesUnder, SAMPLE, withGeneratedCorpus } from '../../support/corpora';
import { structured, text } from '../../support/headerTexts';

const enc = new TextEncoder();

function reference(p: string, bytes: Uint8Array, vocab: StatusVocab | null) {
  const r = parseDocument(p, bytes, vocab);
  if (!r.ok) return r;
  const { content, ...doc } = r.doc;
  return { ok: true as const, doc, contentBytes: Buffer.from(encodedSuffix(bytes, content)) };
}

function assertSame(p: string, bytes: Uint8Array, vocab: StatusVocab | null, headBytes?: number): void {
  const got = parseForStore(p, bytes, vocab, headBytes);
  const want = reference(p, bytes, vocab);
  assert.deepEqual(got.ok ? { ...got, contentBytes: Buffer.from(got.contentBytes) } : got, want);
}

const vocab = fc.option(fc.constant({ story: ['Draft', 'Done', 'In Progress'] } as StatusVocab), { nil: null });

/** Every markdown file under `root` (at least `least` of them): the same with the default head and a 32-byte one. */
function sameOnEveryFile(root: string, least: number): void {
  const files = markdownFilesUnder(root, least);
  for (const f of files) {
    const bytes = fs.readFileSync(path.join(root, f));
    const rel = f.split(path.sep).join('/');
    assertSame(rel, bytes, null);
    assertSame(rel, bytes, null, 32);
  }
}

describe('parse/parseForStore (what a sync parses: the same as parseDocument, decoding only the head when it decides)', () => {
  it('equals parseDocument + encodedSuffix on header-like texts, for any head size', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 300 }), vocab, (t, head, v) => assertSame('stories/US0001-x.md', enc.encode(t), v, head)),
      { numRuns: 3000 },
    );
  });

  it('equals it on documents with a prelude, a header and a body, for any head size', () => {
    fc.assert(
      fc.property(structured, fc.integer({ min: 1, max: 200 }), vocab, (t, head, v) => assertSame('stories/US0001-x.md', enc.encode(t), v, head)),
      { numRuns: 3000 },
    );
  });

  it('equals it on arbitrary bytes (invalid UTF-8 included)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 1, max: 64 }), (b, head) => assertSame('bugs/BG0001-x.md', b, null, head)),
      { numRuns: 1000 },
    );
  });

  it('decides from the head alone for an ordinary document (guards against a vacuous property)', () => {
    const body = 'Body text. '.repeat(400);
    const bytes = Buffer.from(`# US0001: Title\n\n> **Status:** Done\n> **Epic:** EP0001\n\n${body}\n# Later heading\n`);
    const got = parseForStore('stories/US0001-x.md', bytes, null);
    assert.ok(got.ok);
    assert.equal(got.doc.title, 'US0001: Title');
    assert.equal(got.doc.status, 'Done');
    assert.equal(got.contentBytes.buffer, bytes.buffer, 'a view of the bytes read');
    assert.ok(bytes.length > 4 * HEAD_BYTES, 'longer than the head');
    // the title found after the head, in the bytes
    const late = Buffer.from(`> **Status:** Done\n\n${'x'.repeat(3 * HEAD_BYTES)}\n# Late title\nmore\n`);
    assertSame('stories/US0002-x.md', late, null);
    const r = parseForStore('stories/US0002-x.md', late, null);
    assert.ok(r.ok && r.doc.title === 'Late title');
  });

  it('equals it on every file of the sample project, with the default head and a tiny one', () => sameOnEveryFile(SAMPLE, 40));

  it('equals it on every file of a generated corpus, with the default head and a tiny one', () => withGeneratedCorpus(400, 7, (sdlc) => sameOnEveryFile(sdlc, 400)));
});

describeShared('parse/parseForStore on the real corpora', () => {
  it('equals parseDocument + encodedSuffix on every file of the original\'s sdlc-studio folder and its fixtures', () => {
    sameOnEveryFile(LENS, 190);
    sameOnEveryFile(FIXTURES, 10);
  });
});
