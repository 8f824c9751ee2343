import assert from 'node:assert/strict';
import { canonicalStatus, isTerminal, statusGroup, type StatusGroup } from '../../../src/core/parse';
import { STATUS_VOCAB } from '../../../src/core/parse/doctypes';

describe('parse/status (documents.md §6)', () => {
  describe('canonicalStatus — every row of the §6.3 table', () => {
    const rows: [string, string, string[] | null, string | null][] = [
      ['**Done** - implemented 2026-07-08', 'story', null, 'Done'],
      ['Done · **CR:** CR-0088', 'story', null, 'Done'],
      ['Complete (81/88 stories)', 'epic', null, 'Complete'],
      ['done', 'story', null, 'Done'],
      ['In progress', 'story', null, 'In Progress'],
      ['Inbox', 'bug', null, 'inbox'],
      ['Gated — waiting on ops', 'story', null, 'Gated'],
      ['Ready - for QA', 'story', ['Ready - for QA'], 'Ready - for QA'],
      ['Not Started', 'story', null, 'Not Started'],
      ['Wont Implement', 'story', null, 'Wont Implement'],
      ['Done.', 'story', null, 'Done.'],
    ];
    for (const [raw, type, extra, expected] of rows) {
      it(`${JSON.stringify(raw)} (${type}${extra ? ` + ${JSON.stringify(extra)}` : ''}) → ${JSON.stringify(expected)}`, () =>
        assert.equal(canonicalStatus(raw, type, extra), expected));
    }
  });

  describe('canonicalStatus — steps', () => {
    it('null / blank → null', () => {
      assert.equal(canonicalStatus(null, 'story'), null);
      assert.equal(canonicalStatus(undefined, 'story'), null);
      assert.equal(canonicalStatus('', 'story'), null);
      assert.equal(canonicalStatus('   ', 'story'), null);
      assert.equal(canonicalStatus('**', 'story'), null);
      assert.equal(canonicalStatus('(later)', 'story'), null);
    });
    it('without extras, "Ready - for QA" is cut to Ready', () => {
      assert.equal(canonicalStatus('Ready - for QA', 'story'), 'Ready');
    });
    it('light clean strips quote markers, bold, italics, backticks', () => {
      assert.equal(canonicalStatus('> **In Progress**', 'story'), 'In Progress');
      assert.equal(canonicalStatus('`Done`', 'story'), 'Done');
      assert.equal(canonicalStatus('_won\'t implement_', 'story'), "Won't Implement");
    });
    it('longest token wins (In Progress over In…, In Review)', () => {
      assert.equal(canonicalStatus('in review now', 'rfc'), 'In Review');
      assert.equal(canonicalStatus('In Progress since Monday', 'epic'), 'In Progress');
    });
    it('cuts at the earliest separator', () => {
      assert.equal(canonicalStatus('Shipped | later - x', 'story'), 'Shipped');
      assert.equal(canonicalStatus('Shipped(2)', 'story'), 'Shipped');
      assert.equal(canonicalStatus('Shipped – x', 'story'), 'Shipped');
      assert.equal(canonicalStatus('Shipped · x', 'story'), 'Shipped');
    });
    it('inbox only for bug/cr/rfc; other vocabularies keep it as custom text', () => {
      assert.equal(canonicalStatus('INBOX', 'cr'), 'inbox');
      assert.equal(canonicalStatus('inbox', 'rfc'), 'inbox');
      assert.equal(canonicalStatus('Inbox', 'story'), 'Inbox');
    });
    it('types without a vocabulary use the global token set plus inbox', () => {
      assert.equal(canonicalStatus('complete', 'prd'), 'Complete');
      assert.equal(canonicalStatus('inbox', 'retro'), 'inbox');
      assert.equal(canonicalStatus('won\'t fix', 'other'), "Won't Fix");
      assert.equal(canonicalStatus('accepted', 'unknown-type'), 'Accepted');
    });
    it('a type vocabulary excludes other types\' tokens', () => {
      assert.equal(canonicalStatus('fixed', 'story'), 'fixed');
      assert.equal(canonicalStatus('fixed', 'bug'), 'Fixed');
    });
    it('project extra tokens canonicalise to themselves', () => {
      assert.equal(canonicalStatus('gated', 'story', ['Gated']), 'Gated');
      assert.equal(canonicalStatus('Built - yesterday', 'story', ['Built']), 'Built');
      assert.equal(canonicalStatus('built', 'story', []), 'built');
    });
  });

  describe('isTerminal (§6.4)', () => {
    const rows: [string, string | null, boolean][] = [
      ['story', 'Done', true],
      ['story', "Won't Implement", true],
      ['story', 'Superseded', true],
      ['story', 'Complete', true],
      ['story', 'Blocked', false],
      ['story', 'Deferred', false],
      ['story', 'Planned', false],
      ['story', 'Fixed', false],
      ['story', null, false],
      ['story', '', false],
      ['epic', 'Done', true],
      ['epic', 'Complete (81/88 stories)', true],
      ['plan', 'Complete', true],
      ['plan', 'Superseded', true],
      ['bug', 'Fixed', true],
      ['bug', 'Verified', true],
      ['bug', 'Closed', true],
      ['bug', "Won't Fix", true],
      ['bug', 'Open', false],
      ['bug', 'inbox', false],
      ['cr', 'Rejected', true],
      ['cr', 'Deferred', false],
      ['cr', 'Blocked', false],
      ['rfc', 'Accepted', true],
      ['rfc', 'Withdrawn', true],
      ['test-spec', 'Complete', true],
      ['workflow', 'Done', true],
      ['workflow', 'Paused', false],
      ['prd', 'Accepted', true],
      ['other', 'Fixed', true],
      ['retro', 'Gated', false],
      ['story', '**Done** - implemented 2026-07-08', true],
    ];
    for (const [type, status, expected] of rows) {
      it(`${type} ${JSON.stringify(status)} → ${expected}`, () => assert.equal(isTerminal(type, status), expected));
    }
  });

  describe('statusGroup (§6.2, one class table)', () => {
    const rows: [string | null, StatusGroup][] = [
      ['Done', 'done'], ['Complete', 'done'], ['Fixed', 'done'], ['Verified', 'done'], ['Closed', 'done'], ['Accepted', 'done'],
      ['Resolved', 'done'], ['Spent', 'done'],
      ['Superseded', 'closed'], ["Won't Fix", 'closed'], ["Won't Implement", 'closed'], ['Withdrawn', 'closed'], ['Rejected', 'closed'],
      ['In Progress', 'in-flight'], ['Planning', 'in-flight'], ['Implementing', 'in-flight'], ['Testing', 'in-flight'],
      ['Verifying', 'in-flight'], ['Reviewing', 'in-flight'], ['Checking', 'in-flight'], ['In Review', 'in-flight'], ['Triaging', 'in-flight'],
      ['Review', 'review'],
      ['Ready', 'ready'], ['Approved', 'ready'], ['Triaged', 'ready'],
      ['Planned', 'planned'], ['Created', 'planned'], ['Queued', 'planned'],
      ['Draft', 'draft'], ['Proposed', 'draft'], ['Not Started', 'draft'], ['Deferred', 'draft'], ['Paused', 'draft'],
      ['inbox', 'triage'], ['Open', 'triage'],
      ['Blocked', 'blocked'],
      ['Gated', 'unknown'], [null, 'unknown'], ['', 'unknown'],
      ['done', 'done'], ['Complete (81/88 stories)', 'done'],
    ];
    for (const [status, group] of rows) {
      it(`${JSON.stringify(status)} → ${group}`, () => assert.equal(statusGroup(status), group));
    }

    it('classes every status of every vocabulary, and the finished classes are exactly the terminal statuses', () => {
      for (const [type, vocab] of Object.entries(STATUS_VOCAB)) {
        for (const status of vocab) {
          const group = statusGroup(status);
          assert.notEqual(group, 'unknown', `${type} ${status} has a class`);
          assert.equal(group === 'done' || group === 'closed', isTerminal(type, status), `${type} ${status}: ${group} agrees with isTerminal`);
        }
      }
    });
  });
});
