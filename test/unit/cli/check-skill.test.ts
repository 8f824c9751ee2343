// `sdlc-lens check --with-skill` as a user runs it: `node dist/cli.js` in real child processes over a
// temp repository holding the sample project, with the shared skill copy (its real scripts) or a
// stand-in skill (real python3 scripts), or none.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, ensureCliBuilt } from '../engine/helpers';
import { SAMPLE, SKILL } from '../../support/corpora';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, '--data-dir', path.join(cwd, '.data')], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `<tmp>/repo` with sdlc-studio/ (the sample) and, when given, the skill in .claude/skills/. */
function repo(skill: string | null): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lens-cli-skill-')), 'repo');
  fs.cpSync(SAMPLE, path.join(dir, 'sdlc-studio'), { recursive: true });
  if (skill) fs.cpSync(skill, path.join(dir, '.claude', 'skills', 'sdlc-studio'), { recursive: true });
  return dir;
}

/** How many findings each script reports on its own for the repository. */
function scriptCounts(dir: string): { integrity: number; validate: number; reconcile: number } {
  const run = (script: string, verb: string, key: string) => {
    const r = spawnSync('python3', [path.join(dir, '.claude/skills/sdlc-studio/scripts', script), verb, '--root', dir, '--format', 'json'], { encoding: 'utf8' });
    return (JSON.parse(r.stdout)[key] as unknown[]).length;
  };
  return { integrity: run('integrity.py', 'check', 'findings'), validate: run('validate.py', 'check', 'violations'), reconcile: run('reconcile.py', 'detect', 'drift') };
}

const emptyHome = () => fs.mkdtempSync(path.join(os.tmpdir(), 'lens-home-'));

describe('CLI: check --with-skill', function () {
  this.timeout(120_000);
  before(() => ensureCliBuilt());

  if (fs.existsSync(SKILL)) {
    it('adds the skill\'s findings to every format, each under its own source, as many as the scripts report', async () => {
      const dir = repo(SKILL);
      const want = scriptCounts(dir);
      const total = want.integrity + want.validate + want.reconcile;
      assert.ok(total > 0);

      const text = await cli(dir, ['check', '--with-skill']);
      assert.equal(text.code, 1, text.stderr);
      const head = text.stdout.split('\n').find((l) => l.startsWith('sdlc-studio '));
      assert.equal(head?.split(':')[0], 'sdlc-studio 5.0.1');
      assert.match(head!, new RegExp(`: ${total} findings .*integrity ${want.integrity}, validate ${want.validate}, reconcile ${want.reconcile}$`));
      const rows = text.stdout.split('\n').filter((l) => /^\w+\s+(integrity|validate|reconcile)\//.test(l));
      assert.equal(rows.length, total);
      assert.match(rows.find((l) => l.includes('integrity/dangling'))!, /bugs\/BG-01KZH7G5-[\w-]+\.md:9 /, 'path:line of the Story field');

      const json = await cli(dir, ['check', '--with-skill', '--format', 'json']);
      const parsed = JSON.parse(json.stdout);
      assert.ok(Array.isArray(parsed.findings), 'the lens report is unchanged');
      assert.equal(parsed.sdlc_studio.source, 'sdlc-studio');
      assert.equal(parsed.sdlc_studio.state, 'ok');
      assert.equal(parsed.sdlc_studio.skill.version, '5.0.1');
      for (const name of ['integrity', 'validate', 'reconcile'] as const) {
        assert.equal(parsed.sdlc_studio.findings.filter((f: { check: string }) => f.check === name).length, want[name], name);
      }

      const sarif = JSON.parse((await cli(dir, ['check', '--with-skill', '--format', 'sarif'])).stdout);
      assert.deepEqual(sarif.runs.map((r: { tool: { driver: { name: string } } }) => r.tool.driver.name), ['SDLC Lens', 'sdlc-studio']);
      assert.equal(sarif.runs[1].tool.driver.version, '5.0.1');
      assert.equal(sarif.runs[1].results.length, total);
      for (const r of sarif.runs[1].results) assert.ok(r.ruleIndex >= 0 && sarif.runs[1].tool.driver.rules[r.ruleIndex].id === r.ruleId);

      const gh = await cli(dir, ['check', '--with-skill', '--format', 'github']);
      assert.equal(gh.stdout.split('\n').filter((l) => /title=sdlc-studio (integrity|validate|reconcile)\//.test(l)).length, total);
      assert.equal(gh.stdout.split('\n').filter((l) => l.startsWith('::') && !l.includes('title=sdlc-studio')).length, JSON.parse(json.stdout).findings.reduce((n: number, f: { affected_documents: unknown[] }) => n + Math.max(1, f.affected_documents.length), 0));
    });
  }

  it('exit 0 with a clean stand-in skill under --fail-on critical; the version shown', async () => {
    const dir = repo(null);
    const skill = path.join(dir, 'tools', 'skill');
    fs.mkdirSync(path.join(skill, 'scripts'), { recursive: true });
    fs.writeFileSync(path.join(skill, 'SKILL.md'), '---\nmetadata:\n  version: "7.1.0"\n---\n');
    fs.writeFileSync(path.join(skill, 'scripts', 'transition.py'), '');
    for (const [s, key] of [['integrity.py', 'findings'], ['validate.py', 'violations'], ['reconcile.py', 'drift']]) {
      fs.writeFileSync(path.join(skill, 'scripts', s!), `print('{"${key}": [], "new": 1}')\n`);
    }
    const r = await cli(dir, ['check', '--with-skill', '--skill-path', 'tools/skill', '--fail-on', 'critical'], { HOME: emptyHome() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^sdlc-studio 7\.1\.0: 0 findings/m);
    assert.equal(r.stderr, '');
  });

  it('no skill installed, or a script that fails: one stderr line and exit 1; no stack trace', async () => {
    const dir = repo(null);
    const none = await cli(dir, ['check', '--with-skill', '--fail-on', 'critical'], { HOME: emptyHome() });
    assert.equal(none.code, 1);
    assert.deepEqual(none.stderr.trim().split('\n'), ['sdlc-lens: repo: --with-skill: the sdlc-studio skill is not installed (looked at the skill path setting, in the repository and in the home folder)']);
    const broken = path.join(dir, 'broken');
    fs.mkdirSync(path.join(broken, 'scripts'), { recursive: true });
    fs.writeFileSync(path.join(broken, 'scripts', 'transition.py'), '');
    for (const s of ['integrity.py', 'validate.py', 'reconcile.py']) fs.writeFileSync(path.join(broken, 'scripts', s), 'raise SystemExit(5)\n');
    const failed = await cli(dir, ['check', '--with-skill', '--skill-path', broken, '--fail-on', 'critical', '--format', 'json'], { HOME: emptyHome() });
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /^sdlc-lens: repo: sdlc-studio checks unavailable: integrity\.py exited with 5; validate\.py exited with 5; reconcile\.py exited with 5\n$/);
    assert.equal(JSON.parse(failed.stdout).sdlc_studio.state, 'failed');
    assert.doesNotMatch(failed.stderr, /\s at /);
  });

  it('--skill-path or --python without --with-skill is a usage error (exit 2)', async () => {
    const dir = repo(null);
    const r = await cli(dir, ['check', '--python', 'python3']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--python goes with --with-skill/);
  });
});
