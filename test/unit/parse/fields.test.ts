import assert from 'node:assert/strict';
import { PARSER_EPOCH, TYPE_ORDER, typeLabel, typeRank } from '../../../src/core/parse';
import { parseText } from './helpers';

describe('parse/field mapping (documents.md §4.6)', () => {
  it('story_points is an integer only when the whole trimmed value is one', () => {
    const sp = (v: string) => parseText('stories/US0001-x.md', `> **Story Points:** ${v}\n`);
    assert.equal(sp('3').storyPoints, 3);
    assert.equal(sp(' 13 ').storyPoints, 13);
    assert.equal(sp('0').storyPoints, 0);
    for (const bad of ['Large', '5 (est)', '{{TBD}}', '3.5', '1e3', '']) {
      const d = sp(bad);
      assert.equal(d.storyPoints, null, bad);
      // (for this project) the unparsable raw text is kept in metadata; an empty value is not.
      assert.deepEqual(d.metadata, bad === '' ? null : { story_points: bad }, bad);
    }
  });

  it('points is the fallback for stories only, and stays in metadata', () => {
    const story = parseText('stories/US-01KXCB7V-x.md', '> **Points:** 5\n');
    assert.equal(story.storyPoints, 5);
    assert.deepEqual(story.metadata, { points: '5' });
    const both = parseText('stories/US0001-x.md', '> **Story Points:** 2\n> **Points:** 5\n');
    assert.equal(both.storyPoints, 2);
    const bug = parseText('bugs/BG-01KX8B82-x.md', '> **Points:** 5\n');
    assert.equal(bug.storyPoints, null);
    assert.deepEqual(bug.metadata, { points: '5' });
    const bad = parseText('stories/US0001-x.md', '> **Points:** lots\n');
    assert.equal(bad.storyPoints, null);
    assert.deepEqual(bad.metadata, { points: 'lots' });
  });

  it('owner and priority are kept as written', () => {
    const d = parseText('stories/US0001-x.md', '> **Owner:** {{TBD}}\n> **Priority:** P0 (urgent)\n');
    assert.equal(d.owner, '{{TBD}}');
    assert.equal(d.priority, 'P0 (urgent)');
  });

  it('epic/story are normalised references; no recognisable id → null', () => {
    const d = parseText('plans/PL0001-x.md', '> **Epic:** Platform work\n> **Story:** [US0001: Register](../stories/US0001-x.md)\n');
    assert.equal(d.epic, null);
    assert.equal(d.story, 'US0001');
    assert.equal(parseText('plans/PL0002-x.md', '> **Epic:** [No ID](path)\n').epic, null);
    assert.equal(parseText('plans/PL0003-x.md', '> **Epic:** —\n').epic, null);
    assert.equal(parseText('plans/PL0004-x.md', '> **Epic:** EP-01KXCCA4\n').epic, 'EP01KXCCA4');
  });

  it('depends_on / aliases: ordered, de-duplicated, split on commas and whitespace; null when empty', () => {
    const d = parseText('stories/US0009-x.md', '> **Depends on:** US0040, [[CR-0012]] US0040,US-01KXCC76 and text\n> **Aliases:** US0009 US0009\n');
    assert.deepEqual(d.dependsOn, ['US0040', 'CR0012', 'US01KXCC76']);
    assert.deepEqual(d.aliases, ['US0009']);
    const none = parseText('stories/US0009-x.md', '> **Depends on:** None\n> **Aliases:** -\n');
    assert.equal(none.dependsOn, null);
    assert.equal(none.aliases, null);
    assert.equal(none.metadata, null, 'dedicated keys never appear in metadata');
  });

  it('status is canonicalised with the project extras for this type', () => {
    const vocab = { story: ['Gated'], bug: ['Triaged'] };
    assert.equal(parseText('stories/US0001-x.md', '> **Status:** gated - ops\n', vocab).status, 'Gated');
    assert.equal(parseText('bugs/BG0001-x.md', '> **Status:** gated - ops\n', vocab).status, 'gated');
    assert.equal(parseText('stories/US0001-x.md', '> **Status:** Complete (81/88)\n', vocab).status, 'Complete');
    assert.equal(parseText('stories/US0001-x.md', '> **Status:**\n').status, null);
  });

  it('a header Type never overrides the inferred type; other keys go to metadata', () => {
    const d = parseText('change-requests/CR-0003-x.md', '> **Type:** Improvement\n> **Raised-by:** Kim\n> **Verification depth:** functional\n');
    assert.equal(d.docType, 'cr');
    assert.deepEqual(d.metadata, { type: 'Improvement', 'raised-by': 'Kim', verification_depth: 'functional' });
  });

  it('a __proto__ header key is plain data', () => {
    const d = parseText('stories/US0001-x.md', '> **__proto__:** x\n> **constructor:** y\n');
    assert.ok(d.metadata);
    assert.deepEqual(Object.keys(d.metadata), ['__proto__', 'constructor']);
    assert.equal(Object.getPrototypeOf(d.metadata), Object.prototype);
    assert.equal(JSON.stringify(d.metadata), '{"__proto__":"x","constructor":"y"}');
  });

  it('refId: normId(idHead(docId)), null for singletons and non-id stems', () => {
    assert.equal(parseText('stories/US-01KXCB7V-make-x.md', '').refId, 'US01KXCB7V');
    assert.equal(parseText('change-requests/CR-0003-x.md', '').refId, 'CR0003');
    assert.equal(parseText('prd.md', '').refId, null);
    assert.equal(parseText('epics/EP-overview.md', '').refId, null);
    assert.equal(parseText('issues/IS0001-x.md', '').refId, 'IS0001', 'IS is a known prefix since epoch 2');
    assert.equal(parseText('notes/LL0009-lesson.md', '').refId, null, 'lessons stay other, without a ref id');
  });

  it('_index.md never throws when parsed directly', () => {
    const d = parseText('stories/_index.md', '# Index\n');
    assert.equal(d.docType, 'other');
    assert.equal(d.docId, '_index');
  });
});

describe('parse/labels and epoch', () => {
  it('PARSER_EPOCH is a positive integer (starts at 1)', () => {
    assert.ok(Number.isInteger(PARSER_EPOCH) && PARSER_EPOCH >= 1);
  });
  it('TYPE_ORDER follows documents.md §7, then issue, charter, handoff (for this project)', () => {
    assert.deepEqual([...TYPE_ORDER], [
      'prd', 'trd', 'tsd', 'epic', 'story', 'plan', 'test-spec', 'bug', 'cr', 'rfc', 'retro', 'review', 'decision', 'pvd', 'persona', 'workflow',
      'issue', 'charter', 'handoff',
    ]);
  });
  it('typeRank: index, unknown types after all known ones and equal to each other', () => {
    assert.equal(typeRank('prd'), 0);
    assert.equal(typeRank('story'), 4);
    assert.equal(typeRank('workflow'), 15);
    assert.equal(typeRank('handoff'), 18);
    assert.equal(typeRank('other'), 19);
    assert.equal(typeRank('brand-guide'), typeRank('zzz'));
    const sorted = ['other', 'bug', 'prd', 'brand-guide', 'epic'].sort((a, b) => typeRank(a) - typeRank(b));
    assert.deepEqual(sorted, ['prd', 'epic', 'bug', 'other', 'brand-guide']);
  });
  it('typeLabel: singular by default, plural on request', () => {
    const plural: [string, string][] = [
      ['prd', 'PRD'], ['trd', 'TRD'], ['tsd', 'TSD'], ['epic', 'Epics'], ['story', 'Stories'], ['plan', 'Plans'],
      ['test-spec', 'Test Specs'], ['bug', 'Bugs'], ['cr', 'Change Requests'], ['rfc', 'RFCs'], ['retro', 'Retros'],
      ['review', 'Reviews'], ['decision', 'Decisions'], ['persona', 'Personas'], ['workflow', 'Workflows'],
      ['brand-guide', 'Brand Guide'], ['other', 'Other'], ['pvd', 'PVD'],
      ['issue', 'Issues'], ['charter', 'Charters'], ['handoff', 'Handoffs'],
    ];
    for (const [t, l] of plural) assert.equal(typeLabel(t, true), l, t);
    assert.equal(typeLabel('story'), 'Story');
    assert.equal(typeLabel('cr'), 'Change Request');
    assert.equal(typeLabel('test-spec'), 'Test Spec');
    assert.equal(typeLabel('brand-guide'), 'Brand Guide');
    assert.equal(typeLabel('my-new_type'), 'My New Type');
    assert.notEqual(typeLabel('personas', true), typeLabel('persona', true));
  });
});
