// Where a health finding is placed (SpanCache, health/placement.ts) is read from the file's head when
// the head decides it (decidingHeadLines, health/text.ts), and must be what the whole file gives:
// for any text and any head size, on real files (the sample project, a generated corpus, the real
// corpora of ../shared when the checkout has them), and on a file far too large to read whole.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { SpanCache } from '../../../src/core/health/placement';
import { decidingHeadLines, fieldOrTitleSpan, splitLines } from '../../../src/core/health/text';
import { describeShared, FIXTURES, LENS, markdownFilesUnder, SAMPLE, withGeneratedCorpus } from '../../support/corpora';
import { structured, text } from '../../support/headerTexts';

/** The fields findings are placed on (RULE_FIELD, orphanOf), a missing one, and the title (null). */
const FIELDS = [null, 'Status', 'Epic', 'Story', 'Owner', 'Story Points', 'Depends on', 'Nowhere'] as const;

const whole = (t: string) => FIELDS.map((f) => fieldOrTitleSpan(splitLines(t), f));

/** SpanCache's spans equal the whole file's on every markdown file under `root`, with the default head and a 32-byte one. */
function sameOnEveryFile(root: string, least: number): void {
  const files = markdownFilesUnder(root, least);
  for (const headBytes of [undefined, 32]) {
    const cache = new SpanCache(headBytes);
    for (const f of files) {
      const abs = path.join(root, f);
      const spans = cache.spans(abs, FIELDS);
      assert.ok(spans, abs);
      assert.deepEqual(
        FIELDS.map((k) => spans.get(k ?? '')),
        whole(fs.readFileSync(abs, 'utf8')),
        `${f} (head ${headBytes ?? 'default'})`,
      );
    }
    assert.equal(cache.reads, files.length, 'each file read once');
  }
}

describe('health/placement: spans read from a file\'s head equal the whole file\'s', () => {
  let decided = 0;
  const sameFromHead = (t: string, head: number) => {
    const bytes = Buffer.from(t);
    const lines = decidingHeadLines(bytes.subarray(0, head));
    if (!lines) return;
    decided++;
    assert.deepEqual(
      FIELDS.map((f) => fieldOrTitleSpan(lines, f)),
      whole(t),
    );
  };

  it('on header-like texts and documents with a prelude, a header and a body, for any head size', () => {
    fc.assert(fc.property(text, fc.integer({ min: 1, max: 300 }), sameFromHead), { numRuns: 3000 });
    fc.assert(fc.property(structured, fc.integer({ min: 1, max: 200 }), sameFromHead), { numRuns: 3000 });
    assert.ok(decided > 1000, `the head decided ${decided} of 6,000 (a vacuous property decides none)`);
  });

  it('on every file of the sample project, with the default head and a tiny one', () => sameOnEveryFile(SAMPLE, 40));

  it('on every file of a generated corpus, with the default head and a tiny one', () => withGeneratedCorpus(400, 11, (sdlc) => sameOnEveryFile(sdlc, 400)));

  it('places a finding in a file too large to read whole (only its head is read)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-spans-'));
    try {
      const file = path.join(dir, 'US0001-huge.md');
      fs.writeFileSync(file, '# US0001: Huge\n\n> **Status:** Done\n> **Epic:** EP0001\n\nBody.\n');
      // sparse: 600 MiB of NULs on no disk; decoded whole it passes V8's longest string (~512 Mi
      // characters), so a whole-file read fails and leaves the finding unplaced (null)
      fs.truncateSync(file, 600 * 2 ** 20);
      const spans = new SpanCache().spans(file, ['Status', 'Epic', null]);
      assert.deepEqual(spans && [...spans], [
        ['Status', { line: 2, start: 2, end: 18 }],
        ['Epic', { line: 3, start: 2, end: 18 }],
        ['', { line: 0, start: 0, end: 14 }],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeShared('health/placement: spans from the head on the real corpora', () => {
  it('equal the whole file\'s on every file of the original\'s sdlc-studio folder and its fixtures', () => {
    sameOnEveryFile(LENS, 190);
    sameOnEveryFile(FIXTURES, 10);
  });
});
