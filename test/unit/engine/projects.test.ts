// Project rules (api.md §4): slugs, register, update, delete, list order — on a real engine.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { slugify } from '../../../src/core/projects';
import { rejectsWith, SAMPLE_DOCS, syncNow, sandboxPerTest, ISO_Z } from './helpers';

describe('projects (api.md §4)', () => {
  const t = sandboxPerTest();

  describe('slug algorithm (§4.1 table)', () => {
    const table: [string, string][] = [
      ['HomelabCmd', 'homelabcmd'],
      ['My Cool Project', 'my-cool-project'],
      ['Projet Numéro Un', 'projet-numero-un'],
      ['a__b  c', 'a-b-c'],
      ['!!!', ''],
      ['   ', ''],
      ['  --Lead & Trail--  ', 'lead-trail'],
      ['Ünïcödé\tTabs_and-dashes', 'unicode-tabs-and-dashes'],
      ['日本語 project', 'project'],
      ['ﬁle Ⅻ', 'file-xii'], // NFKD folds compatibility characters before dropping non-ASCII
    ];
    for (const [name, slug] of table) {
      it(`${JSON.stringify(name)} → ${JSON.stringify(slug)}`, () => assert.equal(slugify(name), slug));
    }
  });

  describe('register', () => {
    it('returns a never-synced project with the resolved path, and never starts a sync', async () => {
      const root = t.sb.corpus('reg');
      const p = await t.engine.registerProject({ name: 'My Cool Project', sdlc_path: root });
      assert.deepEqual(
        { ...p, created_at: 'x' },
        {
          slug: 'my-cool-project', name: 'My Cool Project', sdlc_path: fs.realpathSync(root), source_type: 'local',
          sync_status: 'never_synced', sync_error: null, schema_version: null, profile: null, last_synced_at: null,
          document_count: 0, created_at: 'x',
        },
      );
      assert.match(p.created_at, ISO_Z);
      assert.equal(t.engine.isSyncing('my-cool-project'), false);
      assert.deepEqual(t.engine.getProject('my-cool-project'), p);
    });

    it('empty slug → VALIDATION_ERROR with the spec message (checked before the path)', async () => {
      for (const name of ['!!!', '   ', '日本語']) {
        await rejectsWith(
          t.engine.registerProject({ name, sdlc_path: '/does/not/exist' }),
          'VALIDATION_ERROR',
          'Project name produces an empty slug after sanitisation',
        );
      }
    });

    it('name empty or longer than 200 → VALIDATION_ERROR; 200 is fine', async () => {
      const root = t.sb.corpus('len');
      await rejectsWith(t.engine.registerProject({ name: '', sdlc_path: root }), 'VALIDATION_ERROR');
      await rejectsWith(t.engine.registerProject({ name: 'x'.repeat(201), sdlc_path: root }), 'VALIDATION_ERROR');
      assert.equal((await t.engine.registerProject({ name: 'y'.repeat(200), sdlc_path: root })).slug, 'y'.repeat(200));
    });

    it('relative or empty path → VALIDATION_ERROR; other source_type → VALIDATION_ERROR', async () => {
      await rejectsWith(t.engine.registerProject({ name: 'Rel', sdlc_path: 'test/unit' }), 'VALIDATION_ERROR');
      await rejectsWith(t.engine.registerProject({ name: 'Rel', sdlc_path: '' }), 'VALIDATION_ERROR');
      await rejectsWith(
        t.engine.registerProject({ name: 'Git', sdlc_path: t.sb.corpus('git'), source_type: 'github' as 'local' }),
        'VALIDATION_ERROR',
      );
      assert.deepEqual(t.engine.listProjects(), []);
    });

    it('missing path or a file path → PATH_NOT_FOUND with the spec message', async () => {
      const file = t.sb.write(t.sb.root, 'afile.md', '# x');
      for (const p of [path.join(t.sb.root, 'missing'), file, path.join(file, 'below')]) {
        await rejectsWith(
          t.engine.registerProject({ name: 'Nope', sdlc_path: p }),
          'PATH_NOT_FOUND',
          'Project sdlc-studio path does not exist on filesystem',
        );
      }
      // a dangling link is missing too
      fs.symlinkSync(path.join(t.sb.root, 'nowhere'), path.join(t.sb.root, 'dangling'));
      await rejectsWith(t.engine.registerProject({ name: 'Nope', sdlc_path: path.join(t.sb.root, 'dangling') }), 'PATH_NOT_FOUND');
    });

    it('duplicate slug → CONFLICT "Project slug already exists", also for a different path and concurrently', async () => {
      await t.engine.registerProject({ name: 'Dup', sdlc_path: t.sb.corpus('d1') });
      await rejectsWith(t.engine.registerProject({ name: 'DUP', sdlc_path: t.sb.corpus('d2') }), 'CONFLICT', 'Project slug already exists');
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => t.engine.registerProject({ name: 'Race', sdlc_path: t.sb.corpus('race') })),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { code: string }).code, 'CONFLICT');
    });

    it('a symlinked path is stored resolved; a trailing slash is irrelevant', async () => {
      const root = t.sb.corpus('real');
      const link = path.join(t.sb.root, 'link-to-sdlc');
      fs.symlinkSync(root, link);
      const p = await t.engine.registerProject({ name: 'Linked', sdlc_path: link + '/' });
      assert.equal(p.sdlc_path, fs.realpathSync(root));
      const q = await t.engine.registerProject({ name: 'Slashed', sdlc_path: root + '///' });
      assert.equal(q.sdlc_path, fs.realpathSync(root));
    });

    it('allowed base: inside accepted, outside (also via a link) → PATH_NOT_FOUND "sdlc_path must be within the allowed base"', async () => {
      const base = t.sb.dir('base');
      const guarded = await t.sb.engine({ allowedBase: base });
      const inside = t.sb.corpus('base/inside');
      const outside = t.sb.corpus('outside');
      assert.equal((await guarded.registerProject({ name: 'In', sdlc_path: inside })).sdlc_path, fs.realpathSync(inside));
      await rejectsWith(guarded.registerProject({ name: 'Out', sdlc_path: outside }), 'PATH_NOT_FOUND', 'sdlc_path must be within the allowed base');
      fs.symlinkSync(outside, path.join(base, 'sneaky'));
      await rejectsWith(guarded.registerProject({ name: 'Out', sdlc_path: path.join(base, 'sneaky') }), 'PATH_NOT_FOUND', 'sdlc_path must be within the allowed base');
      // a sibling whose name merely starts with the base's name is outside it
      const sibling = t.sb.corpus('base-evil');
      await rejectsWith(guarded.registerProject({ name: 'Evil', sdlc_path: sibling }), 'PATH_NOT_FOUND');
    });
  });

  describe('update', () => {
    it('name only: name changes, slug and path do not', async () => {
      const root = t.sb.corpus('u');
      await t.engine.registerProject({ name: 'Old Name', sdlc_path: root });
      const p = await t.engine.updateProject('old-name', { name: 'Brand New Name' });
      assert.deepEqual([p.slug, p.name, p.sdlc_path], ['old-name', 'Brand New Name', fs.realpathSync(root)]);
      await rejectsWith(() => t.engine.getProject('brand-new-name'), 'NOT_FOUND');
    });

    it('{} and all-null/unknown fields → VALIDATION_ERROR "At least one field must be provided"', async () => {
      await t.engine.registerProject({ name: 'U', sdlc_path: t.sb.corpus('u') });
      for (const body of [{}, { name: undefined }, { name: null }, { unknown: 1 }]) {
        await rejectsWith(t.engine.updateProject('u', body as never), 'VALIDATION_ERROR', 'At least one field must be provided');
      }
    });

    it('unknown slug → NOT_FOUND', async () => {
      await rejectsWith(t.engine.updateProject('ghost', { name: 'x' }), 'NOT_FOUND', 'Project not found');
    });

    it('a bad path changes nothing, not even the name sent with it', async () => {
      const root = t.sb.corpus('keep');
      const before = await t.engine.registerProject({ name: 'Keep', sdlc_path: root });
      await rejectsWith(t.engine.updateProject('keep', { name: 'Changed', sdlc_path: path.join(t.sb.root, 'missing') }), 'PATH_NOT_FOUND');
      await rejectsWith(t.engine.updateProject('keep', { name: 'Changed', sdlc_path: 'relative/path' }), 'VALIDATION_ERROR');
      await rejectsWith(t.engine.updateProject('keep', { name: '' }), 'VALIDATION_ERROR');
      assert.deepEqual(t.engine.getProject('keep'), before);
    });

    it('a new path is resolved; documents stay until the next sync reconciles by relative path', async () => {
      const a = t.sb.corpus('a');
      const b = t.sb.corpus('b');
      fs.rmSync(path.join(b, 'stories/US0004-room-photos.md'));
      await t.engine.registerProject({ name: 'Move', sdlc_path: a });
      await syncNow(t.engine, 'move');
      const p = await t.engine.updateProject('move', { sdlc_path: b + '/' });
      assert.equal(p.sdlc_path, fs.realpathSync(b));
      assert.equal(p.document_count, SAMPLE_DOCS);
      const o = await syncNow(t.engine, 'move');
      assert.deepEqual([o.skipped, o.deleted], [SAMPLE_DOCS - 1, 1]);
    });

    it('allowed base is re-checked against the effective project when only the name changes', async () => {
      const outside = t.sb.corpus('outside');
      await t.engine.registerProject({ name: 'Was Fine', sdlc_path: outside });
      await t.engine.close();
      const guarded = await t.sb.engine({ allowedBase: t.sb.dir('base') });
      await rejectsWith(guarded.updateProject('was-fine', { name: 'Renamed' }), 'PATH_NOT_FOUND', 'sdlc_path must be within the allowed base');
      assert.equal(guarded.getProject('was-fine').name, 'Was Fine');
      // and sync refuses it before walking
      const o = await syncNow(guarded, 'was-fine');
      assert.equal(o.sync_status, 'error');
      assert.equal(o.sync_error, 'sdlc_path must be within the allowed base');
      assert.equal(o.document_count, 0);
    });
  });

  describe('list and delete', () => {
    it('list is ordered by created_at (then insertion), [] when empty; document_count is live', async () => {
      assert.deepEqual(t.engine.listProjects(), []);
      const names = ['Zeta', 'Alpha', 'Mid', 'Beta', 'Omega'];
      for (const n of names) await t.engine.registerProject({ name: n, sdlc_path: t.sb.corpus(n) });
      const list = t.engine.listProjects();
      assert.deepEqual(list.map((p) => p.name), names);
      for (let i = 1; i < list.length; i++) assert.ok(list[i - 1].created_at <= list[i].created_at);
      await syncNow(t.engine, 'mid');
      assert.deepEqual(t.engine.listProjects().map((p) => p.document_count), [0, 0, SAMPLE_DOCS, 0, 0]);
    });

    it('delete: gone from the list and detail; unknown or second delete → NOT_FOUND', async () => {
      await t.engine.registerProject({ name: 'Del', sdlc_path: t.sb.corpus('del') });
      await syncNow(t.engine, 'del');
      await t.engine.deleteProject('del');
      assert.deepEqual(t.engine.listProjects(), []);
      await rejectsWith(() => t.engine.getProject('del'), 'NOT_FOUND');
      await rejectsWith(() => t.engine.listDocuments('del'), 'NOT_FOUND');
      await rejectsWith(t.engine.deleteProject('del'), 'NOT_FOUND');
      await rejectsWith(t.engine.deleteProject('ghost'), 'NOT_FOUND', 'Project not found');
    });

    it('two concurrent deletes of one project: one succeeds, the other is NOT_FOUND', async () => {
      await t.engine.registerProject({ name: 'Twice', sdlc_path: t.sb.corpus('twice') });
      const r = await Promise.allSettled([t.engine.deleteProject('twice'), t.engine.deleteProject('twice')]);
      assert.deepEqual(r.map((x) => x.status).sort(), ['fulfilled', 'rejected']);
      const rejected = r.find((x) => x.status === 'rejected') as PromiseRejectedResult;
      assert.equal(rejected.reason.code, 'NOT_FOUND');
    });

    it('clearDocuments removes every document but keeps the project (sync.md §5)', async () => {
      await t.engine.registerProject({ name: 'Clear', sdlc_path: t.sb.corpus('clear') });
      await syncNow(t.engine, 'clear');
      await t.engine.clearDocuments('clear');
      assert.equal(t.engine.getProject('clear').document_count, 0);
      await rejectsWith(t.engine.clearDocuments('ghost'), 'NOT_FOUND');
    });
  });
});
