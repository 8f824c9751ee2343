// The `sdlc-lens` launcher (dist/cli.js, src/cli/launch.ts) as users run it: it loads the CLI's
// bundle with V8's code cache from the user's cache folder. Observed from outside: V8 rejecting a
// cache makes the launcher write it again (a new inode), accepting it leaves the file as it was.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI, CLI_BUNDLE, cliSandboxes, type Sandbox } from '../engine/helpers';

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Ran {
  const r = spawnSync(process.execPath, [file, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const caches = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.v8')).sort() : []);
const identity = (f: string): string => {
  const st = fs.statSync(f);
  return `${st.ino}/${st.size}/${st.mtimeMs}`;
};

describe('CLI launcher: the bundle with V8\'s code cache', function () {
  this.timeout(120_000);
  const sandbox = cliSandboxes();

  function setup(sb: Sandbox): { home: string; folder: string; args: string[] } {
    const home = sb.dir('xdg-cache');
    return { home, folder: path.join(home, 'sdlc-lens'), args: ['projects', '--json', '--data-dir', sb.dataDir] };
  }

  it('the first start writes the cache (the user\'s own folder, 0700/0600); later starts use it as it is; output and exit code as the bundle\'s own', () => {
    const sb = sandbox();
    const { home, folder, args } = setup(sb);
    const direct = run(CLI_BUNDLE, args, { SDLC_LENS_COMPILE_CACHE: '0' });
    assert.equal(direct.code, 0, direct.stderr);
    const first = run(CLI, args, { XDG_CACHE_HOME: home });
    assert.deepEqual(first, direct);
    const [file] = caches(folder);
    assert.match(file, /^cli-main-\d+-\d+-v\d+\.\d+\.\d+-\w+\.v8$/);
    const at = path.join(folder, file);
    assert.ok(fs.statSync(at).size > 10_000);
    if (process.platform !== 'win32') {
      assert.equal(fs.statSync(folder).mode & 0o777, 0o700);
      assert.equal(fs.statSync(at).mode & 0o777, 0o600);
    }
    const before = identity(at);
    for (let i = 0; i < 2; i++) assert.deepEqual(run(CLI, args, { XDG_CACHE_HOME: home }), direct);
    assert.equal(identity(at), before, 'V8 accepted the cache: not written again');
    assert.deepEqual(caches(folder), [file]);
    // a cache in use is marked so once a day (what "not started for a week" measures), not rewritten
    const twoDays = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    fs.utimesSync(at, twoDays, twoDays);
    const { ino, size } = fs.statSync(at);
    assert.deepEqual(run(CLI, args, { XDG_CACHE_HOME: home }), direct);
    const marked = fs.statSync(at);
    assert.deepEqual([marked.ino, marked.size], [ino, size]);
    assert.ok(Date.now() - marked.mtimeMs < 3600 * 1000, 'marked as used today');
    // a failing command keeps its exit code and message through the launcher
    const bad = ['no-such-command', '--data-dir', sb.dataDir];
    assert.deepEqual(run(CLI, bad, { XDG_CACHE_HOME: home }), run(CLI_BUNDLE, bad, {}));
  });

  it('a damaged cache is rejected and written again; a cache not started for a week is removed, another version\'s kept', () => {
    const sb = sandbox();
    const { home, folder, args } = setup(sb);
    const expected = run(CLI_BUNDLE, args, {});
    assert.equal(run(CLI, args, { XDG_CACHE_HOME: home }).code, 0);
    const [file] = caches(folder);
    const at = path.join(folder, file);
    const good = fs.readFileSync(at);
    const earlier = path.join(folder, 'cli-main-1-1-v0.0.0-x64.v8');
    const other = path.join(folder, 'cli-main-2-2-v0.0.0-x64.v8');
    fs.writeFileSync(earlier, 'an earlier bundle, not started for 8 days');
    const eightDays = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    fs.utimesSync(earlier, eightDays, eightDays);
    fs.writeFileSync(other, 'another installed version, started yesterday');
    for (const damaged of [good.subarray(0, 1000), Buffer.alloc(good.length, 7), Buffer.from('')]) {
      fs.writeFileSync(at, damaged);
      assert.deepEqual(run(CLI, args, { XDG_CACHE_HOME: home }), expected);
      assert.ok(fs.statSync(at).size > 10_000, 'written again, whole');
      const rewritten = identity(at);
      assert.deepEqual(run(CLI, args, { XDG_CACHE_HOME: home }), expected);
      assert.equal(identity(at), rewritten, 'and accepted at the next start');
    }
    assert.deepEqual(caches(folder), [file, path.basename(other)].sort(), 'the stale one removed, the other version\'s kept');
  });

  it('no cache where it cannot be trusted or kept: a folder others can write, a file in its place, turned off', () => {
    const sb = sandbox();
    const { home, folder, args } = setup(sb);
    const expected = run(CLI_BUNDLE, args, {});
    fs.mkdirSync(folder);
    fs.chmodSync(folder, 0o777);
    assert.deepEqual(run(CLI, args, { XDG_CACHE_HOME: home }), expected);
    if (process.platform !== 'win32') assert.deepEqual(caches(folder), [], 'a folder others can write is not used');
    fs.rmSync(folder, { recursive: true });
    fs.writeFileSync(folder, 'not a folder');
    assert.deepEqual(run(CLI, args, { XDG_CACHE_HOME: home }), expected);
    fs.rmSync(folder);
    assert.deepEqual(run(CLI, args, { XDG_CACHE_HOME: home, SDLC_LENS_COMPILE_CACHE: '0' }), expected);
    assert.ok(!fs.existsSync(folder), 'turned off: nothing written');
  });
});
