// Issue 9, parser corrections 2 and 3: record folders win over an id prefix (documents.md §5.4) and
// the skill's issue, charter and handoff types (§1, §5.1) — one definition of each type (doctypes.ts).
import assert from 'node:assert/strict';
import {
  canonicalStatus,
  classifyPath,
  DOC_TYPES,
  extractRefId,
  FOLDER_TYPES,
  isTerminal,
  PREFIX_TYPES,
  RECORD_FOLDERS,
  RECORD_TYPES,
  STATUS_VOCAB,
  TERMINAL_STATUS,
  TYPE_ORDER,
  typeLabel,
  typeRank,
} from '../../../src/core/parse';
import { parseText } from './helpers';

describe('parse/types: record folders and the issue, charter and handoff types (parser epoch 2)', () => {
  describe('record folders beat an id prefix in the file name (§5.4, for this project)', () => {
    it('the record folders are exactly decisions, reviews, retros, personas, handoffs', () => {
      assert.deepEqual([...RECORD_FOLDERS].sort(), ['decisions', 'handoffs', 'personas', 'retros', 'reviews']);
    });

    it('decisions/BG0074.md (the decision ledger of BG0074) is a decision, not a second BG0074 bug', () => {
      const text = '# BG0074 decision ledger\n\n> **Status:** Accepted\n> **Owner:** Darren\n\n## Decisions\n';
      const d = parseText('decisions/BG0074.md', text);
      assert.equal(d.docType, 'decision');
      assert.equal(d.docId, 'BG0074', 'doc_id stays the full stem');
      assert.equal(d.owner, 'Darren');
      const bug = parseText('bugs/BG0074-login-fails.md', '# BG0074: Login fails\n\n> **Status:** Open\n');
      assert.equal(bug.docType, 'bug');
    });

    it('reviews/EP0004-remediation-review.md is a review, not an epic', () => {
      const d = parseText('reviews/EP0004-remediation-review.md', '# EP0004 remediation review\n\n> **Date:** 2026-07-11\n');
      assert.equal(d.docType, 'review');
      assert.equal(d.docId, 'EP0004-remediation-review');
      assert.deepEqual(d.metadata, { date: '2026-07-11' });
    });

    const rows: [string, string, string][] = [
      ['retros/US0001-sprint-retro.md', 'retro', 'US0001-sprint-retro'],
      ['retros/RETRO0001-x.md', 'retro', 'RETRO0001-x'],
      ['reviews/RV0001-x.md', 'review', 'RV0001-x'],
      ['personas/US0001.md', 'persona', 'US0001'],
      ['handoffs/US-01KXCB7V-session.md', 'handoff', 'US-01KXCB7V-session'],
      ['decisions/archive/CR-0003.md', 'decision', 'CR-0003'],
      ['docs/decisions/BG0074.md', 'decision', 'BG0074'],
      // outside a record folder the prefix still beats the folder
      ['stories/EP0001.md', 'epic', 'EP0001'],
      ['bugs/archive/BG0074.md', 'bug', 'BG0074'],
      ['issues/BG0001-x.md', 'bug', 'BG0001-x'],
      // a record folder nested in another type folder: rule 4's outermost folder decides
      ['epics/reviews/US0001-x.md', 'epic', 'US0001-x'],
      // singletons (rule 3) still apply inside a record folder
      ['decisions/prd.md', 'prd', 'prd'],
      // a file named like a record folder is not inside it
      ['decisions.md', 'decisions', 'decisions'],
      ['reviews-BG0001.md', 'other', 'reviews-BG0001'],
      ['BG0074.md', 'bug', 'BG0074'],
    ];
    for (const [path, docType, docId] of rows) {
      it(`${path} → ${docType} / ${docId}`, () => assert.deepEqual(classifyPath(path), { docType, docId }));
    }
  });

  describe('new types (§1, §5.1)', () => {
    const kinds: [string, string, string, string, string][] = [
      // type, folder, prefix, singular, plural
      ['issue', 'issues', 'IS', 'Issue', 'Issues'],
      ['charter', 'charters', 'SC', 'Charter', 'Charters'],
      ['handoff', 'handoffs', 'HO', 'Handoff', 'Handoffs'],
    ];
    for (const [type, folder, prefix, one, many] of kinds) {
      it(`${type}: folder ${folder}/, prefix ${prefix}, labels, order, references`, () => {
        assert.equal(FOLDER_TYPES.get(folder), type);
        assert.equal(PREFIX_TYPES[prefix], type);
        assert.deepEqual(classifyPath(`${folder}/${prefix}0001-x.md`), { docType: type, docId: `${prefix}0001-x` });
        assert.deepEqual(classifyPath(`${prefix}-01KXCB7V-y.md`), { docType: type, docId: `${prefix}-01KXCB7V-y` });
        assert.deepEqual(classifyPath(`${folder}/notes.md`), { docType: type, docId: 'notes' });
        assert.equal(typeLabel(type), one);
        assert.equal(typeLabel(type, true), many);
        assert.ok(typeRank(type) < typeRank('other'), 'ranked before unknown types');
        assert.ok(typeRank(type) > typeRank('workflow'), 'after the §7 types');
        assert.equal(extractRefId(`see [${prefix}0012](../${folder}/${prefix}0012-x.md)`), `${prefix}0012`);
        const d = parseText(`${folder}/${prefix}0003-x.md`, `# ${prefix}0003: X\n\n> **Story:** US0001\n> **Depends on:** ${prefix}0001, ${prefix}-01KXCB7V\n`);
        assert.equal(d.refId, `${prefix}0003`);
        assert.equal(d.story, 'US0001');
        assert.deepEqual(d.dependsOn, [`${prefix}0001`, `${prefix}01KXCB7V`]);
      });
    }

    it('lessons (LL) stay other', () => {
      assert.deepEqual(classifyPath('lessons/LL0009-x.md'), { docType: 'other', docId: 'LL0009-x' });
      assert.equal(extractRefId('LL0009'), null);
    });

    it('issue vocabulary: Open, Triaging, Triaged, Resolved, Closed, Won\'t Fix, Superseded', () => {
      assert.deepEqual(STATUS_VOCAB.issue, ['Open', 'Triaging', 'Triaged', 'Resolved', 'Closed', "Won't Fix", 'Superseded']);
      assert.deepEqual(TERMINAL_STATUS.issue, ['Resolved', 'Closed', "Won't Fix", 'Superseded']);
      const status = (raw: string) => parseText('issues/IS0001-x.md', `> **Status:** ${raw}\n`).status;
      assert.equal(status('triaging'), 'Triaging');
      assert.equal(status('**Triaged** - by Darren'), 'Triaged');
      assert.equal(status("won't fix (duplicate)"), "Won't Fix");
      assert.equal(status('Inbox'), 'Inbox', 'inbox is a bug/cr/rfc status only');
      const terminal = ['Resolved', 'Closed', "Won't Fix", 'Superseded', 'Done', 'Complete'];
      const open = ['Open', 'Triaging', 'Triaged', 'Verified', 'Fixed', null];
      for (const s of terminal) assert.equal(isTerminal('issue', s), true, String(s));
      for (const s of open) assert.equal(isTerminal('issue', s), false, String(s));
    });

    it('charter vocabulary: Queued, Spent, Withdrawn, Superseded', () => {
      assert.deepEqual(STATUS_VOCAB.charter, ['Queued', 'Spent', 'Withdrawn', 'Superseded']);
      assert.deepEqual(TERMINAL_STATUS.charter, ['Spent', 'Withdrawn', 'Superseded']);
      const d = parseText('charters/SC0001-run-3.md', '<!-- Template: Sprint Charter -->\n# SC0001: Run 3\n\n> **Status:** spent · **Budget:** 3h\n');
      assert.equal(d.docType, 'charter');
      assert.equal(d.status, 'Spent');
      assert.deepEqual(d.metadata, { budget: '3h' });
      for (const s of ['Spent', 'Withdrawn', 'Superseded']) assert.equal(isTerminal('charter', s), true, s);
      for (const s of ['Queued', 'Resolved', 'Accepted']) assert.equal(isTerminal('charter', s), false, s);
    });

    it('handoff is a record: no vocabulary, canonicalised against every token, exempt from lifecycle rules', () => {
      assert.equal(STATUS_VOCAB.handoff, undefined);
      assert.equal(TERMINAL_STATUS.handoff, undefined);
      assert.ok(RECORD_TYPES.has('handoff'));
      assert.ok(RECORD_TYPES.has('retro') && !RECORD_TYPES.has('workflow') && !RECORD_TYPES.has('issue'));
      assert.equal(canonicalStatus('queued - next run', 'handoff'), 'Queued');
      const d = parseText('handoffs/HO0001-session-end.md', '# HO0001: Session end\n\n> **Run:** 3\n');
      assert.equal(d.docType, 'handoff');
      assert.equal(d.status, null);
      assert.deepEqual(d.metadata, { run: '3' });
    });

    it('the union of all tokens and terminal states (types without a vocabulary) includes the new ones', () => {
      assert.equal(canonicalStatus('resolved', 'retro'), 'Resolved');
      assert.equal(isTerminal('other', 'Spent'), true);
      assert.equal(isTerminal('other', 'Triaging'), false);
      assert.equal(isTerminal('bug', 'Resolved'), false, 'a typed vocabulary is not widened');
    });
  });

  describe('one definition per type (doctypes.ts)', () => {
    it('every derived list agrees with DOC_TYPES', () => {
      assert.deepEqual([...TYPE_ORDER], DOC_TYPES.map((d) => d.type));
      for (const d of DOC_TYPES) {
        if (d.folder) assert.equal(FOLDER_TYPES.get(d.folder), d.type, d.type);
        if (d.prefix) assert.equal(PREFIX_TYPES[d.prefix], d.type, d.type);
        assert.deepEqual(STATUS_VOCAB[d.type], d.vocab, d.type);
        assert.deepEqual(TERMINAL_STATUS[d.type], d.terminal, d.type);
        assert.equal(typeLabel(d.type, true), d.labels[1], d.type);
        for (const t of d.terminal ?? []) assert.ok(d.vocab!.includes(t), `${d.type}: terminal ${t} is in its vocabulary`);
      }
      assert.equal(new Set(DOC_TYPES.map((d) => d.type)).size, DOC_TYPES.length);
    });
  });
});
