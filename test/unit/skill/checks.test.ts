// sdlc-studio's own checks through the engine: the real scripts of the shared skill copy on the sample
// project and the lens corpus (findings = the scripts' own JSON), and small stand-in skills (real
// python3 scripts) for the exit codes, unknown fields, a time limit, cancellation and failures.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../../src/core/engine';
import { SkillChecks, type SkillCheckReport } from '../../../src/core/skill/checks';
import { parseIntegrity, parseReconcile, parseValidate } from '../../../src/core/skill/findings';
import { LENS, SAMPLE, SKILL, hasShared } from '../../support/corpora';

const tmpDir = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));

/** A repository `<root>/repo` holding `sdlc-studio/` (a copy of `from`) and, optionally, the skill. */
function repoWith(from: string, skill: string | null): { repo: string; sdlc: string } {
  const repo = path.join(tmpDir('lens-checks-'), 'repo');
  const sdlc = path.join(repo, 'sdlc-studio');
  fs.cpSync(from, sdlc, { recursive: true });
  if (skill) fs.cpSync(skill, path.join(repo, '.claude', 'skills', 'sdlc-studio'), { recursive: true });
  return { repo, sdlc };
}

/** The script's own answer, run as a user would (python3, --root, --format json). */
function scriptJson(repo: string, script: string, verb: string): { code: number | null; json: Record<string, unknown[]> } {
  const r = spawnSync('python3', [path.join(repo, '.claude/skills/sdlc-studio/scripts', script), verb, '--root', repo, '--format', 'json'], { encoding: 'utf8' });
  return { code: r.status, json: JSON.parse(r.stdout) };
}

async function engineWith(sdlc: string): Promise<{ engine: Engine; slug: string; dispose: () => Promise<void> }> {
  const dataDir = tmpDir('lens-checks-db-');
  const engine = await Engine.open({ dataDir });
  const p = await engine.registerProject({ name: 'checked', sdlc_path: sdlc });
  await (await engine.startSync(p.slug)).done;
  return {
    engine,
    slug: p.slug,
    dispose: async () => {
      await engine.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const codes = (xs: { code: string }[]) => xs.map((x) => x.code).sort();

/** Compares the report with each script's own JSON: same number of findings, same kinds/rules and ids. */
function assertMatchesScripts(report: SkillCheckReport, repo: string): void {
  assert.equal(report.state, 'ok', report.error ?? '');
  const integrity = scriptJson(repo, 'integrity.py', 'check');
  const validate = scriptJson(repo, 'validate.py', 'check');
  const reconcile = scriptJson(repo, 'reconcile.py', 'detect');
  const of = (check: string) => report.findings.filter((f) => f.check === check);
  const own = {
    integrity: integrity.json.findings as { kind: string; id: string; severity: string }[],
    validate: validate.json.violations as { rule: string; file: string }[],
    reconcile: reconcile.json.drift as { kind: string; id: string | null }[],
  };
  assert.ok(own.integrity.length + own.validate.length + own.reconcile.length > 0, 'the scripts find something');
  assert.equal(of('integrity').length, own.integrity.length);
  assert.deepEqual(codes(of('integrity')), own.integrity.map((f) => f.kind).sort());
  assert.deepEqual(of('integrity').map((f) => f.id).sort(), own.integrity.map((f) => f.id).sort());
  assert.deepEqual(of('integrity').map((f) => f.skill_severity).sort(), own.integrity.map((f) => f.severity).sort());
  assert.equal(of('validate').length, own.validate.length);
  assert.deepEqual(codes(of('validate')), own.validate.map((f) => f.rule).sort());
  assert.deepEqual(of('validate').map((f) => f.abs_path).sort(), own.validate.map((f) => f.file).sort(), 'each violation on the file it names');
  assert.equal(of('reconcile').length, own.reconcile.length);
  assert.deepEqual(codes(of('reconcile')), own.reconcile.map((f) => f.kind).sort());
  assert.deepEqual(of('reconcile').map((f) => f.id ?? '').sort(), own.reconcile.map((f) => f.id ?? '').sort());
  // exit codes as documented: 1 = errors (integrity, validate) or drift (reconcile) found, not a failure
  const runs = Object.fromEntries(report.checks.map((c) => [c.name, c]));
  assert.equal(runs.integrity!.exit_code, integrity.code);
  assert.equal(runs.reconcile!.exit_code, reconcile.code);
  assert.equal(runs.validate!.exit_code, validate.code);
  assert.ok(report.checks.every((c) => c.status === 'ok'));
  // every finding sits on an existing file or folder of the project, with a line inside it
  for (const f of report.findings) {
    assert.equal(f.source, 'sdlc-studio');
    assert.ok(fs.existsSync(f.abs_path), `${f.check}/${f.code} at ${f.abs_path}`);
    if (!f.folder) assert.ok(f.line < fs.readFileSync(f.abs_path, 'utf8').split(/\r?\n/).length, `${f.code}: line ${f.line} in ${f.file_path}`);
  }
  // integrity findings name an artefact: they land on its document
  for (const f of of('integrity')) assert.ok(f.doc_id, `${f.id} resolved to its document`);
  assert.equal(report.skill?.version, '5.0.1');
  assert.equal(report.skill?.source, 'repository');
}

// Registered only when the shared skill copy exists (it holds the real scripts).
if (fs.existsSync(SKILL)) describe('sdlc-studio checks: the real scripts', function () {
  this.timeout(120_000);

  it('on the sample project: the findings are the scripts\' own, each on its file and line', async () => {
    const { repo, sdlc } = repoWith(SAMPLE, SKILL);
    const e = await engineWith(sdlc);
    try {
      const report = await e.engine.skillChecks(e.slug);
      assertMatchesScripts(report, repo);
      // a placeholder violation sits on the line holding the placeholder; a reconcile row on its index row
      const drift = report.findings.find((f) => f.check === 'reconcile' && f.code === 'count-mismatch');
      assert.equal(drift?.file_path, 'stories/_index.md');
      const dangling = report.findings.find((f) => f.code === 'dangling');
      if (dangling) {
        const line = fs.readFileSync(dangling.abs_path, 'utf8').split(/\r?\n/)[dangling.line]!;
        assert.match(line, new RegExp(`\\*\\*${dangling.field}:\\*\\*`), 'a dangling link: its field line');
      }
      assert.deepEqual(report.summary, {
        critical: 0,
        high: report.findings.filter((f) => f.severity === 'high').length,
        medium: report.findings.filter((f) => f.severity === 'medium').length,
        low: report.findings.filter((f) => f.severity === 'low').length,
      });
      // cached: the same report, no new run
      assert.equal(await e.engine.skillChecks(e.slug, { cached: true }), report);
    } finally {
      await e.dispose();
    }
  });

  if (hasShared()) it('on the lens corpus: the findings are the scripts\' own', async () => {
    const { repo, sdlc } = repoWith(LENS, SKILL);
    const e = await engineWith(sdlc);
    try {
      const report = await e.engine.skillChecks(e.slug);
      assertMatchesScripts(report, repo);
      const placeholder = report.findings.find((f) => f.code === 'placeholder')!;
      assert.match(fs.readFileSync(placeholder.abs_path, 'utf8').split(/\r?\n/)[placeholder.line]!, /\{\{TBD\}\}/);
      const row = report.findings.find((f) => f.code === 'index-field' && f.id)!;
      assert.match(row.file_path, /\/_index\.md$/);
      assert.ok(fs.readFileSync(row.abs_path, 'utf8').split(/\r?\n/)[row.line]!.includes(row.id!), 'the index row of the id');
    } finally {
      await e.dispose();
    }
  });
});

/** A stand-in skill: SKILL.md, transition.py (what discovery looks for) and the given check scripts. */
function fakeSkill(scripts: Record<string, string>, version = '9.9.9'): string {
  const dir = path.join(tmpDir('lens-fake-skill-'), 'sdlc-studio');
  fs.mkdirSync(path.join(dir, 'scripts'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'SKILL.md'), `---\nname: sdlc-studio\nmetadata:\n  version: "${version}"\n---\n`);
  fs.writeFileSync(path.join(dir, 'scripts', 'transition.py'), '# stub\n');
  for (const [name, body] of Object.entries(scripts)) fs.writeFileSync(path.join(dir, 'scripts', name), body);
  return dir;
}

/** A script printing `json` and exiting with `code`. */
const py = (json: unknown, code = 0) => `import sys\nprint(${JSON.stringify(JSON.stringify(json))})\nsys.exit(${code})\n`;
const CLEAN = {
  'integrity.py': py({ findings: [], summary: { errors: 0 } }),
  'validate.py': py({ violations: [], summary: { errors: 0 } }),
  'reconcile.py': py({ drift: [], summary: { drift_items: 0 } }),
};

describe('sdlc-studio checks: exit codes, unknown fields, time limits, cancellation, failures', function () {
  this.timeout(60_000);
  let e: Awaited<ReturnType<typeof engineWith>>;
  let sdlc: string;
  beforeEach(async () => {
    sdlc = repoWith(SAMPLE, null).sdlc;
    e = await engineWith(sdlc);
  });
  afterEach(() => e.dispose());
  const useSkill = (dir: string) => e.engine.configureSkill({ path: dir, python: 'python3' });

  it('reads exit 1 with a JSON answer as findings; ignores unknown fields; shows the version', async () => {
    useSkill(
      fakeSkill({
        ...CLEAN,
        'integrity.py': py({ future: { x: 1 }, findings: [{ id: 'US0001', type: 'story', kind: 'dangling', field: 'Epic', ref: 'EP9999', severity: 'advisory', new_field: [1, 2] }, 'junk', 7] }, 1),
        'reconcile.py': py({ drift: [{ type: 'story', id: 'US0002', kind: 'missing-row', file: 'US0002-room-detail-page.md', fix: 'add it', whatever: true }] }, 1),
      }),
    );
    const r = await e.engine.skillChecks(e.slug);
    assert.equal(r.state, 'ok', r.error ?? '');
    assert.equal(r.skill?.version, '9.9.9');
    assert.equal(r.skill?.source, 'setting');
    assert.deepEqual(r.checks.map((c) => [c.name, c.status, c.exit_code, c.findings]), [
      ['integrity', 'ok', 1, 1],
      ['validate', 'ok', 0, 0],
      ['reconcile', 'ok', 1, 1],
    ]);
    const [dangling, row] = r.findings;
    assert.equal(dangling!.code, 'dangling');
    assert.equal(dangling!.severity, 'low');
    assert.equal(dangling!.file_path, 'stories/US0001-browse-rooms-by-floor.md');
    assert.match(dangling!.message, /Epic references EP9999/);
    assert.ok(!('new_field' in dangling!));
    assert.equal(row!.file_path, 'stories/_index.md');
    assert.equal(row!.severity, 'medium');
  });

  it('a script that exits 2, or 1 without JSON, or answers an unknown shape has failed; the others still count', async () => {
    useSkill(
      fakeSkill({
        'integrity.py': 'import sys\nprint("usage: integrity.py", file=sys.stderr)\nsys.exit(2)\n',
        'validate.py': 'raise RuntimeError("boom")\n',
        'reconcile.py': py({ something_else: [] }, 0),
      }),
    );
    let r = await e.engine.skillChecks(e.slug);
    assert.equal(r.state, 'failed');
    assert.deepEqual(r.checks.map((c) => c.status), ['failed', 'failed', 'failed']);
    assert.match(r.checks[0]!.error!, /integrity\.py exited with 2: usage: integrity\.py/);
    assert.match(r.checks[1]!.error!, /validate\.py gave no JSON answer \(exit 1\): RuntimeError: boom/);
    assert.match(r.checks[2]!.error!, /unknown shape/);
    assert.equal(r.error!.split('\n').length, 1, 'one line');
    useSkill(fakeSkill({ ...CLEAN, 'validate.py': 'import sys\nsys.exit(3)\n' }));
    r = await e.engine.skillChecks(e.slug);
    assert.equal(r.state, 'partial');
    assert.match(r.error!, /validate\.py exited with 3/);
  });

  it('a missing interpreter and a missing script are failures in the report, not throws', async () => {
    e.engine.configureSkill({ path: fakeSkill({ 'integrity.py': CLEAN['integrity.py'] }), python: '/no/such/python3' });
    const r = await e.engine.skillChecks(e.slug);
    assert.equal(r.state, 'failed');
    assert.match(r.checks[0]!.error!, /interpreter could not start .*ENOENT/);
    assert.equal(r.checks[1]!.status, 'missing');
  });

  it('kills a script past its time limit', async () => {
    useSkill(fakeSkill({ ...CLEAN, 'validate.py': 'import time\ntime.sleep(30)\n' }));
    const t0 = Date.now();
    const r = await e.engine.skillChecks(e.slug, { timeoutMs: 5_000 });
    assert.ok(Date.now() - t0 < 25_000, 'killed, not waited for');
    assert.equal(r.state, 'partial');
    assert.match(r.error!, /validate\.py timed out after 5 s/);
  });

  it('a newer sync cancels a running run; a newer run cancels an older one; runs go one at a time', async () => {
    const log = path.join(path.dirname(sdlc), 'runs.log');
    const slow = `import sys, time\nopen(${JSON.stringify(log)}, 'a').write('start\\n')\ntime.sleep(1.5)\nopen(${JSON.stringify(log)}, 'a').write('end\\n')\nprint('{"findings": []}')\n`;
    useSkill(fakeSkill({ ...CLEAN, 'integrity.py': slow }));
    const first = e.engine.skillChecks(e.slug);
    await waitFor(() => fs.existsSync(log));
    const sync = await e.engine.startSync(e.slug);
    assert.equal((await first).state, 'cancelled');
    await sync.done;
    fs.rmSync(log);
    const older = e.engine.skillChecks(e.slug);
    const newer = e.engine.skillChecks(e.slug);
    assert.equal((await older).state, 'cancelled');
    assert.equal((await newer).state, 'ok');
    // two projects: one run at a time (never two scripts at once)
    fs.rmSync(log);
    const other = await e.engine.registerProject({ name: 'other', sdlc_path: repoWith(SAMPLE, null).sdlc });
    const both = await Promise.all([e.engine.skillChecks(e.slug), e.engine.skillChecks(other.slug)]);
    assert.deepEqual(both.map((r) => r.state), ['ok', 'ok']);
    assert.deepEqual(fs.readFileSync(log, 'utf8').trim().split('\n'), ['start', 'end', 'start', 'end']);
  });

  it('no skill installed: state not-found with one line; an unknown project is NOT_FOUND', async () => {
    const checks = new SkillChecks({
      project: (slug) => e.engine.getProject(slug),
      documents: (slug) => e.engine.documentSummaries(slug),
      settings: () => ({ path: null, python: 'python3' }),
      home: null,
    });
    const r = await checks.run(e.slug);
    assert.equal(r.state, 'not-found');
    assert.match(r.error!, /not installed/);
    await assert.rejects(() => e.engine.skillChecks('nope'), (err: { code?: string }) => err.code === 'NOT_FOUND');
  });
});

describe('sdlc-studio checks: reading the answers', () => {
  it('takes only well-typed fields and rejects other shapes', () => {
    assert.equal(parseIntegrity({ violations: [] }), null);
    assert.equal(parseValidate([]), null);
    assert.equal(parseReconcile(null), null);
    const [v] = parseValidate({ violations: [{ file: 3, rule: 'no-ac', severity: 'warning', message: 'm', extra: {} }] })!;
    assert.deepEqual([v!.file, v!.code, v!.severity], [null, 'no-ac', 'medium']);
    const [d] = parseReconcile({ drift: [{ kind: 'index-field', id: 'US1', file: 'A title', detail: 'd', fix: 'f' }] })!;
    assert.equal(d!.file, null, 'index-field `file` is a value, not a file');
    assert.equal(d!.message, 'd. Fix: f');
  });
});

async function waitFor(pred: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
