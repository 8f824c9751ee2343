// US0003 acceptance criteria and edge cases at engine level (the sync state machine of sync.md §1–§3).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SyncStatus } from '../../../src/core/types';
import { dbRows, rejectsWith, SAMPLE, SAMPLE_DOCS, syncNow, sandboxPerTest, ISO_Z } from './helpers';

describe('sync state machine (US0003)', () => {
  const t = sandboxPerTest();

  it('AC1/AC2/AC5: never_synced → syncing (observable while running) → synced with last_synced_at = now', async () => {
    const root = t.sb.corpus('home');
    const p0 = await t.engine.registerProject({ name: 'HomelabCmd', sdlc_path: root });
    assert.deepEqual([p0.slug, p0.sync_status, p0.last_synced_at, p0.document_count], ['homelabcmd', 'never_synced', null, 0]);
    const seen = new Set<SyncStatus>();
    const events: string[] = [];
    t.engine.onDidChange((c) => events.push(c.kind));
    const before = new Date().toISOString();
    const { project, done } = await t.engine.startSync('homelabcmd', {
      onProgress: (p) => {
        if (p.phase === 'collecting') seen.add(t.engine.getProject('homelabcmd').sync_status);
      },
    });
    assert.equal(project.sync_status, 'syncing');
    assert.equal(project.last_synced_at, null, 'previous last_synced_at kept while syncing');
    assert.equal(t.engine.isSyncing('homelabcmd'), true);
    const o = await done;
    assert.deepEqual([...seen], ['syncing'], 'project detail reports syncing during the run');
    assert.equal(t.engine.isSyncing('homelabcmd'), false);
    assert.equal(o.sync_status, 'synced');
    assert.equal(o.added, SAMPLE_DOCS);
    const p = t.engine.getProject('homelabcmd');
    assert.equal(p.sync_status, 'synced');
    assert.equal(p.sync_error, null);
    assert.equal(p.document_count, SAMPLE_DOCS);
    assert.match(p.last_synced_at!, ISO_Z);
    assert.ok(p.last_synced_at! >= before && p.last_synced_at! <= new Date().toISOString());
    assert.ok(events.includes('project') && events.includes('documents'));
  });

  it('a project change carries the row as stored when it was announced: syncing at the start, synced at the end', async () => {
    const root = t.sb.corpus('home');
    await t.engine.registerProject({ name: 'HomelabCmd', sdlc_path: root });
    const rows: [string | undefined, string | null | undefined][] = [];
    t.engine.onDidChange((c) => c.kind === 'project' && rows.push([c.project?.sync_status, c.project?.last_synced_at]));
    await syncNow(t.engine, 'homelabcmd');
    await t.engine.updateProject('homelabcmd', { name: 'Homelab' });
    const [stored] = await dbRows(t.sb.dbPath, "SELECT last_synced_at FROM projects WHERE slug = 'homelabcmd'");
    assert.match(String(stored!.last_synced_at), ISO_Z);
    // the host compares these with its health report instead of asking again (a later row by then)
    assert.deepEqual(rows, [
      ['syncing', null],
      ['synced', stored!.last_synced_at],
      ['synced', stored!.last_synced_at],
    ]);
  });

  it('AC3 + edge: path gone → the trigger is accepted, the run ends in error "sdlc-studio path not found"', async () => {
    const root = t.sb.corpus('gone');
    const { slug } = await t.engine.registerProject({ name: 'Gone', sdlc_path: root });
    fs.rmSync(path.dirname(root), { recursive: true });
    const { project, done } = await t.engine.startSync(slug);
    assert.equal(project.sync_status, 'syncing');
    const o = await done;
    assert.equal(o.sync_status, 'error');
    const p = t.engine.getProject(slug);
    assert.equal(p.sync_status, 'error');
    assert.equal(p.sync_error, `sdlc-studio path not found: ${root}`);
    assert.equal(p.last_synced_at, null);
  });

  it('the path turned into a file → pre-flight error, nothing touched', async () => {
    const root = t.sb.corpus('file');
    const { slug } = await t.engine.registerProject({ name: 'File', sdlc_path: root });
    await syncNow(t.engine, slug);
    fs.rmSync(root, { recursive: true });
    fs.writeFileSync(root, 'not a folder');
    const o = await syncNow(t.engine, slug);
    assert.equal(o.sync_status, 'error');
    assert.match(o.sync_error!, /^sdlc-studio path not found/);
    assert.equal(t.engine.getProject(slug).document_count, SAMPLE_DOCS);
  });

  it('re-sync from error clears sync_error when the trigger is accepted, then succeeds', async () => {
    const root = t.sb.corpus('again');
    const { slug } = await t.engine.registerProject({ name: 'Again', sdlc_path: root });
    fs.renameSync(root, root + '-away');
    await syncNow(t.engine, slug);
    assert.equal(t.engine.getProject(slug).sync_status, 'error');
    fs.renameSync(root + '-away', root);
    let errorWhileRunning: string | null | undefined;
    const { project, done } = await t.engine.startSync(slug, {
      onProgress: (p) => {
        if (p.phase === 'collecting') errorWhileRunning = t.engine.getProject(slug).sync_error;
      },
    });
    assert.equal(project.sync_status, 'syncing');
    assert.equal(project.sync_error, null);
    const o = await done;
    assert.equal(errorWhileRunning, null);
    assert.equal(o.sync_status, 'synced');
    assert.equal(t.engine.getProject(slug).sync_error, null);
  });

  it('re-sync from synced is accepted and runs normally', async () => {
    const root = t.sb.corpus('resync');
    const { slug } = await t.engine.registerProject({ name: 'Resync', sdlc_path: root });
    assert.equal((await syncNow(t.engine, slug)).sync_status, 'synced');
    const o = await syncNow(t.engine, slug);
    assert.equal(o.sync_status, 'synced');
    assert.equal(o.skipped, SAMPLE_DOCS);
  });

  it('empty folder with zero stored documents → synced, document_count 0', async () => {
    const root = t.sb.dir('empty/sdlc-studio');
    fs.mkdirSync(path.join(root, '.local'));
    fs.writeFileSync(path.join(root, '.local', 'x.md'), '# hidden folder, never walked\n');
    const { slug } = await t.engine.registerProject({ name: 'Empty', sdlc_path: root });
    const o = await syncNow(t.engine, slug);
    assert.equal(o.sync_status, 'synced');
    assert.equal(o.document_count, 0);
    const p = t.engine.getProject(slug);
    assert.deepEqual([p.sync_status, p.document_count, p.sync_error], ['synced', 0, null]);
    assert.ok(p.last_synced_at);
  });

  it('unknown slug → NOT_FOUND, and nothing is left locked', async () => {
    await rejectsWith(t.engine.startSync('nope'), 'NOT_FOUND', 'Project not found');
    assert.equal(t.engine.isSyncing('nope'), false);
    await rejectsWith(t.engine.startSync('nope'), 'NOT_FOUND');
  });

  it('a cancelled run ends in error ("cancelled"), writes no document, and a new trigger is accepted', async () => {
    const root = t.sb.corpus('cancel', SAMPLE);
    const { slug } = await t.engine.registerProject({ name: 'Cancel', sdlc_path: root });
    const abort = new AbortController();
    const { done } = await t.engine.startSync(slug, {
      signal: abort.signal,
      onProgress: (p) => {
        if (p.phase === 'collecting' && p.seen === 5) abort.abort();
      },
    });
    const o = await done;
    assert.equal(o.cancelled, true);
    assert.equal(o.sync_status, 'error');
    assert.match(o.sync_error!, /cancelled/);
    const p = t.engine.getProject(slug);
    assert.deepEqual([p.sync_status, p.document_count, p.last_synced_at], ['error', 0, null]);
    assert.equal((await syncNow(t.engine, slug)).sync_status, 'synced');
  });

  it('engine.close() during a run records error (not syncing) before it resolves', async () => {
    const root = t.sb.corpus('closing', SAMPLE);
    const { slug } = await t.engine.registerProject({ name: 'Closing', sdlc_path: root });
    let closing: Promise<void> | undefined;
    const { done } = await t.engine.startSync(slug, {
      onProgress: (p) => {
        if (p.phase === 'collecting' && p.seen === 3 && !closing) closing = t.engine.close();
      },
    });
    const o = await done;
    await closing;
    assert.equal(o.sync_status, 'error');
    const e2 = await t.sb.engine();
    const p = e2.getProject(slug);
    assert.equal(p.sync_status, 'error');
    assert.match(p.sync_error!, /cancelled/);
    assert.equal(p.document_count, 0);
    await rejectsWith(t.engine.startSync(slug), 'DATABASE_UNAVAILABLE');
  });

  it('the database write fails mid-run → the run reports error (never "syncing"), nothing is written, a retry works', async () => {
    const { slug } = await t.engine.registerProject({ name: 'Disk', sdlc_path: t.sb.corpus('disk') });
    // A real write failure without mocks: writes append to `<db>.log`. Moving it away and putting a
    // folder in its place just before the run's final transaction makes that write fail (EISDIR),
    // and the first attempts to record the failure fail the same way (storage.test.ts follows the
    // stored row until the retry writes it).
    const log = `${t.sb.dbPath}.log`;
    const { done } = await t.engine.startSync(slug, {
      onProgress: (p) => {
        if (p.phase === 'applying') {
          fs.renameSync(log, `${log}.away`);
          fs.mkdirSync(log);
        }
      },
    });
    const o = await done;
    assert.equal(o.sync_status, 'error');
    assert.match(o.sync_error!, /EISDIR/);
    assert.equal(t.engine.getProject(slug).document_count, 0, 'memory never runs ahead of the file');
    assert.ok(t.sb.logged.some((l) => l.level === 'error' && /could not record the sync failure/.test(l.message)));
    fs.rmdirSync(log);
    fs.renameSync(`${log}.away`, log);
    assert.equal((await dbRows(t.sb.dbPath, 'SELECT count(*) AS n FROM documents'))[0].n, 0);
    const retry = await syncNow(t.engine, slug);
    assert.deepEqual([retry.sync_status, retry.added], ['synced', SAMPLE_DOCS]);
    // read back from the database file, not from the run's return value
    const [row] = await dbRows(t.sb.dbPath, 'SELECT sync_status, sync_owner, (SELECT count(*) FROM documents) AS n FROM projects WHERE slug = ?', [slug]);
    assert.deepEqual([row.sync_status, row.sync_owner, row.n], ['synced', null, SAMPLE_DOCS]);
  });

  it('synced sample documents carry their parsed header fields', async () => {
    const { slug } = await t.engine.registerProject({ name: 'Fields', sdlc_path: t.sb.corpus('fields', SAMPLE) });
    await syncNow(t.engine, slug);
    const d = t.engine.getDocument(slug, 'story', 'US0001-browse-rooms-by-floor');
    assert.equal(d.title, 'US0001: Browse rooms by floor');
    assert.deepEqual([d.status, d.owner, d.priority, d.story_points, d.epic], ['Done', 'Jonas Feld', 'P1', 3, 'EP0001']);
    assert.equal(d.file_path, 'stories/US0001-browse-rooms-by-floor.md');
    assert.match(d.file_hash, /^[0-9a-f]{64}$/);
  });
});
