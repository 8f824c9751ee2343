// The value-only status edit (writing.md §1.2) on every document of every corpus and on the header
// forms, line endings and encodings the spec lists: only the Status value changes, and the result
// reads back (through the real parser) as the same document with the new status.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyPath, parseDocument } from '../../../src/core/parse';
import type { ParsedDocument } from '../../../src/core/parse';
import { editStatusBytes, editStatusText, statusValueOf, vocabularyOf } from '../../../src/core/write';
import { FIXTURES, LENS, SAMPLE, describeShared } from '../../support/corpora';

function markdownFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...markdownFiles(dir, r));
    else if (e.name.endsWith('.md')) out.push(r);
  }
  return out.sort();
}

function parsed(rel: string, bytes: Uint8Array): ParsedDocument {
  const r = parseDocument(rel, bytes, null);
  assert.ok(r.ok, `${rel} parses`);
  return r.doc;
}

/** Everything the parser derives, but the status (and `content` when a header line was added). */
function allBut(doc: ParsedDocument, withContent: boolean): Partial<ParsedDocument> {
  const { status, content, ...rest } = doc;
  void status;
  return withContent ? { ...rest, content } : rest;
}

/** Every document of a corpus: set to another status and back; the file and its parse as described. */
function roundTripCorpus(root: string, transform: (b: Buffer) => Buffer = (b) => b, label = ''): void {
  const files = markdownFiles(root).filter((rel) => classifyPath(rel) !== null);
  it(`${files.length} documents${label}: set another status → re-parses to it, all else equal; set back → byte-identical`, () => {
    assert.ok(files.length > 0);
    let replaced = 0;
    let inserted = 0;
    for (const rel of files) {
      const bytes = transform(fs.readFileSync(path.join(root, rel)));
      const doc = parsed(rel, bytes);
      const other = vocabularyOf(doc.docType).find((s) => s !== doc.status)!;
      const edit = editStatusBytes(bytes, other);
      assert.equal(edit.changed, true, rel);
      const after = parsed(rel, edit.bytes);
      assert.equal(after.status, other, rel);
      assert.deepEqual(allBut(after, false), allBut(doc, false), rel);
      if (!edit.inserted && after.content !== doc.content) {
        // fields read by the fallback scan stay in the body: there, exactly the Status line differs
        const a = after.content.split('\n');
        const b = doc.content.split('\n');
        assert.equal(a.length, b.length, rel);
        const differing = a.map((line, i) => [line, b[i]] as const).filter(([x, y]) => x !== y);
        assert.equal(differing.length, 1, rel);
        assert.ok(differing[0]![0].includes(`**Status:** ${other}`) || differing[0]![0].includes(`**Status**: ${other}`), rel);
      }
      // the change is exactly the reported one
      const text = bytes.toString('utf8');
      assert.equal(edit.text, text.slice(0, edit.change.start) + edit.change.newText + text.slice(edit.change.end), rel);
      if (edit.inserted) {
        inserted++;
        assert.equal(doc.status, null, rel);
        assert.equal(edit.change.start, edit.change.end, rel);
        continue;
      }
      replaced++;
      assert.equal(edit.change.newText, other, rel);
      // back to the value as written: the very same bytes
      const raw = text.slice(edit.change.start, edit.change.end);
      const back = editStatusBytes(edit.bytes, raw);
      assert.ok(Buffer.from(back.bytes).equals(bytes), `${rel}: set back is byte-identical`);
      // back to the canonical status: the original with only that value replaced
      if (doc.status !== null) {
        const canon = editStatusBytes(edit.bytes, doc.status);
        assert.equal(canon.text, text.slice(0, edit.change.start) + doc.status + text.slice(edit.change.end), rel);
        assert.equal(parsed(rel, canon.bytes).status, doc.status, rel);
      }
    }
    assert.ok(replaced > 0, 'some documents have a Status line');
    void inserted;
  });
}

/** CRLF everywhere, a BOM, and trailing spaces on every other line: what Windows editors leave. */
const windowsy = (b: Buffer): Buffer =>
  Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(b.toString('utf8').split('\n').map((l, i) => (i % 2 ? `${l}  ` : l)).join('\r\n'), 'utf8')]);
/** Mixed endings: every third line break CRLF. */
const mixed = (b: Buffer): Buffer => Buffer.from(b.toString('utf8').split('\n').map((l, i) => (i % 3 === 0 ? `${l}\r` : l)).join('\n'), 'utf8');

describe('value-only status edit: every document of the sample corpus', function () {
  this.timeout(60_000);
  roundTripCorpus(SAMPLE);
  roundTripCorpus(SAMPLE, windowsy, ' (CRLF, BOM, trailing spaces)');
  roundTripCorpus(SAMPLE, mixed, ' (mixed line endings)');
});

describeShared('value-only status edit: every document of the real corpora', function () {
  this.timeout(120_000);
  describe('lens', () => {
    roundTripCorpus(LENS);
    roundTripCorpus(LENS, windowsy, ' (CRLF, BOM, trailing spaces)');
  });
  describe('fixtures', () => roundTripCorpus(FIXTURES));
});

describe('value-only status edit: forms, endings, encodings', () => {
  const set = (text: string, status: string) => editStatusText(text, status);

  it('every header form keeps its shape: `> **Status:** X`, `> **Status**: X`, `**Status**: X`, `**Status:** X`', () => {
    assert.equal(set('# T\n\n> **Status:** Draft\n> **Owner:** A\n', 'Done').text, '# T\n\n> **Status:** Done\n> **Owner:** A\n');
    assert.equal(set('# T\n\n> **Status**: Draft\n> **Owner**: A\n', 'Done').text, '# T\n\n> **Status**: Done\n> **Owner**: A\n');
    assert.equal(set('# T\n\n**Status**: Draft\n**Owner**: A\n\nBody\n', 'Done').text, '# T\n\n**Status**: Done\n**Owner**: A\n\nBody\n');
    assert.equal(set('# T\n\n**Status:** Draft\n', 'Done').text, '# T\n\n**Status:** Done\n');
    assert.equal(set('# T\n\n>   **Status:**    Draft   \n', 'Done').text, '# T\n\n>   **Status:**    Done   \n');
  });

  it('inline fields: only the Status segment changes (`·` and `|`, Status first or later)', () => {
    assert.equal(set('> **Status:** Done · **CR:** CR-0088 · **Points:** 5\n', 'Review').text, '> **Status:** Review · **CR:** CR-0088 · **Points:** 5\n');
    assert.equal(set('> **Epic:** EP0001 | **Status:** Draft | **Owner:** Sam\n', 'Ready').text, '> **Epic:** EP0001 | **Status:** Ready | **Owner:** Sam\n');
    assert.equal(set('> **Owner:** Sam · **Status:** Draft\n', 'Ready').text, '> **Owner:** Sam · **Status:** Ready\n');
  });

  it('a decorated value is replaced whole', () => {
    assert.equal(set('> **Status:** **Done** - implemented 2026-07-08\n', 'In Progress').text, '> **Status:** In Progress\n');
    assert.equal(set('> **Status:** Done (v2.83.0) · **CR:** CR-0088\n', 'Review').text, '> **Status:** Review · **CR:** CR-0088\n');
  });

  it('CRLF, a BOM, trailing spaces and mixed line endings stay byte for byte', () => {
    const crlf = '\uFEFF# T\r\n\r\n> **Status:** Draft  \r\n> **Owner:** A\r\n\nBody  \r\nend';
    const r = set(crlf, 'Ready');
    assert.equal(r.text, '\uFEFF# T\r\n\r\n> **Status:** Ready  \r\n> **Owner:** A\r\n\nBody  \r\nend');
    assert.deepEqual(r.change.range, { start: { line: 2, character: 14 }, end: { line: 2, character: 19 } });
    const bytes = Buffer.from(crlf, 'utf8');
    const b = editStatusBytes(bytes, 'Ready');
    assert.ok(b.bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])));
    assert.equal(b.bytes.toString('utf8'), r.text);
    // BOM on the Status line itself (no title): the range is in BOM-less coordinates, offsets are not
    const top = set('\uFEFF> **Status:** Draft\n', 'Done');
    assert.equal(top.text, '\uFEFF> **Status:** Done\n');
    assert.deepEqual(top.change.range.start, { line: 0, character: 14 });
    assert.equal(top.change.start, 15);
  });

  it('no Status line in a header block: `> **Status:** <new>` becomes its first line, with the file’s line ending', () => {
    assert.equal(set('# T\n\n> **Owner:** A\n> **Priority:** P1\n\nBody\n', 'Draft').text, '# T\n\n> **Status:** Draft\n> **Owner:** A\n> **Priority:** P1\n\nBody\n');
    const r = set('# T\r\n\r\n> **Owner:** A\r\n', 'Draft');
    assert.equal(r.text, '# T\r\n\r\n> **Status:** Draft\r\n> **Owner:** A\r\n');
    assert.equal(r.inserted, true);
    assert.equal(r.fromRaw, null);
    assert.deepEqual(r.change.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } });
  });

  it('no header block: after the title line with one blank line around it', () => {
    assert.equal(set('# T\n\nBody\n', 'Draft').text, '# T\n\n> **Status:** Draft\n\nBody\n');
    assert.equal(set('# T\nBody\n', 'Draft').text, '# T\n\n> **Status:** Draft\n\nBody\n');
    assert.equal(set('# T', 'Draft').text, '# T\n\n> **Status:** Draft\n');
    assert.equal(set('<!-- template -->\n# T\n\n## Section\n', 'Draft').text, '<!-- template -->\n# T\n\n> **Status:** Draft\n\n## Section\n');
    assert.equal(set('Just prose.\n', 'Draft').text, '> **Status:** Draft\n\nJust prose.\n');
    // a quoted note as the first block holds no field: the new header stays apart from it
    assert.equal(set('# T\n\n> a note\n', 'Draft').text, '# T\n\n> **Status:** Draft\n\n> a note\n');
  });

  it('fields read by the fallback scan (no `>` block): a `**Status:**` line of that form joins them', () => {
    const r = set('# T\n\n**Owner:** A\n**Priority:** P1\n\nBody\n', 'Draft');
    assert.equal(r.text, '# T\n\n**Status:** Draft\n**Owner:** A\n**Priority:** P1\n\nBody\n');
  });

  it('an empty value gets its separating space; an unchanged value is no change', () => {
    assert.equal(set('> **Status:**\n> **Owner:** A\n', 'Draft').text, '> **Status:** Draft\n> **Owner:** A\n');
    const same = set('> **Status:** Draft\n', 'Draft');
    assert.equal(same.changed, false);
    assert.equal(same.text, '> **Status:** Draft\n');
  });

  it('the last Status line is the one the parser reads, so it is the one edited', () => {
    assert.equal(set('> **Status:** Draft\n> **Owner:** A\n> **Status:** Ready\n', 'Done').text, '> **Status:** Draft\n> **Owner:** A\n> **Status:** Done\n');
  });

  it('refuses what it cannot change without touching more: a value continued over lines, a multi-line status', () => {
    assert.throws(() => set('> **Owner:** A\n> **Status:** Ready for\n> review by\n> the team\n', 'Done'), /continues over several lines/);
    assert.throws(() => set('> **Status:** Draft\n', 'Done\n> **Owner:** X'), /one line/);
    assert.throws(() => set('> **Status:** Draft\n', '   '), /one line/);
  });

  it('refuses invalid UTF-8', () => {
    assert.throws(() => editStatusBytes(Buffer.from([0x3e, 0x20, 0xff, 0xfe, 0x0a]), 'Done'), /not valid UTF-8/);
  });

  it('statusValueOf reads what the parser reads', () => {
    assert.equal(statusValueOf('# T\r\n\r\n> **Status:** **Done** - x\r\n'), '**Done** - x');
    assert.equal(statusValueOf('# T\n'), null);
  });
});
