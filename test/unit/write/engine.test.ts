// Engine.setStatus end to end over real temp folders and the real database file: which writer, what
// changes on disk, what the database holds afterwards (read back by a second engine), the refusals.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../../src/core/engine';
import { bigCorpus, registerAndSync, rejectsWith, Sandbox, syncNow } from '../engine/helpers';

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

  it('a project status_vocab token and a status already in use are allowed; others are not', async () => {
    const docId = engine.documentsAt('harbor', [STORY])[0]!.doc_id;
    const already = engine.statusChoices('harbor', 'story').find((c) => c.status === 'Needs Design')!.used;
    const r = await engine.setStatus({ slug: 'harbor', type: 'story', doc_id: docId, status: 'needs design' });
    assert.equal(r.to, 'Needs Design');
    assert.equal(engine.getDocument('harbor', 'story', docId).status, 'Needs Design');
    const choices = engine.statusChoices('harbor', 'story');
    assert.deepEqual(choices.find((c) => c.status === 'Needs Design'), { status: 'Needs Design', terminal: false, used: already + 1, source: 'project' });
    // a custom status someone wrote by hand is then in use, so it may be set elsewhere too
    const other = engine.documentsOfType('harbor', 'story').find((d) => d.doc_id !== docId)!;
    fs.writeFileSync(path.join(root, other.file_path), fs.readFileSync(path.join(root, other.file_path), 'utf8').replace(/> \*\*Status:\*\* [^\n]*/, '> **Status:** Parked'));
    await (await engine.startSync('harbor')).done;
    assert.equal((await engine.setStatus({ slug: 'harbor', type: 'story', doc_id: docId, status: 'parked' })).to, 'Parked');
    await rejectsWith(engine.setStatus({ slug: 'harbor', type: 'story', doc_id: docId, status: 'Shelved' }), 'VALIDATION_ERROR');
  });

  it('a write while a sync of the project runs: the call resolves after it, and the stored row has the new status', async () => {
    const big = bigCorpus(sb, 'big', 30);
    await registerAndSync(engine, 'Big', big);
    const rel = 'copy7/' + STORY;
    const docId = engine.documentsAt('big', [rel])[0]!.doc_id;
    // the full sync below reads every file; the write lands in the middle of it
    fs.appendFileSync(path.join(big, 'copy0', STORY), '\nTouched so the full sync has work.\n');
    const running = await engine.startSync('big', { fullRehash: true });
    const r = await engine.setStatus({ slug: 'big', type: 'story', doc_id: docId, file_path: rel, status: 'Blocked' });
    assert.equal(r.changed, true);
    assert.equal((await running.done).sync_status, 'synced');
    assert.equal(engine.documentsAt('big', [rel])[0]!.status, 'Blocked');
    assert.match(fs.readFileSync(path.join(big, rel), 'utf8'), /> \*\*Status:\*\* Blocked/);
    assert.match(fs.readFileSync(path.join(big, 'copy0', STORY), 'utf8'), /> \*\*Status:\*\* Done/, 'the other file of that doc_id is untouched');
    // a file_path of another document is not found, whatever the doc_id says
    await rejectsWith(engine.setStatus({ slug: 'big', type: 'story', doc_id: docId, file_path: 'copy7/stories/nope.md', status: 'Draft' }), 'NOT_FOUND');
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
    // a file path names exactly that file (the way to tell apart two files sharing a doc_id)
    assert.deepEqual(engine.findDocuments(STORY, 'harbor').map((f) => [f.slug, f.file_path, f.match]), [['harbor', STORY, 'file_path']]);
    assert.deepEqual(engine.findDocuments(STORY.replace(/\.md$/, '')).map((f) => f.slug), ['harbor', 'harbor-two']);
  });
});

describe('Engine.setStatus: never overwrite what was not seen, never write where it should not', function () {
  this.timeout(30_000);
  let sb: Sandbox;
  let root: string;
  beforeEach(() => {
    sb = new Sandbox();
    root = sb.corpus('harbor');
  });
  afterEach(() => sb.dispose());

  const setUp = async (beforeCompare?: () => void) => {
    const engine = await sb.engine({ writer: { skillHome: null, beforeCompare } });
    await registerAndSync(engine, 'Harbor', root);
    return engine;
  };
  const leftovers = () => fs.readdirSync(path.join(root, 'stories')).filter((n) => n.endsWith('.tmp'));

  it('a file changed between the read and the rename is refused and left as the other writer left it', async () => {
    const file = path.join(root, STORY);
    const theirs = fs.readFileSync(file, 'utf8').replace('## User Story', '## User Story\n\nEdited elsewhere.');
    let raced = 0;
    const engine = await setUp(() => {
      raced++;
      fs.writeFileSync(file, theirs);
    });
    const docId = engine.documentsAt('harbor', [STORY])[0]!.doc_id;
    await rejectsWith(engine.setStatus({ slug: 'harbor', type: 'story', doc_id: docId, status: 'Review' }), 'CONFLICT', /changed on disk since it was read/);
    assert.equal(raced, 1, 'the hook ran between the read and the rename');
    assert.equal(fs.readFileSync(file, 'utf8'), theirs);
    assert.deepEqual(leftovers(), []);
    assert.equal(engine.getDocument('harbor', 'story', docId).status, 'Done');
  });

  it('keeps the file mode, writes through a link inside the project (the link stays a link), leaves no temp file', async () => {
    const file = path.join(root, STORY);
    fs.chmodSync(file, 0o640);
    const target = path.join(root, 'stories', 'US0002-real.md');
    fs.renameSync(path.join(root, 'stories', fs.readdirSync(path.join(root, 'stories')).find((n) => n.startsWith('US0002'))!), target);
    const link = path.join(root, 'stories', 'US0002-link.md');
    fs.symlinkSync('US0002-real.md', link);
    const engine = await setUp();
    await engine.setStatus({ slug: 'harbor', type: 'story', doc_id: engine.documentsAt('harbor', [STORY])[0]!.doc_id, status: 'Review' });
    assert.equal(fs.statSync(file).mode & 0o777, 0o640);
    const linked = engine.documentsAt('harbor', ['stories/US0002-link.md'])[0]!;
    await engine.setStatus({ slug: 'harbor', type: 'story', doc_id: linked.doc_id, status: 'Blocked' });
    assert.ok(fs.lstatSync(link).isSymbolicLink());
    assert.match(fs.readFileSync(target, 'utf8'), /> \*\*Status:\*\* Blocked/);
    assert.deepEqual(leftovers(), []);
  });

  it('refuses a link that leaves the project folder', async () => {
    const outside = sb.write(sb.root, 'elsewhere/US0042-outside.md', '# US0042: Outside\n\n> **Status:** Draft\n');
    const link = path.join(root, 'stories', 'US0042-outside.md');
    fs.symlinkSync(outside, link);
    const engine = await setUp();
    // the sync does not read a file reached through a link that leaves the folder (api.md §1.2): no document
    assert.deepEqual(engine.documentsAt('harbor', ['stories/US0042-outside.md']), []);
    await rejectsWith(engine.setStatus({ slug: 'harbor', type: 'story', doc_id: 'US0042-outside', status: 'Ready' }), 'NOT_FOUND');
    // a synced document whose file is then replaced by such a link: the writer does not write through it
    fs.unlinkSync(link);
    fs.writeFileSync(link, '# US0042: Outside\n\n> **Status:** Draft\n');
    await syncNow(engine, 'harbor');
    assert.equal(engine.documentsAt('harbor', ['stories/US0042-outside.md'])[0]!.status, 'Draft');
    fs.unlinkSync(link);
    fs.symlinkSync(outside, link);
    await rejectsWith(engine.setStatus({ slug: 'harbor', type: 'story', doc_id: 'US0042-outside', status: 'Ready' }), 'VALIDATION_ERROR', /outside the project folder/);
    assert.equal(fs.readFileSync(outside, 'utf8'), '# US0042: Outside\n\n> **Status:** Draft\n');
  });

  it('writes at once to one file: every one lands, one after the other, in the order asked (the last one stays)', async () => {
    const engine = await setUp();
    const docId = engine.documentsAt('harbor', [STORY])[0]!.doc_id;
    const asked = ['Review', 'Blocked', 'In Progress', 'Review', 'Blocked', 'Ready', 'Review', 'Blocked'];
    // several rounds: the link checks before each write run on libuv's threads and finish in any order
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(asked.map((status) => engine.setStatus({ slug: 'harbor', type: 'story', doc_id: docId, status })));
      // each write read the one before it (no lost update), in the order they were asked
      const first = round === 0 ? 'Done' : 'Blocked';
      assert.deepEqual(results.map((r) => [r.from, r.to]), asked.map((to, i) => [i === 0 ? first : asked[i - 1], to]), `round ${round}`);
      assert.equal(engine.getDocument('harbor', 'story', docId).status, 'Blocked');
    }
    assert.match(fs.readFileSync(path.join(root, STORY), 'utf8'), /> \*\*Status:\*\* Blocked\n/);
  });
});
