// Path-hinted sync (StartSyncOptions.paths, the watch mode): only the hinted paths are stat'ed,
// read and parsed (a folder: everything under it), rows at hinted paths that are gone or no longer
// documents are deleted, and every other row is left as it is, even when its file changed (a later
// full sync picks those up). Recorded like any sync. Everything is read back from the database file.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StartSyncOptions } from '../../../src/core/engine-api';
import { MAX_SYNC_PATHS, normalizeSyncPaths } from '../../../src/core/sync/hints';
import { MAX_FILE_BYTES } from '../../../src/core/sync/rules';
import { dbRows, rejectsWith, SAMPLE_DOCS, sandboxPerTest } from './helpers';

const PAST = new Date('2024-01-02T03:04:05Z');
const STORY = 'stories/US0001-browse-rooms-by-floor.md';
const OTHER = 'stories/US0002-room-detail-page.md';

function age(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) age(p);
    else fs.utimesSync(p, PAST, PAST);
  }
}

const DOC = (title: string): string => `# ${title}\n\n> **Status:** Draft\n\nBody of ${title}.\n`;

describe('sync: path-hinted (watch mode)', () => {
  const t = sandboxPerTest();
  let root: string;

  beforeEach(async () => {
    root = t.sb.corpus('hint');
    age(root);
    await t.engine.registerProject({ name: 'Hint', sdlc_path: root });
    const first = await (await t.engine.startSync('hint')).done;
    assert.equal(first.added, SAMPLE_DOCS);
  });

  const sync = async (options: StartSyncOptions = {}) => (await t.engine.startSync('hint', options)).done;
  const rowsByPath = async (): Promise<Map<string, { title: string; synced_at: string }>> =>
    new Map(
      (await dbRows(t.sb.dbPath, "SELECT file_path, title, synced_at FROM documents WHERE project_id = (SELECT id FROM projects WHERE slug = 'hint')")).map((r) => [
        String(r.file_path),
        { title: String(r.title), synced_at: String(r.synced_at) },
      ]),
    );
  const project = async () =>
    (await dbRows(t.sb.dbPath, "SELECT sync_status, sync_error, sync_owner, last_synced_at, (SELECT count(*) FROM documents) AS n FROM projects WHERE slug = 'hint'"))[0];
  const counts = (o: { added: number; updated: number; skipped: number; deleted: number; errors: number }) => [o.added, o.updated, o.skipped, o.deleted, o.errors];
  const edit = (rel: string, title: string): void => {
    fs.writeFileSync(path.join(root, rel), DOC(title));
  };

  it('a project never synced, or whose last run ended in error, gets a full sync whatever the hints', async () => {
    // never synced: a second project on the same folder copy
    const fresh = t.sb.corpus('fresh');
    await t.engine.registerProject({ name: 'Fresh', sdlc_path: fresh });
    const first = await (await t.engine.startSync('fresh', { paths: ['stories'] })).done;
    assert.deepEqual([first.sync_status, first.added], ['synced', SAMPLE_DOCS], 'every document, not only the hinted folder');
    // last run in error (a cancelled run): the next hinted run is full and sees the unhinted edit
    const controller = new AbortController();
    controller.abort();
    const cancelled = await (await t.engine.startSync('hint', { signal: controller.signal })).done;
    assert.equal(cancelled.sync_status, 'error');
    edit(OTHER, 'Edited while in error');
    const next = await sync({ paths: [STORY] });
    assert.equal(next.sync_status, 'synced');
    assert.equal((await rowsByPath()).get(OTHER)!.title, 'Edited while in error', `the unhinted edit is picked up: ${JSON.stringify(counts(next))}`);
  });

  it('an edited hinted file is updated; an edited file not hinted keeps its row until a full sync', async () => {
    const before = await project();
    edit(STORY, 'Hinted edit');
    edit(OTHER, 'Unhinted edit');
    const o = await sync({ paths: [STORY] });
    assert.equal(o.sync_status, 'synced');
    assert.deepEqual(counts(o), [0, 1, 0, 0, 0]);
    assert.equal(o.document_count, SAMPLE_DOCS);
    const rows = await rowsByPath();
    assert.equal(rows.get(STORY)!.title, 'Hinted edit');
    assert.notEqual(rows.get(OTHER)!.title, 'Unhinted edit', 'a path not hinted is not read');
    const after = await project();
    assert.equal(after.sync_status, 'synced');
    assert.equal(after.sync_owner, null);
    assert.ok(String(after.last_synced_at) > String(before.last_synced_at), 'recorded like any sync');
    const full = await sync();
    assert.deepEqual(counts(full), [0, 1, SAMPLE_DOCS - 1, 0, 0]);
    assert.equal((await rowsByPath()).get(OTHER)!.title, 'Unhinted edit');
  });

  it('adds a new hinted file, deletes a hinted file that is gone, and a rename (both paths) moves the row', async () => {
    const added = 'stories/US0099-new-story.md';
    edit(added, 'New story');
    fs.rmSync(path.join(root, OTHER));
    const o = await sync({ paths: [added, OTHER] });
    assert.deepEqual(counts(o), [1, 0, 0, 1, 0]);
    let rows = await rowsByPath();
    assert.equal(rows.get(added)!.title, 'New story');
    assert.ok(!rows.has(OTHER));
    assert.equal(rows.size, SAMPLE_DOCS);

    const renamed = 'stories/US0001-browse-rooms-by-building.md';
    fs.renameSync(path.join(root, STORY), path.join(root, renamed));
    const r = await sync({ paths: [STORY, renamed] });
    assert.deepEqual(counts(r), [1, 0, 0, 1, 0]);
    rows = await rowsByPath();
    assert.ok(!rows.has(STORY));
    assert.ok(rows.has(renamed));
    // nothing left for a full sync to find
    assert.deepEqual(counts(await sync()), [0, 0, SAMPLE_DOCS, 0, 0]);
  });

  it('an unchanged hinted file is skipped without a write; a non-candidate hint changes nothing', async () => {
    const before = await rowsByPath();
    t.sb.write(root, 'notes.txt', 'not a document');
    t.sb.write(root, 'stories/_index.md', DOC('Index'));
    t.sb.write(root, '.hidden/secret.md', DOC('Hidden'));
    t.sb.write(root, 'node_modules/pkg/readme.md', DOC('Dependency'));
    const o = await sync({ paths: [STORY, 'notes.txt', 'stories/_index.md', '.hidden/secret.md', '.hidden', 'node_modules/pkg/readme.md', 'missing/nothing.md'] });
    assert.equal(o.sync_status, 'synced');
    assert.deepEqual(counts(o), [0, 0, 1, 0, 0]);
    assert.deepEqual(await rowsByPath(), before);
  });

  it('a hinted path that is no longer a document deletes its row (a folder now stands there)', async () => {
    fs.rmSync(path.join(root, STORY));
    t.sb.write(root, `${STORY}/inner.md`, DOC('Inside'));
    const o = await sync({ paths: [STORY] });
    assert.deepEqual(counts(o), [1, 0, 0, 1, 0]);
    const rows = await rowsByPath();
    assert.ok(!rows.has(STORY));
    assert.equal(rows.get(`${STORY}/inner.md`)!.title, 'Inside');
    assert.deepEqual(counts(await sync()), [0, 0, SAMPLE_DOCS, 0, 0], 'the full walk agrees');
  });

  it('a hinted folder means everything under it: new, changed, deleted and unchanged files, and a deleted folder', async () => {
    const stories = [...(await rowsByPath()).keys()].filter((p) => p.startsWith('stories/'));
    t.sb.write(root, 'stories/archive/US0098-old.md', DOC('Archived'));
    t.sb.write(root, 'stories/.draft/US0097-draft.md', DOC('Hidden draft')); // hidden folder: never walked
    edit(STORY, 'Changed in folder');
    fs.rmSync(path.join(root, OTHER));
    edit('prd.md', 'PRD changed, not hinted');
    const o = await sync({ paths: ['stories'] });
    assert.deepEqual(counts(o), [1, 1, stories.length - 2, 1, 0]);
    let rows = await rowsByPath();
    assert.equal(rows.get('stories/archive/US0098-old.md')!.title, 'Archived');
    assert.ok(!rows.has('stories/.draft/US0097-draft.md'));
    assert.notEqual(rows.get('prd.md')!.title, 'PRD changed, not hinted');

    const bugs = [...rows.keys()].filter((p) => p.startsWith('bugs/'));
    assert.ok(bugs.length >= 4);
    fs.rmSync(path.join(root, 'bugs'), { recursive: true });
    const d = await sync({ paths: ['bugs'] });
    assert.deepEqual(counts(d), [0, 0, 0, bugs.length, 0]);
    rows = await rowsByPath();
    assert.ok(![...rows.keys()].some((p) => p.startsWith('bugs/')));
    assert.ok(rows.has('bugs-not-a-prefix.md') === false && rows.has('stories/archive/US0098-old.md'));
    assert.deepEqual(counts(await sync()), [0, 1, rows.size - 1, 0, 0], 'a full sync picks up the unhinted prd.md');
  });

  it('a folder hint covers only that folder, not a sibling sharing its name as a prefix', async () => {
    t.sb.write(root, 'bugs-extra/BG0100-x.md', DOC('Sibling'));
    await sync();
    fs.rmSync(path.join(root, 'bugs'), { recursive: true });
    fs.rmSync(path.join(root, 'bugs-extra/BG0100-x.md'));
    const o = await sync({ paths: ['bugs'] });
    assert.equal(o.added, 0);
    assert.ok((await rowsByPath()).has('bugs-extra/BG0100-x.md'), 'bugs-extra/ is not under bugs/');
  });

  it('a hinted file over the size cap is an error for that file, its row kept (the full walk\'s rule)', async () => {
    const before = (await rowsByPath()).get(STORY);
    fs.writeFileSync(path.join(root, STORY), Buffer.alloc(MAX_FILE_BYTES + 1, 'a'));
    const o = await sync({ paths: [STORY] });
    assert.equal(o.sync_status, 'error');
    assert.deepEqual(counts(o), [0, 0, 0, 0, 1]);
    assert.match(o.file_errors[0].reason, /too large/);
    assert.deepEqual((await rowsByPath()).get(STORY), before);
    assert.equal((await project()).sync_status, 'error');
  });

  it('a hinted root config file, or the root itself, makes it a full sync', async () => {
    edit(OTHER, 'Picked up by the full sync');
    const o = await sync({ paths: ['.config.yaml'] });
    assert.equal(o.added + o.updated + o.skipped, SAMPLE_DOCS);
    assert.equal((await rowsByPath()).get(OTHER)!.title, 'Picked up by the full sync');
    const r = await sync({ paths: ['.'] });
    assert.equal(r.skipped, SAMPLE_DOCS);
  });

  it('a hint reached through a linked folder is synced as the full walk would (it falls back to the walk)', async () => {
    fs.symlinkSync(path.join(root, 'stories'), path.join(root, 'linked'));
    edit(STORY, 'Seen through the link');
    const o = await sync({ paths: ['linked/US0001-browse-rooms-by-floor.md'] });
    assert.equal(o.sync_status, 'synced');
    assert.equal(o.added + o.updated + o.skipped, SAMPLE_DOCS, 'the whole folder was walked');
    assert.ok(o.updated + o.added >= 1);
    const titles = [...(await rowsByPath()).values()].map((r) => r.title);
    assert.ok(titles.includes('Seen through the link'));
    const full = await sync();
    assert.deepEqual(counts(full), [0, 0, SAMPLE_DOCS, 0, 0], 'a full walk finds nothing left to do');
  });

  it('a path outside the folder is a VALIDATION_ERROR before anything is claimed', async () => {
    const before = await project();
    await rejectsWith(t.engine.startSync('hint', { paths: ['../escape.md'] }), 'VALIDATION_ERROR', /inside the sdlc-studio folder/);
    await rejectsWith(t.engine.startSync('hint', { paths: ['/etc/passwd'] }), 'VALIDATION_ERROR', /relative to the sdlc-studio folder/);
    await rejectsWith(t.engine.startSync('hint', { paths: [42 as unknown as string] }), 'VALIDATION_ERROR');
    assert.deepEqual(await project(), before, 'no claim, no outcome written');
    assert.equal(t.engine.isSyncing('hint'), false);
    assert.equal((await sync({ paths: [STORY] })).sync_status, 'synced', 'the lock was not left behind');
  });

  it('normalizes hints: separators, dots, duplicates; too many become a full sync', () => {
    assert.deepEqual(normalizeSyncPaths(['stories\\US1.md', './stories//US1.md', 'bugs/']), ['bugs', 'stories/US1.md']);
    assert.equal(normalizeSyncPaths(undefined), null);
    assert.deepEqual(normalizeSyncPaths([]), []);
    assert.equal(normalizeSyncPaths(Array.from({ length: MAX_SYNC_PATHS + 1 }, (_, i) => `f${i}.md`)), null);
  });

  it('an empty hint list considers nothing and is still recorded', async () => {
    edit(STORY, 'Not considered');
    const o = await sync({ paths: [] });
    assert.equal(o.sync_status, 'synced');
    assert.deepEqual(counts(o), [0, 0, 0, 0, 0]);
    assert.equal(o.document_count, SAMPLE_DOCS);
  });
});
