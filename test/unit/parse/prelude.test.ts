// Issue 9, parser correction 1 (documents.md §4.2, §4.3 fallback): a header block may follow blank
// lines, `#` headings, HTML comments (one line or several) and a leading YAML frontmatter block.
import assert from 'node:assert/strict';
import { parseDocument } from '../../../src/core/parse';
import { parseText } from './helpers';

const STORY = 'stories/US0042-export-weekly-report.md';

/** The sdlc-studio story template's real opening (templates/core/story.md), filled in. */
const TEMPLATE_STORY = [
  '<!--',
  'Template: User Story (Streamlined)',
  'File: sdlc-studio/stories/US{NNNN}-{slug}.md',
  'Status values: See reference-outputs.md',
  'Related: help/story.md, reference-story.md',
  '-->',
  '# US0042: Export weekly report',
  '',
  '> **Status:** In Progress',
  '> **Epic:** [EP0007: Reporting](../epics/EP0007-reporting.md)',
  '> **Owner:** Sam',
  '> **Created:** 2026-07-11',
  '',
  '<!-- Affects: the source files this story changes. Declaring it lets the engagement floor',
  '     confirm a single-file change is genuinely small. -->',
  '',
  '## User Story',
  'body',
].join('\n');

describe('parse/prelude: what may stand above the header (documents.md §4.2, parser epoch 2)', () => {
  it('a multi-line template comment above the title: the whole header is read (it used to be lost)', () => {
    const d = parseText(STORY, TEMPLATE_STORY);
    assert.equal(d.status, 'In Progress');
    assert.equal(d.epic, 'EP0007');
    assert.equal(d.owner, 'Sam');
    assert.deepEqual(d.metadata, { created: '2026-07-11' });
    assert.equal(d.title, 'US0042: Export weekly report');
    // Comment, H1 and header leave content; a comment after the header is body.
    assert.ok(d.content.startsWith('\n<!-- Affects: the source files'), JSON.stringify(d.content.slice(0, 40)));
    assert.ok(!d.content.includes('Template: User Story'));
    assert.ok(!d.content.includes('> **Status:**'));
  });

  it('persona seat: multi-line comment, then <!-- role: qa --> and <!-- provenance --> lines, then the H1', () => {
    const text = [
      '<!--',
      'Default QA amigo (RFC0020). A specific, skilled seat that authors tests + runs the oracle, and',
      'reviews (separate instances). Customise or replace per project. See amigo-template.md.',
      '-->',
      '<!-- role: qa -->',
      '<!-- provenance: reviewed 2026-07-11 -->',
      '# Sam Eriksson - QA amigo',
      '',
      '> **Role:** QA amigo',
      '> **Owner:** Darren',
      '',
      '## Who They Are',
    ].join('\n');
    const d = parseText('personas/seats/sam-eriksson.md', text);
    assert.equal(d.docType, 'persona');
    assert.equal(d.owner, 'Darren');
    assert.deepEqual(d.metadata, { role: 'QA amigo' });
    assert.equal(d.content, '\n## Who They Are');
  });

  it('<!-- role: qa --> alone above the header, and two comments on one line', () => {
    assert.equal(parseText(STORY, '<!-- role: qa -->\n> **Status:** Done\n').status, 'Done');
    assert.equal(parseText(STORY, '<!-- a --> <!-- b -->\n# T\n> **Status:** Done\n').status, 'Done');
    assert.equal(parseText(STORY, '  <!-- indented --> \n> **Status:** Done\n').status, 'Done');
    assert.equal(parseText(STORY, '<!-- opens here\n  still comment\n  closes --> <!-- and one more -->\n> **Status:** Done\n').status, 'Done');
  });

  it('a quote inside a comment is comment, not header', () => {
    const d = parseText(STORY, '<!--\n> **Status:** Draft\n-->\n# T\n\n> **Status:** Done\nbody');
    assert.equal(d.status, 'Done');
    assert.equal(d.content, 'body');
  });

  it('leading YAML frontmatter, then the title and the header', () => {
    const text = '---\ntitle: Export weekly report\ntags: [reporting]\n> **Status:** not header\n---\n# US0042: Export\n\n> **Status:** Ready\n> **Owner:** Kim\n\nbody';
    const d = parseText(STORY, text);
    assert.equal(d.status, 'Ready');
    assert.equal(d.owner, 'Kim');
    assert.equal(d.metadata, null, 'frontmatter keys are not header fields');
    assert.equal(d.content, '\nbody');
    assert.equal(d.title, 'US0042: Export');
  });

  it('frontmatter, comments, blank lines and headings combined', () => {
    const d = parseText(STORY, '---\nid: US0042\n---\n\n<!-- Template: User Story -->\n\n# US0042: X\n\n## Summary\n<!-- role: qa -->\n> **Status:** Done\nbody');
    assert.equal(d.status, 'Done');
    assert.equal(d.content, 'body');
  });

  it('blank lines and headings before the header', () => {
    const d = parseText(STORY, '\n\n# US0042: X\n\n## Sub\n\n### Deeper\n   \n> **Status:** Blocked\n\nbody');
    assert.equal(d.status, 'Blocked');
    assert.equal(d.content, '\nbody');
  });

  describe('anything else above the first quote makes it body text', () => {
    const cases: [string, string][] = [
      ['prose', 'Some intro.\n> **Status:** Done\n'],
      ['a list item', '- item\n> **Status:** Done\n'],
      ['text after a closing -->', '<!-- note --> visible text\n> **Status:** Done\n'],
      ['text after a multi-line comment closes', '<!--\nnote\n--> tail\n> **Status:** Done\n'],
      ['frontmatter not on the first line', '\n---\nid: x\n---\n> **Status:** Done\n'],
      ['an unclosed frontmatter fence', '---\nid: x\n> **Status:** Done\n'],
      ['an unclosed comment (the quote is inside it)', '<!-- never closed\n> **Status:** Done\n'],
      ['a **Key:** line', '**Owner:** Ann\n> **Status:** Done\n'],
    ];
    for (const [name, text] of cases) {
      it(name, () => {
        const d = parseText(STORY, text);
        assert.equal(d.status, null);
        assert.equal(d.content, text, 'no header: content is the whole text');
      });
    }
    it('…and the fallback scan still reads a leading **Key:** line', () => {
      assert.equal(parseText(STORY, '**Owner:** Ann\n> **Status:** Done\n').owner, 'Ann');
    });
  });

  describe('fallback scan (no header) skips HTML comments too (§4.3, for this project)', () => {
    it('reads **Key:** lines below a template comment; lines stay in content', () => {
      const text = '<!--\nTemplate: PRD\n**Status:** commented out\n-->\n# Product Requirements Document\n\n**Status:** Draft\n<!-- role: product -->\n**Owner:** Ann\n\nProse.\n**Priority:** P1';
      const d = parseText('prd.md', text);
      assert.equal(d.status, 'Draft');
      assert.equal(d.owner, 'Ann');
      assert.equal(d.priority, null, 'stops at the first other line');
      assert.equal(d.content, text);
    });
    it('stops at a comment line with trailing text, and inside an unclosed comment', () => {
      assert.equal(parseText('prd.md', '<!-- x --> text\n**Status:** Draft\n').status, null);
      assert.equal(parseText('prd.md', '<!-- open\n**Status:** Draft\n').status, null);
    });
  });

  describe('never throws and stays linear on hostile preludes (no timing asserted: a quadratic scan would exceed the test timeout)', () => {
    const big = 2_000_000;
    const enc = new TextEncoder();
    const shapes: [string, string][] = [
      ['one 2 MB comment line before the header', `<!--${' x'.repeat(big / 2)}-->\n> **Status:** Done\n`],
      ['a comment that never closes', `<!--${'\n-- > '.repeat(big / 6)}`],
      ['many comments on one line', `${'<!---->'.repeat(big / 7)}\n> **Status:** Done\n`],
      ['many one-line comments', `${'<!-- role: qa -->\n'.repeat(big / 18)}> **Status:** Done\n`],
      ['openers with no closer on one line', '<!--'.repeat(big / 4)],
      ['a 2 MB frontmatter', `---\n${'k: v\n'.repeat(big / 5)}---\n> **Status:** Done\n`],
      ['frontmatter that never closes', `---\n${'> **Status:** x\n'.repeat(big / 16)}`],
      ['NUL bytes and deep quotes after a comment', `<!-- \u0000 -->\n${'>'.repeat(big)}\u0000\n`],
    ];
    for (const [name, text] of shapes) {
      it(name, () => {
        const r = parseDocument(STORY, enc.encode(text), null);
        assert.ok(r.ok);
        const closesAndHasHeader = text.endsWith('> **Status:** Done\n');
        assert.equal(r.doc.status, closesAndHasHeader ? 'Done' : null);
      });
    }
  });
});
