// Engine.setStatus end to end over real temp folders and the real database file: which writer, what
// changes on disk, what the database holds afterwards (read back by a second engine), the refusals.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../../src/core/engine';
import { registerAndSync, rejectsWith, Sandbox } from '../engine/helpers';

const STORY = 'stories/US0001-browse-rooms-by-floor.md';

describe('Engine.setStatus (value-only writer)', function () {
  this.timeout(30_000);
  let sb: Sandbox;
  let engine: Engine;
  let root: string;
  beforeEach(async () => {
    sb = new Sandbox();
    engine = await sb.engine({ writer: { skillHome: null } });
    root = sb.corpus('harbor');
    await registerAndSync(engine, 'Harbor', root);
  });
  afterEach(() => sb.dispose());

  it('changes only the Status value, re-syncs, and a fresh engine reads the new status', async () => {
    const file = path.join(root, STORY);
    const before = fs.readFileSync(file, 'utf8');
    const doc = engine.documentsAt('harbor', [STORY])[0]!;
    assert.equal(doc.status, 'Done');
    const r = await engine.setStatus({ slug: 'harbor', type: 'story', doc_id: doc.doc_id, status: 'in progress', expected_hash: engine.getDocument('harbor', 'story', doc.doc_id).file_hash });
    assert.deepEqual(r, { doc_id: doc.doc_id, type: 'story', from: 'Done', to: 'In Progress', writer: 'sdlc-lens', changed: true, dry_run: false, file_path: STORY, warning: null });
    const after = fs.readFileSync(file, 'utf8');
    assert.equal(after, before.replace('> **Status:** Done', '> **Status:** In Progress'));
    assert.equal(engine.getDocument('harbor', 'story', doc.doc_id).status, 'In Progress');
    assert.ok(sb.logged.some((l) => l.level === 'info' && /writer: sdlc-lens/.test(l.message) && l.message.includes(STORY)), JSON.stringify(sb.logged));
    await engine.close();
    const fresh = await sb.engine({ writer: { skillHome: null } });
    assert.equal(fresh.getDocument('harbor', 'story', doc.doc_id).status, 'In Progress');
  });

  it('a dry run says what would change and changes nothing', async () => {
    const file = path.join(root, STORY);
    const before = fs.readFileSync(file);
    const doc = engine.documentsAt('harbor', [STORY])[0]!;
    const r = await engine.setStatus({ slug: 'harbor', type: 'story', doc_id: doc.doc_id, status: 'Blocked', dry_run: true });
    assert.equal(r.changed, false);
    assert.equal(r.dry_run, true);
    assert.equal(r.to, 'Blocked');
    assert.deepEqual(fs.readFileSync(file), before);
    assert.equal(engine.getDocument('harbor', 'story', doc.doc_id).status, 'Done');
  });

  it('refuses an unknown document, a status the type does not allow, and a stale expected_hash', async () => {
    const doc = engine.documentsAt('harbor', [STORY])[0]!;
    await rejectsWith(engine.setStatus({ slug: 'harbor', type: 'story', doc_id: 'US9999-nope', status: 'Done' }), 'NOT_FOUND');
    await rejectsWith(engine.setStatus({ slug: 'nope', type: 'story', doc_id: doc.doc_id, status: 'Done' }), 'NOT_FOUND');
    await rejectsWith(engine.setStatus({ slug: 'harbor', type: 'story', doc_id: doc.doc_id, status: 'Fixed' }), 'VALIDATION_ERROR', /not a status of story/);
    const before = fs.readFileSync(path.join(root, STORY));
    await rejectsWith(engine.setStatus({ slug: 'harbor', type: 'story', doc_id: doc.doc_id, status: 'Draft', expected_hash: '0'.repeat(64) }), 'CONFLICT');
    assert.deepEqual(fs.readFileSync(path.join(root, STORY)), before);
  });

  it('statusChoices: lifecycle order with terminal flags, then statuses in use', () => {
    const choices = engine.statusChoices('harbor', 'story');
    assert.deepEqual(
      choices.slice(0, 11).map((c) => c.status),
      ['Proposed', 'Draft', 'Ready', 'Planned', 'In Progress', 'Review', 'Blocked', 'Done', "Won't Implement", 'Deferred', 'Superseded'],
    );
    assert.deepEqual(choices.filter((c) => c.terminal).map((c) => c.status), ['Done', "Won't Implement", 'Superseded']);
    assert.ok(choices.find((c) => c.status === 'Done')!.used > 0);
  });

  it('findDocuments: any written form of an id, across projects', async () => {
    const doc = engine.documentsAt('harbor', [STORY])[0]!;
    for (const form of ['US0001', 'us0001', 'US-0001', doc.doc_id]) {
      const found = engine.findDocuments(form);
      assert.deepEqual(found.map((f) => [f.slug, f.doc_id, f.type]), [['harbor', doc.doc_id, 'story']], form);
    }
    await registerAndSync(engine, 'Harbor Two', sb.corpus('harbor2'));
    assert.equal(engine.findDocuments('US0001').length, 2);
    assert.deepEqual(engine.findDocuments('US0001', 'harbor-two').map((f) => f.slug), ['harbor-two']);
    assert.deepEqual(engine.findDocuments('US7777'), []);
  });
});
