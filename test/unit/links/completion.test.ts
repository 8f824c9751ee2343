// Engine.completeIds over real temp folders synced into a real database (the editor's id completion),
// and the line rules that decide what a completion is about, and the link form it inserts.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Engine } from '../../../src/core/engine';
import { completionContext, headerLinkStyle, isHeaderFieldLine, linkTo } from '../../../src/extension/completion/context';
import { registerAndSync, Sandbox } from '../engine/helpers';

const doc = (title: string, header: Record<string, string>) =>
  `# ${title}\n\n${Object.entries(header).map(([k, v]) => `> **${k}:** ${v}`).join('\n')}\n\nText.\n`;

describe('id completion (engine)', () => {
  let sb: Sandbox;
  let engine: Engine;
  let alpha: string;
  before(async () => {
    sb = new Sandbox();
    engine = await sb.engine();
    alpha = sb.dir('alpha/sdlc-studio');
    sb.write(alpha, 'epics/EP-01KXCCA4-links.md', doc('EP-01KXCCA4: Links', { Status: 'Draft' }));
    sb.write(alpha, 'epics/EP-01KXDDB5-more.md', doc('EP-01KXDDB5: More', { Status: 'Done' }));
    sb.write(alpha, 'stories/US0001-first.md', doc('US0001: First', { Status: 'Done' }));
    sb.write(alpha, 'stories/US0002-second.md', doc('US0002: Second', { Status: 'Draft' }));
    sb.write(alpha, 'stories/US0102-third.md', doc('US0102: Third', { Status: 'Ready' }));
    sb.write(alpha, 'bugs/BG0001-broken.md', doc('BG0001: Broken', { Status: 'Open' }));
    const beta = sb.dir('beta/sdlc-studio');
    sb.write(beta, 'stories/US0003-beta.md', doc('US0003: Beta', { Status: 'Draft' }));
    for (const [name, dir] of [['Alpha', alpha], ['Beta', beta]] as const) assert.equal((await registerAndSync(engine, name, dir)).sync_status, 'synced');
  });
  after(() => sb.dispose());

  it('offers the ids starting with what was typed, in any written form, the file’s project first', () => {
    const from = path.join(sb.root, 'beta/sdlc-studio/stories/US0003-beta.md');
    const us = engine.completeIds('US00', from);
    assert.deepEqual(us.map((c) => [c.slug, c.ref]), [['beta', 'US0003'], ['alpha', 'US0001'], ['alpha', 'US0002']]);
    assert.equal(us[1]!.title, 'US0001: First');
    assert.equal(us[1]!.status, 'Done');
    assert.equal(us[1]!.abs_path, path.join(alpha, 'stories', 'US0001-first.md'));
    assert.deepEqual(engine.completeIds('EP-01K').map((c) => c.ref), ['EP01KXCCA4', 'EP01KXDDB5']);
    assert.deepEqual(engine.completeIds('ep-01kxd').map((c) => c.ref), ['EP01KXDDB5']);
    assert.deepEqual(engine.completeIds('BG').map((c) => c.ref), ['BG0001']);
  });

  it('caps the answer, and answers nothing for nothing', () => {
    assert.equal(engine.completeIds('US', undefined, 2).length, 2);
    assert.deepEqual(engine.completeIds(''), []);
    assert.deepEqual(engine.completeIds('--'), []);
    assert.deepEqual(engine.completeIds('ZZ9'), []);
  });
});

describe('completion context (line rules)', () => {
  it('an id being typed: a known prefix in capitals', () => {
    assert.deepEqual(completionContext('See US00'), { kind: 'id', prefix: 'US00', start: 4 });
    assert.deepEqual(completionContext('> **Epic:** EP-01K'), { kind: 'id', prefix: 'EP-01K', start: 12 });
    assert.deepEqual(completionContext('BG'), { kind: 'id', prefix: 'BG', start: 0 });
    assert.equal(completionContext('the status of XUS00'), null, 'inside a word');
    assert.equal(completionContext('OK'), null, 'not a prefix');
    assert.equal(completionContext('lowercase us00'), null);
  });

  it('the value of a header Status field, in every header form', () => {
    assert.deepEqual(completionContext('> **Status:** '), { kind: 'status', typed: '', start: 14 });
    assert.deepEqual(completionContext('> **Status:** In Pr'), { kind: 'status', typed: 'In Pr', start: 14 });
    assert.deepEqual(completionContext('**Status**: Dr'), { kind: 'status', typed: 'Dr', start: 12 });
    assert.equal(completionContext('> **Owner:** Al'), null);
    assert.equal(completionContext('> **Status:** Done · **Owner:** Al'), null);
  });

  it("finds the header's link form and writes links with the right relative path", () => {
    const head = ['# US0001: X', '', '> **Status:** Draft', '> **Epic:** [EP0001](../epics/EP0001-x.md)'];
    assert.deepEqual(headerLinkStyle(head), { withTitle: false });
    assert.deepEqual(headerLinkStyle(['> **Epic:** [EP0001: Big epic](../epics/EP0001-x.md)']), { withTitle: true });
    assert.equal(headerLinkStyle(['> **Epic:** EP0001', 'See [EP0001](../epics/EP0001-x.md)']), null);
    assert.ok(isHeaderFieldLine('> **Epic:** '));
    assert.ok(!isHeaderFieldLine('Some text'));
    const from = path.join('/p', 'sdlc-studio', 'stories', 'US0001-x.md');
    assert.equal(linkTo('EP0002', 'EP0002: Other', from, path.join('/p', 'sdlc-studio', 'epics', 'EP0002-other.md'), { withTitle: false }), '[EP0002](../epics/EP0002-other.md)');
    assert.equal(linkTo('US0002', 'US0002: Next one', from, path.join('/p', 'sdlc-studio', 'stories', 'US0002 (b).md'), { withTitle: true }), '[US0002: Next one](US0002%20%28b%29.md)');
  });
});
