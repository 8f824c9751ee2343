// File-level sync rules (sync.md §6, §7; documents.md §2): undecodable bytes, BOM/CRLF as changes,
// symlink loops, links out of the root. Real files, real links, a real database.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Engine } from '../../../src/core/engine';
import { dbRows, listFiles, Sandbox, syncNow } from './helpers';

const STORY = '# US0001: Create Widget\n\n> **Status:** Draft\n\nFirst body line\n';

describe('sync: file states and links', () => {
  let sb: Sandbox;
  let engine: Engine;
  let root: string;
  let slug: string;
  beforeEach(async () => {
    sb = new Sandbox();
    engine = await sb.engine();
    root = sb.dir('p/sdlc-studio');
    sb.write(root, 'stories/US0001-create-widget.md', STORY);
    sb.write(root, 'epics/EP0001-alpha.md', '# EP0001: Alpha\n\n> **Status:** Draft\n');
    slug = (await engine.registerProject({ name: 'Files', sdlc_path: root })).slug;
  });
  afterEach(() => sb.dispose());

  it('a changed file that is now invalid UTF-8 → error, the old row kept with its old content', async () => {
    await syncNow(engine, slug);
    const old = engine.getDocument(slug, 'story', 'US0001-create-widget');
    assert.match(old.content, /First body line/);
    // 0xC3 0x28 is an invalid two-byte sequence; 0xFF never appears in UTF-8
    sb.write(root, 'stories/US0001-create-widget.md', Buffer.from([...Buffer.from('# US0001: Broken \xff\n'), 0xc3, 0x28, 0xff, 0x0a]));
    const o = await syncNow(engine, slug);
    assert.deepEqual([o.added, o.updated, o.skipped, o.deleted, o.errors], [0, 0, 1, 0, 1]);
    assert.equal(o.sync_status, 'error');
    assert.deepEqual(o.file_errors, [{ path: 'stories/US0001-create-widget.md', reason: 'is not valid UTF-8' }]);
    assert.match(engine.getProject(slug).sync_error!, /^1 file could not be synced/);
    assert.deepEqual(engine.getDocument(slug, 'story', 'US0001-create-widget'), old);
  });

  it('a new invalid UTF-8 file is not added and counts as an error', async () => {
    sb.write(root, 'bugs/BG0001-bad.md', Buffer.from([0x23, 0x20, 0xfe, 0xfe, 0x0a]));
    const o = await syncNow(engine, slug);
    assert.deepEqual([o.added, o.errors], [2, 1]);
    assert.equal(engine.getProject(slug).document_count, 2);
    assert.equal(engine.listDocuments(slug, { type: 'bug' }).total, 0);
  });

  it('adding a BOM, then converting to CRLF, each count as one update; the hash is of the raw bytes', async () => {
    await syncNow(engine, slug);
    const file = path.join(root, 'stories/US0001-create-widget.md');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(STORY)]);
    fs.writeFileSync(file, bom);
    let o = await syncNow(engine, slug);
    assert.deepEqual([o.updated, o.skipped, o.errors], [1, 1, 0]);
    let d = engine.getDocument(slug, 'story', 'US0001-create-widget');
    assert.equal(d.file_hash, createHash('sha256').update(bom).digest('hex'));
    assert.equal(d.title, 'US0001: Create Widget', 'the BOM is not part of the title');
    const crlf = Buffer.from(bom.toString('utf8').replace(/\n/g, '\r\n'));
    fs.writeFileSync(file, crlf);
    o = await syncNow(engine, slug);
    assert.deepEqual([o.updated, o.skipped], [1, 1]);
    d = engine.getDocument(slug, 'story', 'US0001-create-widget');
    assert.equal(d.file_hash, createHash('sha256').update(crlf).digest('hex'));
    assert.ok(!d.content.includes('\r'), 'content is normalised to LF');
    o = await syncNow(engine, slug);
    assert.deepEqual([o.updated, o.skipped], [0, 2]);
  });

  it('an empty file has a valid hash and parses to an empty document', async () => {
    sb.write(root, 'stories/US0002-empty.md', '');
    const o = await syncNow(engine, slug);
    assert.equal(o.sync_status, 'synced');
    const d = engine.getDocument(slug, 'story', 'US0002-empty');
    assert.equal(d.content, '');
    assert.equal(d.file_hash, createHash('sha256').update('').digest('hex'));
  });

  it('symlink loops (dir link to an ancestor, self link, file-link cycle) do not hang or duplicate', async function () {
    this.timeout(10_000);
    fs.symlinkSync('..', path.join(root, 'stories', 'up')); // stories/up → the root itself
    fs.symlinkSync('.', path.join(root, 'epics', 'self')); // epics/self → epics
    fs.symlinkSync('b.md', path.join(root, 'a.md')); // a.md → b.md → a.md: ELOOP
    fs.symlinkSync('a.md', path.join(root, 'b.md'));
    const o = await syncNow(engine, slug);
    assert.equal(o.sync_status, 'synced');
    assert.equal(o.added, 2, 'each real file once; looping links are not documents');
    assert.deepEqual(
      engine.documentSummaries(slug).map((d) => d.file_path),
      ['epics/EP0001-alpha.md', 'stories/US0001-create-widget.md'],
    );
  });

  it('a directory link pointing outside the root is not followed; a link to a folder inside it is', async () => {
    const outside = sb.dir('outside');
    sb.write(outside, 'US0900-secret.md', '# US0900: Outside the root\n');
    fs.symlinkSync(outside, path.join(root, 'stories', 'external'));
    sb.write(root, 'archive-real/US0100-archived.md', '# US0100: Archived\n');
    fs.symlinkSync(path.join(root, 'archive-real'), path.join(root, 'stories', 'archive'));
    const o = await syncNow(engine, slug);
    assert.equal(o.sync_status, 'synced');
    const paths = engine.documentSummaries(slug).map((d) => d.file_path);
    assert.ok(!paths.some((p) => p.includes('US0900')), `nothing from outside: ${paths}`);
    // the inside folder is reached once (through whichever path is walked first in sorted order)
    assert.equal(paths.filter((p) => p.endsWith('US0100-archived.md')).length, 1);
  });

  it('a file link inside the folder is followed (documents.md §2) and its path is the link path; one leaving it is not read', async () => {
    sb.write(root, 'archive/target.md', '# CR0001: Linked change\n');
    fs.symlinkSync(path.join(root, 'archive', 'target.md'), path.join(root, 'CR0001-linked.md'));
    const outside = sb.dir('elsewhere');
    sb.write(outside, 'target.md', '# CR0002: Outside change\n');
    fs.symlinkSync(path.join(outside, 'target.md'), path.join(root, 'CR0002-outside.md'));
    await syncNow(engine, slug);
    assert.equal(engine.getDocument(slug, 'cr', 'CR0001-linked').file_path, 'CR0001-linked.md');
    assert.ok(!engine.documentSummaries(slug).some((d) => d.file_path === 'CR0002-outside.md'), 'api.md §1.2 (revised)');
  });

  it('hidden files are documents, hidden and skipped folders are not, .MD counts', async () => {
    sb.write(root, 'stories/.draft.md', '# Draft\n');
    sb.write(root, '.git/US0009-x.md', '# no\n');
    sb.write(root, 'node_modules/US0010-x.md', '# no\n');
    sb.write(root, 'README.MD', '# Readme\n');
    sb.write(root, 'notes.txt', 'not markdown');
    await syncNow(engine, slug);
    const paths = engine.documentSummaries(slug).map((d) => d.file_path);
    assert.deepEqual(paths, ['README.MD', 'epics/EP0001-alpha.md', 'stories/.draft.md', 'stories/US0001-create-widget.md']);
  });

  it('renaming a file is delete + add with a new row id', async () => {
    await syncNow(engine, slug);
    const oldId = (await dbRows(sb.dbPath, "SELECT id FROM documents WHERE file_path = 'epics/EP0001-alpha.md'"))[0].id;
    fs.renameSync(path.join(root, 'epics/EP0001-alpha.md'), path.join(root, 'epics/EP0001-alpha-renamed.md'));
    const o = await syncNow(engine, slug);
    assert.deepEqual([o.added, o.deleted, o.skipped], [1, 1, 1]);
    const rows = await dbRows(sb.dbPath, "SELECT id FROM documents WHERE file_path = 'epics/EP0001-alpha-renamed.md'");
    assert.notEqual(rows[0].id, oldId);
  });

  it('sync never writes into the sdlc-studio folder', async () => {
    const before = listFiles(root).map((f) => [f, fs.readFileSync(path.join(root, f)).toString('base64')]);
    await syncNow(engine, slug);
    await syncNow(engine, slug);
    assert.deepEqual(listFiles(root).map((f) => [f, fs.readFileSync(path.join(root, f)).toString('base64')]), before);
  });

  // An unlistable subfolder cannot be produced for root inside one process (root may list any
  // folder, and links out of the root are not followed). It is tested for real in
  // test/unit/cli/permissions.test.ts by running the CLI as an unprivileged user on a chmod 000 folder.
});
