// Engine.resolveRefs / Engine.referencesTo over real temp folders synced into a real database:
// ids resolve in the current file's project first, else to a unique match; references come from
// header fields and mentions, with the positions read from the files.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Engine } from '../../../src/core/engine';
import { registerAndSync, Sandbox } from '../engine/helpers';

const doc = (title: string, header: Record<string, string>, body = '') =>
  `# ${title}\n\n${Object.entries(header).map(([k, v]) => `> **${k}:** ${v}`).join('\n')}\n\n${body}\n`;

describe('links between documents (engine)', () => {
  let sb: Sandbox;
  let engine: Engine;
  let alpha: string;
  let beta: string;
  before(async () => {
    sb = new Sandbox();
    engine = await sb.engine();
    alpha = sb.dir('alpha/sdlc-studio');
    sb.write(alpha, 'epics/EP-01KXCCA4-links.md', doc('EP-01KXCCA4: Links', { Status: 'Draft', Owner: 'Erin' }, 'The epic.'));
    sb.write(alpha, 'stories/US0001-first.md', doc('US0001: First', { Status: 'Done', Epic: '[EP-01KXCCA4: Links](../epics/EP-01KXCCA4-links.md)', Owner: 'Alice' }, 'Touches CR-0003.'));
    sb.write(alpha, 'stories/US0002-second.md', doc('US0002: Second', { Status: 'Draft', 'Depends On': 'US0001' }, 'After US0001, not US00012 or XUS0001.\nAgain: US0001'));
    sb.write(alpha, 'stories/US00012-other.md', doc('US00012: Other', { Status: 'Draft' }, 'Mentions US00012 only.'));
    sb.write(alpha, 'bugs/BG0001-broken.md', doc('BG0001: Broken', { Status: 'Open', Story: 'US0001' }, 'No mention in the body.'));
    sb.write(alpha, 'change-requests/CR-0003-change.md', doc('CR-0003: Change', { Status: 'Proposed' }, 'Old alias.'));
    beta = sb.dir('beta/sdlc-studio');
    sb.write(beta, 'stories/US0001-beta-first.md', doc('US0001: Beta first', { Status: 'Draft' }, 'Beta copy.'));
    sb.write(beta, 'stories/US0900-only-beta.md', doc('US0900: Only in beta', { Status: 'Draft' }, 'See US0001.'));
    sb.write(beta, 'epics/EP0001-beta.md', doc('EP0001: Beta epic', { Status: 'Draft' }));
    const gamma = sb.dir('gamma/sdlc-studio');
    sb.write(gamma, 'epics/EP0001-gamma.md', doc('EP0001: Gamma epic', { Status: 'Draft' }));
    for (const [name, dir] of [['Alpha', alpha], ['Beta', beta], ['Gamma', gamma]] as const) {
      const o = await registerAndSync(engine, name, dir);
      assert.equal(o.sync_status, 'synced', `${name}: ${o.sync_error}`);
    }
  });
  after(() => sb.dispose());

  it('resolves both id forms to the document, preferring the project of the current file', () => {
    const fromAlpha = engine.resolveRefs(['US0001', 'EP-01KXCCA4', 'CR-0003', 'US9999'], path.join(alpha, 'stories/US0002-second.md'));
    assert.deepEqual(Object.keys(fromAlpha).sort(), ['CR0003', 'EP01KXCCA4', 'US0001']);
    assert.equal(fromAlpha.US0001!.slug, 'alpha');
    assert.equal(fromAlpha.US0001!.title, 'US0001: First');
    assert.equal(fromAlpha.US0001!.abs_path, path.join(alpha, 'stories', 'US0001-first.md'));
    assert.deepEqual([fromAlpha.US0001!.status, fromAlpha.US0001!.owner, fromAlpha.US0001!.epic], ['Done', 'Alice', 'EP01KXCCA4']);
    assert.equal(fromAlpha.EP01KXCCA4!.type, 'epic');
    const fromBeta = engine.resolveRefs(['US0001'], path.join(beta, 'stories/US0900-only-beta.md'));
    assert.equal(fromBeta.US0001!.slug, 'beta');
  });

  it('outside every project: a unique match resolves, an id two projects share does not', () => {
    const outside = path.join(sb.root, 'notes.md');
    const r = engine.resolveRefs(['US0900', 'EP0001', 'US0001'], outside);
    assert.equal(r.US0900?.slug, 'beta');
    assert.equal(r.EP0001, undefined, 'EP0001 is in beta and gamma');
    assert.equal(r.US0001, undefined, 'US0001 is in alpha and beta');
    assert.deepEqual(engine.resolveRefs([], outside), {});
    assert.deepEqual(engine.resolveRefs(['', 'not an id %', '__'] as string[]), {});
  });

  it('asked for candidates, an id several projects have answers with each project\'s document (one each, by slug)', () => {
    const outside = path.join(sb.root, 'notes.md');
    const r = engine.resolveRefs(['US0900', 'EP0001', 'US0001'], outside, { candidates: true });
    assert.equal(r.US0900?.slug, 'beta');
    assert.equal(r.US0900?.candidates, undefined, 'a unique match has no candidates');
    assert.deepEqual(r.EP0001?.candidates?.map((c) => [c.slug, c.title]), [['beta', 'EP0001: Beta epic'], ['gamma', 'EP0001: Gamma epic']]);
    assert.equal(r.EP0001?.slug, 'beta', 'the entry is the first candidate');
    assert.deepEqual(r.US0001?.candidates?.map((c) => c.slug), ['alpha', 'beta']);
    // inside a project its own document wins, with no candidates
    const inAlpha = engine.resolveRefs(['US0001'], path.join(alpha, 'stories/US0002-second.md'), { candidates: true });
    assert.deepEqual([inAlpha.US0001?.slug, inAlpha.US0001?.candidates], ['alpha', undefined]);
  });

  it('finds references through fields and mentions, with positions read from the files, never the target itself', () => {
    const refs = engine.referencesTo('US0001', path.join(alpha, 'stories/US0001-first.md'));
    assert.deepEqual(
      refs.map((r) => [r.file_path, r.fields]),
      [
        ['bugs/BG0001-broken.md', ['story']],
        ['stories/US0002-second.md', ['depends_on']],
      ],
    );
    const second = refs.find((r) => r.doc_id === 'US0002-second')!;
    // header line "> **Depends On:** US0001", body "After US0001, …" and "Again: US0001"; not US00012 or XUS0001
    assert.deepEqual(second.mentions, [
      { line: 3, character: 18, length: 6 },
      { line: 5, character: 6, length: 6 },
      { line: 6, character: 7, length: 6 },
    ]);
    assert.equal(second.abs_path, path.join(alpha, 'stories', 'US0002-second.md'));
    const bug = refs.find((r) => r.doc_id === 'BG0001-broken')!;
    assert.deepEqual(bug.mentions, [{ line: 3, character: 13, length: 6 }]);
  });

  it('finds an epic referenced by its ULID id and a CR mentioned in a body', () => {
    assert.deepEqual(engine.referencesTo('EP-01KXCCA4', path.join(alpha, 'x.md')).map((r) => [r.doc_id, r.fields]), [['US0001-first', ['epic']]]);
    const cr = engine.referencesTo('CR0003', path.join(alpha, 'x.md'));
    assert.deepEqual(cr.map((r) => [r.doc_id, r.fields, r.mentions.length]), [['US0001-first', [], 1]]);
  });

  it('stays in the target project: beta US0001 is mentioned by US0900 only', () => {
    const refs = engine.referencesTo('US0001', path.join(beta, 'stories/US0001-beta-first.md'));
    assert.deepEqual(refs.map((r) => [r.slug, r.doc_id]), [['beta', 'US0900-only-beta']]);
    assert.deepEqual(engine.referencesTo('US9999', path.join(beta, 'x.md')), []);
  });
});
