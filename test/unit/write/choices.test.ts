// The allowed statuses of a type (writing.md §1.2): pure ordering, sources, terminal flags, matching.
import assert from 'node:assert/strict';
import { pickStatus, statusChoices, vocabularyOf } from '../../../src/core/write';

describe('status choices', () => {
  it('vocabulary in lifecycle order, then project tokens, then used statuses (most used first), no duplicates', () => {
    const used = new Map([['Done', 4], ['Gated', 1], ['Needs Design', 2], ['Parked', 3], ['done', 1]]);
    const c = statusChoices('story', ['Needs Design', 'ready'], used);
    assert.deepEqual(
      c.map((x) => [x.status, x.source]),
      [
        ['Proposed', 'vocabulary'], ['Draft', 'vocabulary'], ['Ready', 'vocabulary'], ['Planned', 'vocabulary'], ['In Progress', 'vocabulary'],
        ['Review', 'vocabulary'], ['Blocked', 'vocabulary'], ['Done', 'vocabulary'], ["Won't Implement", 'vocabulary'], ['Deferred', 'vocabulary'],
        ['Superseded', 'vocabulary'], ['Needs Design', 'project'], ['Parked', 'used'], ['Gated', 'used'],
      ],
    );
    assert.equal(c.find((x) => x.status === 'Done')!.used, 5, 'counted case-insensitively');
    assert.equal(c.find((x) => x.status === 'Needs Design')!.terminal, false, 'project tokens are never terminal');
  });

  it('findings get the v3 inbox lane; types without a lifecycle may take any known status', () => {
    assert.deepEqual(vocabularyOf('bug'), ['Open', 'In Progress', 'Fixed', 'Verified', 'Closed', "Won't Fix", 'Superseded', 'inbox']);
    const prd = vocabularyOf('prd');
    assert.ok(prd.includes('Draft') && prd.includes('Accepted') && prd.includes('inbox'));
    assert.equal(new Set(prd).size, prd.length);
    assert.deepEqual(statusChoices('bug', null, new Map()).filter((x) => x.terminal).map((x) => x.status), ['Fixed', 'Verified', 'Closed', "Won't Fix", 'Superseded']);
  });

  it('pickStatus: exact spelling case-insensitively, else the canonical token; null when not allowed', () => {
    const c = statusChoices('story', ['Needs Design'], new Map([['Gated', 1]]));
    assert.equal(pickStatus('in progress', 'story', null, c)!.status, 'In Progress');
    assert.equal(pickStatus('**Done**', 'story', null, c)!.status, 'Done');
    assert.equal(pickStatus('needs design', 'story', ['Needs Design'], c)!.status, 'Needs Design');
    assert.equal(pickStatus('GATED', 'story', null, c)!.status, 'Gated');
    assert.equal(pickStatus('Fixed', 'story', null, c), null);
    assert.equal(pickStatus('', 'story', null, c), null);
  });
});
