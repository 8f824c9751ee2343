// The CLI as a user runs it: `node dist/cli.js …` in real child processes over a real data folder.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { VERSION } from '../../../src/core/version';
import { bigCorpus, ensureCliBuilt, runCli, SAMPLE, SAMPLE_DOCS, Sandbox, startCli } from '../engine/helpers';

const SYNC_KEYS = ['slug', 'sync_status', 'sync_error', 'document_count', 'added', 'updated', 'skipped', 'deleted', 'errors', 'duration_ms'];
const PROJECT_KEYS = ['slug', 'name', 'sdlc_path', 'source_type', 'sync_status', 'sync_error', 'schema_version', 'profile', 'last_synced_at', 'document_count', 'created_at'];
const STACK = /^\s+at /m;

describe('CLI (dist/cli.js)', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let dataArgs: string[];
  before(function () {
    this.timeout(120_000);
    ensureCliBuilt();
  });
  beforeEach(() => {
    sb = new Sandbox();
    dataArgs = ['--data-dir', sb.dataDir];
  });
  afterEach(() => sb.dispose());

  it('sync <sample> --json: exactly one JSON object with the contract keys; a second run skips them all', async () => {
    const r = await runCli(['sync', SAMPLE, '--json', ...dataArgs]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1, r.stdout);
    const o = JSON.parse(lines[0]);
    assert.deepEqual(Object.keys(o).sort(), [...SYNC_KEYS].sort());
    assert.deepEqual(
      [o.slug, o.sync_status, o.sync_error, o.document_count, o.added, o.updated, o.skipped, o.deleted, o.errors],
      ['sample', 'synced', null, SAMPLE_DOCS, SAMPLE_DOCS, 0, 0, 0, 0],
    );
    assert.ok(Number.isInteger(o.duration_ms) && o.duration_ms >= 0);
    const again = JSON.parse((await runCli(['sync', SAMPLE, '--json', ...dataArgs])).stdout);
    assert.deepEqual([again.added, again.updated, again.skipped, again.deleted, again.errors], [0, 0, SAMPLE_DOCS, 0, 0]);
    // the same folder by another spelling is the same project
    const third = await runCli(['sync', SAMPLE + '/', '--json', '--name', 'Ignored', ...dataArgs]);
    assert.equal(JSON.parse(third.stdout).slug, 'sample');
  });

  it('projects --json and docs <slug> --json: shapes and order', async () => {
    assert.deepEqual(JSON.parse((await runCli(['projects', '--json', ...dataArgs])).stdout), []);
    await runCli(['sync', SAMPLE, '--name', 'Lens Corpus', ...dataArgs]);
    const projects = JSON.parse((await runCli(['projects', '--json', ...dataArgs])).stdout);
    assert.equal(projects.length, 1);
    assert.deepEqual(Object.keys(projects[0]).sort(), [...PROJECT_KEYS].sort());
    assert.deepEqual(
      [projects[0].slug, projects[0].sdlc_path, projects[0].document_count, projects[0].sync_status, projects[0].schema_version],
      ['lens-corpus', SAMPLE, SAMPLE_DOCS, 'synced', '3'],
    );
    const r = await runCli(['docs', 'lens-corpus', '--json', ...dataArgs]);
    assert.equal(r.code, 0, r.stderr);
    const docs = JSON.parse(r.stdout) as { file_path: string; file_hash: string }[];
    assert.equal(docs.length, SAMPLE_DOCS);
    const paths = docs.map((d) => d.file_path);
    assert.deepEqual(paths, [...paths].sort());
    assert.ok(docs.every((d) => !('content' in d) && /^[0-9a-f]{64}$/.test(d.file_hash)));
    assert.ok(paths.includes('stories/US0001-browse-rooms-by-floor.md'));
    // plain-text listing: one line per project
    const plain = await runCli(['projects', ...dataArgs]);
    assert.match(plain.stdout, new RegExp(`^lens-corpus\t${SAMPLE_DOCS} docs\tsynced\t`));
  });

  describe('failures: non-zero exit, one line on stderr, no stack unless --debug', () => {
    const cases: [string, string[], RegExp][] = [
      ['unknown command', ['frobnicate'], /^sdlc-lens: unknown command "frobnicate"/],
      ['unknown option', ['projects', '--bogus'], /^sdlc-lens: unknown option --bogus/],
      ['missing path', ['sync', '/no/such/sdlc-studio'], /^sdlc-lens: sdlc-studio folder not found: \/no\/such\/sdlc-studio/],
      ['unknown slug', ['docs', 'ghost', '--json'], /^sdlc-lens: Project not found/],
      ['missing argument', ['docs'], /^sdlc-lens: usage: sdlc-lens docs/],
    ];
    for (const [what, args, message] of cases) {
      it(what, async () => {
        const [r, debug] = await Promise.all([runCli([...args, ...dataArgs]), runCli([...args, ...dataArgs, '--debug'])]);
        assert.notEqual(r.code, 0);
        assert.equal(r.signal, null);
        assert.equal(r.stdout, '');
        const lines = r.stderr.split('\n').filter(Boolean);
        assert.equal(lines.length, 1, r.stderr);
        assert.match(lines[0], message);
        assert.doesNotMatch(r.stderr, STACK);
        assert.equal(debug.code, r.code);
        assert.match(debug.stderr.split('\n').filter((l) => !l.startsWith('debug: '))[0]!, message); // --debug's progress lines aside
        assert.match(debug.stderr, STACK, '--debug adds the stack trace');
      });
    }

    it('an unusable --data-dir: one line naming the folder, promptly (no spinning mkdir)', async () => {
      const file = path.join(sb.dir('d'), 'a-file');
      fs.writeFileSync(file, '');
      const cases: [string, RegExp][] = [
        [path.join(file, 'sub'), /^sdlc-lens: cannot use the data folder .*a-file\/sub: ENOTDIR/],
        ['/proc/sdlc-lens-no-such-folder', /^sdlc-lens: cannot create the data folder \/proc\/sdlc-lens-no-such-folder/],
      ];
      for (const [dir, message] of cases) {
        const r = await runCli(['projects', '--data-dir', dir]);
        assert.equal(r.code, 1, r.stderr);
        const lines = r.stderr.split('\n').filter(Boolean);
        assert.equal(lines.length, 1, r.stderr);
        assert.match(lines[0], message);
      }
    });

    it('a sync that ends in error exits 1 with the reason on stderr', async () => {
      const root = sb.corpus('empty');
      const first = await runCli(['sync', root, '--json', ...dataArgs]);
      assert.equal(first.code, 0);
      for (const e of fs.readdirSync(root)) fs.rmSync(path.join(root, e), { recursive: true });
      const r = await runCli(['sync', root, ...dataArgs]);
      assert.equal(r.code, 1);
      assert.match(r.stdout, new RegExp(`: error — ${SAMPLE_DOCS} documents`));
      assert.equal(r.stderr.split('\n').filter(Boolean).length, 1);
      assert.match(r.stderr, /^sdlc-lens: The sdlc-studio folder returned no documents/);
    });
  });

  it('--version and --help', async () => {
    const v = await runCli(['--version']);
    assert.deepEqual([v.code, v.stdout, v.stderr], [0, `${VERSION}\n`, '']);
    const h = await runCli(['--help']);
    assert.equal(h.code, 0);
    for (const c of ['sync <sdlc-path>', 'projects', 'docs <slug>', '--data-dir', '--debug']) assert.ok(h.stdout.includes(c), c);
    const sub = await runCli(['sync', '--help']);
    assert.equal(sub.code, 0);
    assert.match(sub.stdout, /^Usage: sdlc-lens sync <sdlc-path>/);
    const none = await runCli([]);
    assert.equal(none.code, 2);
  });

  it('SIGINT during a long sync: the process exits by itself and the project is error (cancelled), not syncing', async () => {
    const root = bigCorpus(sb, 'long', 18);
    const run = startCli(['sync', root, '--json', ...dataArgs]);
    // wait until the run is under way: the database shows the project as syncing
    const observer = await sb.engine();
    {
      const deadline = Date.now() + 30_000;
      for (;;) {
        await observer.catchUp();
        if (observer.listProjects()[0]?.sync_status === 'syncing') break;
        if (Date.now() > deadline) throw new Error('the CLI never started syncing');
        await new Promise((r) => setTimeout(r, 10));
      }
      run.child.kill('SIGINT');
      const r = await run.result;
      assert.equal(r.signal, null, 'the CLI handles SIGINT and exits on its own');
      assert.equal(r.code, 1);
      const o = JSON.parse(r.stdout);
      assert.equal(o.sync_status, 'error');
      assert.match(o.sync_error, /cancelled/);
      await observer.catchUp();
      const p = observer.listProjects()[0];
      // a cancel stops before the next apply batch: what the batches before wrote stays
      assert.equal(p.sync_status, 'error');
      assert.ok(p.document_count < 18 * SAMPLE_DOCS, `${p.document_count} stored`);
      assert.match(p.sync_error!, /cancelled/);
    }
  });
});
