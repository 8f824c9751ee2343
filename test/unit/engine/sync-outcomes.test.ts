// sync.md §11 outcome checklist, row by row, against real temp folders and a real database file.
// (The "app killed mid-run" row is in multiprocess.test.ts: it needs a real process to kill.)
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PARSER_EPOCH } from '../../../src/core/parse';
import type { Engine } from '../../../src/core/engine';
import { dbModify, dbRows, rejectsWith, Sandbox, syncNow } from './helpers';

/** A synthetic sdlc-studio folder: `stories` stories under stories/, `others` bugs under bugs/. */
function makeCorpus(sb: Sandbox, name: string, stories: number, others: number): string {
  const root = sb.dir(path.join(name, 'sdlc-studio'));
  const id = (n: number) => String(n).padStart(4, '0');
  for (let i = 1; i <= stories; i++) {
    sb.write(root, `stories/US${id(i)}-story-${i}.md`, `# US${id(i)}: Story ${i}\n\n> **Status:** Draft\n\nBody ${i}\n`);
  }
  for (let i = 1; i <= others; i++) {
    sb.write(root, `bugs/BG${id(i)}-bug-${i}.md`, `# BG${id(i)}: Bug ${i}\n\n> **Status:** Open\n\nBody ${i}\n`);
  }
  sb.write(root, '.config.yaml', 'schema_version: 3\nprofile: full\n');
  return root;
}

async function rowsBy(sb: Sandbox): Promise<Map<string, Record<string, unknown>>> {
  const rows = await dbRows(sb.dbPath, 'SELECT * FROM documents ORDER BY file_path');
  return new Map(rows.map((r) => [String(r.file_path), r]));
}

describe('sync outcome checklist (sync.md §11)', () => {
  let sb: Sandbox;
  let engine: Engine;
  let root: string;
  let slug: string;

  beforeEach(async () => {
    sb = new Sandbox();
    engine = await sb.engine();
    root = makeCorpus(sb, 'p', 20, 30);
    slug = (await engine.registerProject({ name: 'Checklist', sdlc_path: root })).slug;
  });
  afterEach(() => sb.dispose());

  it('5 new files → 5 added, synced', async () => {
    const first = await syncNow(engine, slug);
    assert.equal(first.added, 50);
    for (let i = 1; i <= 5; i++) sb.write(root, `epics/EP000${i}-epic.md`, `# EP000${i}: Epic ${i}\n`);
    const o = await syncNow(engine, slug);
    assert.deepEqual([o.added, o.updated, o.skipped, o.deleted, o.errors], [5, 0, 50, 0, 0]);
    assert.equal(o.sync_status, 'synced');
    assert.equal(engine.getProject(slug).document_count, 55);
    assert.equal(engine.listDocuments(slug, { type: 'epic' }).total, 5);
  });

  it('1 edited file → 1 updated, rest skipped (only that row rewritten)', async () => {
    await syncNow(engine, slug);
    const before = await rowsBy(sb);
    sb.write(root, 'stories/US0003-story-3.md', '# US0003: Story three renamed\n\n> **Status:** Done\n');
    const o = await syncNow(engine, slug);
    assert.deepEqual([o.added, o.updated, o.skipped, o.deleted, o.errors], [0, 1, 49, 0, 0]);
    assert.equal(o.sync_status, 'synced');
    const after = await rowsBy(sb);
    for (const [p, row] of after) {
      if (p === 'stories/US0003-story-3.md') {
        assert.equal(row.title, 'US0003: Story three renamed');
        assert.equal(row.status, 'Done');
        assert.equal(row.id, before.get(p)!.id, 'an update keeps the row id');
        assert.notEqual(row.synced_at, before.get(p)!.synced_at);
      } else assert.deepEqual(row, before.get(p), `${p} must not be rewritten`);
    }
  });

  it('nothing changed → all skipped, no row rewritten, last_synced_at advances', async () => {
    await syncNow(engine, slug);
    const before = await rowsBy(sb);
    const firstSynced = engine.getProject(slug).last_synced_at!;
    // touching a file (mtime only) is not a change
    const t = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, 'bugs/BG0001-bug-1.md'), t, t);
    const o = await syncNow(engine, slug);
    assert.deepEqual([o.added, o.updated, o.skipped, o.deleted, o.errors], [0, 0, 50, 0, 0]);
    assert.deepEqual(await rowsBy(sb), before, 'every row byte-identical, synced_at unchanged');
    const p = engine.getProject(slug);
    assert.equal(p.sync_status, 'synced');
    assert.ok(p.last_synced_at! > firstSynced, `${p.last_synced_at} > ${firstSynced}`);
  });

  it('1 file removed → 1 deleted (row and its index entry)', async () => {
    await syncNow(engine, slug);
    const gone = (await rowsBy(sb)).get('bugs/BG0007-bug-7.md')!;
    fs.rmSync(path.join(root, 'bugs/BG0007-bug-7.md'));
    const o = await syncNow(engine, slug);
    assert.deepEqual([o.added, o.updated, o.skipped, o.deleted, o.errors], [0, 0, 49, 1, 0]);
    assert.equal(o.sync_status, 'synced');
    assert.equal(engine.getProject(slug).document_count, 49);
    await rejectsWith(() => engine.getDocument(slug, 'bug', 'BG0007-bug-7'), 'NOT_FOUND');
    assert.equal((await dbRows(sb.dbPath, 'SELECT docid FROM documents_fts WHERE docid = ?', [gone.id as number])).length, 0);
  });

  it('stories/ folder removed (20 of 50) → 20 deleted, 30 untouched', async () => {
    await syncNow(engine, slug);
    const before = await rowsBy(sb);
    fs.rmSync(path.join(root, 'stories'), { recursive: true });
    const o = await syncNow(engine, slug);
    assert.deepEqual([o.added, o.updated, o.skipped, o.deleted, o.errors], [0, 0, 30, 20, 0]);
    const after = await rowsBy(sb);
    assert.equal(after.size, 30);
    for (const [p, row] of after) assert.deepEqual(row, before.get(p));
    assert.ok([...after.keys()].every((p) => p.startsWith('bugs/')));
  });

  it('1 file that cannot be read (past the size cap) → row kept, error, message counts 1', async () => {
    await syncNow(engine, slug);
    const before = await rowsBy(sb);
    // Tests run as root, which ignores permission bits, and a link to a file that fails to read
    // (/proc/self/mem) leaves the folder, so it is not read at all (api.md §1.2). A file over the
    // 10 MB cap is a read refused for that file only (sparse: no disk used). Permission faults as
    // uid nobody: test/unit/reliability/fs-faults.test.ts.
    const victim = path.join(root, 'stories/US0005-story-5.md');
    fs.truncateSync(victim, 11 * 1024 * 1024);
    const o = await syncNow(engine, slug);
    assert.deepEqual([o.added, o.updated, o.skipped, o.deleted, o.errors], [0, 0, 49, 0, 1]);
    assert.equal(o.sync_status, 'error');
    assert.equal(o.file_errors.length, 1);
    assert.equal(o.file_errors[0].path, 'stories/US0005-story-5.md');
    const p = engine.getProject(slug);
    assert.equal(p.sync_status, 'error');
    assert.match(p.sync_error!, /^1 file could not be synced/);
    assert.match(p.sync_error!, /stories\/US0005-story-5\.md/);
    assert.match(p.sync_error!, /preserved/);
    assert.ok(p.last_synced_at, 'a run that reached completion stamps last_synced_at');
    assert.deepEqual(await rowsBy(sb), before, 'the unreadable file keeps its row exactly');
  });

  it('folder emptied with rows stored → error, all rows kept, config unchanged', async () => {
    await syncNow(engine, slug);
    const before = await rowsBy(sb);
    const p0 = engine.getProject(slug);
    assert.equal(p0.schema_version, '3');
    for (const e of fs.readdirSync(root)) fs.rmSync(path.join(root, e), { recursive: true });
    sb.write(root, 'stories/_index.md', '# index\n'); // never a document
    sb.write(root, '.config.yaml', 'schema_version: 9\nprofile: lite\n');
    const o = await syncNow(engine, slug);
    assert.equal(o.sync_status, 'error');
    assert.deepEqual([o.added, o.updated, o.deleted], [0, 0, 0]);
    const p = engine.getProject(slug);
    assert.match(p.sync_error!, /returned no documents; refusing to delete the 50 stored documents/);
    assert.equal(p.schema_version, '3', 'config not adopted');
    assert.equal(p.profile, 'full');
    assert.equal(p.last_synced_at, p0.last_synced_at, 'guard does not stamp last_synced_at');
    assert.deepEqual(await rowsBy(sb), before);
  });

  it('folder removed → error "sdlc-studio path not found", rows kept, last_synced_at unchanged', async () => {
    await syncNow(engine, slug);
    const before = await rowsBy(sb);
    const p0 = engine.getProject(slug);
    fs.rmSync(root, { recursive: true });
    const o = await syncNow(engine, slug);
    assert.equal(o.sync_status, 'error');
    const p = engine.getProject(slug);
    assert.match(p.sync_error!, /^sdlc-studio path not found/);
    assert.equal(p.last_synced_at, p0.last_synced_at);
    assert.equal(p.document_count, 50);
    assert.deepEqual(await rowsBy(sb), before);
  });

  it('_index.md edited → no change', async () => {
    sb.write(root, 'stories/_index.md', '# Stories index\n');
    await syncNow(engine, slug);
    const before = await rowsBy(sb);
    sb.write(root, 'stories/_index.md', '# Stories index\n\n| US0099 | new | Draft |\n');
    const o = await syncNow(engine, slug);
    assert.deepEqual([o.added, o.updated, o.skipped, o.deleted, o.errors], [0, 0, 50, 0, 0]);
    assert.deepEqual(await rowsBy(sb), before);
    assert.ok(![...before.keys()].some((p) => p.endsWith('_index.md')));
  });

  it('parser epoch bumped, bytes unchanged → every row updated once, then skipped', async () => {
    await syncNow(engine, slug);
    await engine.close();
    // Simulate rows written by an older parser: lower their epoch in the file while no engine holds it.
    await dbModify(sb.dbPath, (db) => db.run('UPDATE documents SET parser_epoch = parser_epoch - 1'));
    const e2 = await sb.engine();
    const o1 = await syncNow(e2, slug);
    assert.deepEqual([o1.added, o1.updated, o1.skipped, o1.deleted, o1.errors], [0, 50, 0, 0, 0]);
    const epochs = await dbRows(sb.dbPath, 'SELECT DISTINCT parser_epoch AS e FROM documents');
    assert.deepEqual(epochs, [{ e: PARSER_EPOCH }]);
    const o2 = await syncNow(e2, slug);
    assert.deepEqual([o2.updated, o2.skipped], [0, 50]);
  });

  it('status_vocab in .config.yaml changed → every row re-parsed once, statuses follow the vocabulary', async () => {
    sb.write(root, 'stories/US0001-story-1.md', '# US0001: Story 1\n\n> **Status:** Parked awaiting review\n');
    await syncNow(engine, slug);
    assert.equal(engine.getDocument(slug, 'story', 'US0001-story-1').status, 'Parked awaiting review');
    sb.write(root, '.config.yaml', 'schema_version: 3\nprofile: full\nstatus_vocab:\n  story: [Parked]\n');
    const o1 = await syncNow(engine, slug);
    assert.deepEqual([o1.updated, o1.skipped], [50, 0]);
    assert.equal(engine.getDocument(slug, 'story', 'US0001-story-1').status, 'Parked');
    const o2 = await syncNow(engine, slug);
    assert.deepEqual([o2.updated, o2.skipped], [0, 50]);
  });

  it('trigger twice quickly → accepted then SYNC_IN_PROGRESS; 10 concurrent triggers → exactly 1 accepted', async () => {
    const first = engine.startSync(slug);
    await rejectsWith(engine.startSync(slug), 'SYNC_IN_PROGRESS', 'Sync already running for this project');
    const started = await first;
    assert.equal(started.project.sync_status, 'syncing');
    assert.equal(engine.getProject(slug).sync_status, 'syncing');
    assert.equal((await started.done).sync_status, 'synced');

    const results = await Promise.allSettled(Array.from({ length: 10 }, () => engine.startSync(slug)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    assert.equal(ok.length, 1);
    for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { code: string }).code, 'SYNC_IN_PROGRESS');
    assert.equal((await (ok[0] as PromiseFulfilledResult<{ done: Promise<{ sync_status: string }> }>).value.done).sync_status, 'synced');
    // after the run ends, a trigger is accepted again
    assert.equal((await syncNow(engine, slug)).sync_status, 'synced');
  });
});
