import assert from 'node:assert/strict';
import { parseDocument } from '../../../src/core/parse';
import { bytes, parseText } from './helpers';

const STORY = 'stories/US0042-export-weekly-report.md';

describe('parse/header and document anatomy (documents.md §4)', () => {
  it('parses the §4 typical artefact', () => {
    const text = [
      '# US0042: Export weekly report',
      '',
      '> **Status:** In Progress',
      '> **Epic:** [EP0007: Reporting](../epics/EP0007-reporting.md)',
      '> **Owner:** Sam',
      '> **Priority:** P1',
      '> **Story Points:** 3',
      '> **Depends on:** US0040, [[CR-0012]]',
      '',
      '## User Story',
      '...',
    ].join('\n');
    const d = parseText(STORY, text);
    assert.deepEqual(d, {
      docType: 'story',
      docId: 'US0042-export-weekly-report',
      refId: 'US0042',
      title: 'US0042: Export weekly report',
      status: 'In Progress',
      owner: 'Sam',
      priority: 'P1',
      storyPoints: 3,
      epic: 'EP0007',
      story: null,
      dependsOn: ['US0040', 'CR0012'],
      aliases: null,
      metadata: null,
      content: '\n## User Story\n...',
    });
  });

  describe('key/value lines', () => {
    it('colon inside, outside or absent; at least one space after >', () => {
      const d = parseText(STORY, '> **Status**: Done\n> **Owner** Sam\n> **Priority:** High\n>**Severity:** Low\n> **Created:** x\n');
      assert.equal(d.status, 'Done');
      assert.equal(d.owner, 'Sam');
      assert.equal(d.priority, 'High');
      assert.deepEqual(d.metadata, { created: 'x' }, 'no space after > → not a key line (and the single sandwiched line is malformed)');
    });
    it('normalises keys: trailing colon, whitespace runs → _, lowercase, hyphens kept', () => {
      const d = parseText(STORY, '> **Raised-by:** A\n> **Depends on:** US0001\n> **GitHub  Issue:** #4\n> **Verification depth:** functional\n> **Story Points:** 2\n');
      assert.deepEqual(d.metadata, { 'raised-by': 'A', github_issue: '#4', verification_depth: 'functional' });
      assert.deepEqual(d.dependsOn, ['US0001']);
      assert.equal(d.storyPoints, 2);
    });
    it('empty value → key present with ""', () => {
      const d = parseText(STORY, '> **Owner:**\n> **Reviewer:**\n> **Status:** Done\n');
      assert.equal(d.owner, '');
      assert.deepEqual(d.metadata, { reviewer: '' });
    });
    it('repeated key: last occurrence wins', () => {
      const d = parseText(STORY, '> **Status:** Draft\n> **Created:** 1\n> **Status:** Done\n> **Created:** 2\n');
      assert.equal(d.status, 'Done');
      assert.deepEqual(d.metadata, { created: '2' });
    });
    it('nested quotes (>>) are never header', () => {
      const d = parseText(STORY, '>> **Status:** Done\n\nbody');
      assert.equal(d.status, null);
      assert.equal(d.metadata, null);
      assert.equal(d.content, '>> **Status:** Done\n\nbody');
    });
    it('the header ends at a >> line', () => {
      const d = parseText(STORY, '> **Status:** Done\n>> **Owner:** X\n> **Priority:** P1\n');
      assert.equal(d.status, 'Done');
      assert.equal(d.owner, null);
      assert.equal(d.priority, null);
      assert.equal(d.content, '>> **Owner:** X\n> **Priority:** P1\n');
    });
    it('values are trimmed', () => {
      const d = parseText(STORY, '> **Owner:**    Sam   \t\n');
      assert.equal(d.owner, 'Sam');
    });
  });

  describe('inline multi-field', () => {
    it('splits on · before ** (§4.3 example)', () => {
      const d = parseText(STORY, '> **Status:** Done · **CR:** CR-0088 · **Points:** 5\n');
      assert.equal(d.status, 'Done');
      assert.deepEqual(d.metadata, { cr: 'CR-0088', points: '5' });
      assert.equal(d.storyPoints, 5, 'points is the story_points fallback for stories');
    });
    it('splits on | too, with or without spaces; drops non-matching segments', () => {
      const d = parseText('bugs/BG0001-x.md', '> **Status:** Open|**Severity:** High | **Owner**: Kim · not a field\n');
      assert.equal(d.status, 'Open');
      assert.equal(d.owner, 'Kim · not a field');
      assert.deepEqual(d.metadata, { severity: 'High' });
    });
    it('a · not followed by ** does not split', () => {
      const d = parseText(STORY, '> **Owner:** Sam · Alex | Kim\n');
      assert.equal(d.owner, 'Sam · Alex | Kim');
    });
    it('segment after a separator that is not a field is dropped', () => {
      const d = parseText(STORY, '> **Owner:** Sam · **bold text\n');
      assert.equal(d.owner, 'Sam');
      assert.equal(d.metadata, null);
    });
    it('inline fields feed dedicated columns', () => {
      const d = parseText('plans/PL0001-x.md', '> **Status:** Complete · **Story:** US0001 · **Epic:** EP-01KXCCA4\n');
      assert.equal(d.status, 'Complete');
      assert.equal(d.story, 'US0001');
      assert.equal(d.epic, 'EP01KXCCA4');
    });
  });

  describe('continuation lines', () => {
    it('a run of ≥ 2 non-key lines continues the preceding key', () => {
      const d = parseText(STORY, '> **Summary:** first\n> second line\n>   third line  \n> **Status:** Done\n');
      assert.deepEqual(d.metadata, { summary: 'first second line third line' });
      assert.equal(d.status, 'Done');
    });
    it('a run reaching the end of the block continues, even a single line', () => {
      const d = parseText(STORY, '> **Status:** Done\n> **Note:** a\n> b\n\nbody');
      assert.deepEqual(d.metadata, { note: 'a b' });
      assert.equal(d.content, '\nbody');
    });
    it('a single non-key line sandwiched between key lines is ignored as malformed', () => {
      const d = parseText(STORY, '> **Owner:** Sam\n> stray text\n> **Status:** Done\n');
      assert.equal(d.owner, 'Sam');
      assert.equal(d.status, 'Done');
      assert.equal(d.metadata, null);
    });
    it('empty quote lines add nothing; continuation of an empty value has no leading space', () => {
      const d = parseText(STORY, '> **Note:**\n>\n> text here\n> **Status:** Done\n');
      assert.deepEqual(d.metadata, { note: 'text here' });
    });
    it('non-key lines before the first key are ignored', () => {
      const d = parseText(STORY, '> intro one\n> intro two\n> **Status:** Done\n');
      assert.equal(d.status, 'Done');
      assert.equal(d.metadata, null);
    });
    it('continuation goes to the line\'s main key, not an inline field', () => {
      const d = parseText(STORY, '> **Owner:** Sam · **Team:** Core\n> more\n> text\n');
      assert.equal(d.owner, 'Sam more text');
      assert.deepEqual(d.metadata, { team: 'Core' });
    });
  });

  describe('locating the header (for this project: only blank or # lines above it)', () => {
    it('a quote deep in the body is content, not header', () => {
      const text = '# Title\n\nSome intro paragraph.\n\n> **Status:** Done\n> note\n\nMore.';
      const d = parseText('other/notes.md', text);
      assert.equal(d.status, null);
      assert.equal(d.metadata, null);
      assert.equal(d.content, text);
    });
    it('headings and blank lines above are allowed and excluded from content', () => {
      const d = parseText(STORY, '\n# Title\n\n## Sub\n> **Status:** Done\nbody');
      assert.equal(d.status, 'Done');
      assert.equal(d.content, 'body');
    });
    it('only the first block is the header; later blockquotes are body', () => {
      const d = parseText(STORY, '> **Status:** Done\n\n> **Owner:** Later\n');
      assert.equal(d.owner, null);
      assert.equal(d.content, '\n> **Owner:** Later\n');
    });
    it('a header with no key: fallback finds nothing, content starts after the block', () => {
      const d = parseText('reviews/log.md', '# Log\n\n> Append-only.\n> Latest wins.\n\n| a | b |\n');
      assert.equal(d.metadata, null);
      assert.equal(d.content, '\n| a | b |\n');
    });
    it('indented quote lines still belong to the block', () => {
      const d = parseText(STORY, '> **Status:** Done\n  > **Owner:** X\nbody');
      assert.equal(d.status, 'Done');
      assert.equal(d.content, 'body');
    });
  });

  describe('fallback scan (no header)', () => {
    it('reads leading **Key:** lines, skipping blanks, # lines and ---; they stay in content', () => {
      const text = '# Product Requirements Document\n\n**Project:** Lens\n**Status:** Complete\n---\n**Version**: 1.3\n\nProse stops it.\n**Owner:** nobody';
      const d = parseText('prd.md', text);
      assert.equal(d.status, 'Complete');
      assert.equal(d.owner, null);
      assert.deepEqual(d.metadata, { project: 'Lens', version: '1.3' });
      assert.equal(d.content, text);
    });
    it('no inline split and no continuation in the fallback', () => {
      const d = parseText('prd.md', '**Status:** Done · **CR:** CR-1\n**Owner:** Sam\n');
      assert.equal(d.status, 'Done');
      assert.deepEqual(d.metadata, null);
      const raw = parseText('trd.md', '**Owner:** Sam · **CR:** CR-1\n');
      assert.equal(raw.owner, 'Sam · **CR:** CR-1');
    });
    it('stops at the first other line', () => {
      const d = parseText('prd.md', 'Intro\n**Status:** Done\n');
      assert.equal(d.status, null);
      assert.equal(d.metadata, null);
    });
  });

  describe('title (§4.4)', () => {
    it('first column-0 "# " line anywhere, trimmed, keeping the id text', () => {
      assert.equal(parseText(STORY, '> **Status:** Done\n\n## Sub\n #  not\n# US0042: Real  \n# Second').title, 'US0042: Real');
    });
    it('even inside a fenced code block (quirk)', () => {
      assert.equal(parseText(STORY, 'intro\n```\n# comment\n```\n# Later').title, 'comment');
    });
    it('none → doc_id; "#" alone and "##" do not count', () => {
      assert.equal(parseText(STORY, '#\n## Two\n#Three\nbody').title, 'US0042-export-weekly-report');
      assert.equal(parseText('prd.md', 'no title').title, 'prd');
    });
  });

  describe('decoding (§4.1)', () => {
    it('strips a leading UTF-8 BOM', () => {
      const r = parseDocument(STORY, bytes([0xef, 0xbb, 0xbf], '# T\n> **Status:** Done\n'), null);
      assert.ok(r.ok);
      assert.equal(r.doc.title, 'T');
      assert.equal(r.doc.status, 'Done');
    });
    it('CRLF → LF, lone CR untouched', () => {
      const r = parseDocument(STORY, bytes('# T\r\n\r\n> **Status:** Done\r\n> **Owner:** A\rB\r\n\r\nbody\rx\r\n'), null);
      assert.ok(r.ok);
      assert.equal(r.doc.status, 'Done');
      assert.equal(r.doc.owner, 'A\rB');
      assert.equal(r.doc.content, '\nbody\rx\n');
    });
    it('invalid UTF-8 → { ok: false, reason: "invalid-utf8" }', () => {
      assert.deepEqual(parseDocument(STORY, bytes('# T\n', [0xff, 0xfe, 0x80]), null), { ok: false, reason: 'invalid-utf8' });
      assert.deepEqual(parseDocument(STORY, Uint8Array.from([0xc3]), null), { ok: false, reason: 'invalid-utf8' });
      assert.deepEqual(parseDocument(STORY, Uint8Array.from([0xed, 0xa0, 0x80]), null), { ok: false, reason: 'invalid-utf8' });
    });
    it('empty file → empty document', () => {
      const r = parseDocument(STORY, new Uint8Array(0), null);
      assert.deepEqual(r, {
        ok: true,
        doc: {
          docType: 'story', docId: 'US0042-export-weekly-report', refId: 'US0042', title: 'US0042-export-weekly-report',
          status: null, owner: null, priority: null, storyPoints: null, epic: null, story: null,
          dependsOn: null, aliases: null, metadata: null, content: '',
        },
      });
    });
    it('a BOM-only file is empty too', () => {
      const r = parseDocument('prd.md', Uint8Array.from([0xef, 0xbb, 0xbf]), null);
      assert.ok(r.ok);
      assert.equal(r.doc.content, '');
    });
  });
});
