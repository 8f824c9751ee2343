// `sdlc-lens check`, `stats` and `sync <path|SLUG|--all>` as a user runs them: `node dist/cli.js` in real
// child processes (working directory = a temp "repository"), over real temp sdlc-studio folders.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { CLI, ensureCliBuilt } from '../engine/helpers';

const SCHEMA = path.resolve(__dirname, '../../fixtures/sarif/sarif-2.1.0-rtm.5.json');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(cwd: string, dataDir: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, '--data-dir', dataDir], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const BODY = '\n## Description\n\nEnough words here to make this a real document body, well over fifty characters.\n';
const md = (title: string, fields: Record<string, string>, body = BODY): string =>
  `# ${title}\n\n${Object.entries(fields).map(([k, v]) => `> **${k}:** ${v}`).join('\n')}\n${body}`;

/**
 * A project whose findings are exactly: EMPTY_CONTENT (high, TSD.md), MISSING_PLAN and
 * MISSING_TEST_SPEC (medium, the story), MISSING_STORY_POINTS (low, the story).
 */
const GRADED: Record<string, string> = {
  'PRD.md': md('Product', {}),
  'TRD.md': md('Technical', {}),
  'TSD.md': md('Test strategy', {}, '\n'),
  'epics/EP0001-core.md': md('EP0001: Core', { Status: 'In Progress', Owner: 'Ann' }),
  'stories/US0001-login.md': md('US0001: Log in', { Status: 'Ready', Owner: 'Ann', Epic: 'EP0001', Priority: 'P1' }),
};

/** A sarif 2.1.0 (draft-04) validator on ajv 8: draft-04's `id` becomes `$id`. */
function sarifValidator() {
  const schema = JSON.parse(fs.readFileSync(SCHEMA, 'utf8'));
  schema.$id = schema.id;
  delete schema.id;
  delete schema.$schema;
  // the schema's language-tag pattern has a stray `]`, invalid under the `u` flag
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  // a plain predicate: ajv's type guard would narrow the parsed logs to `unknown`
  return ajv.compile(schema) as unknown as ((data: unknown) => boolean) & { errors?: unknown };
}

describe('CLI check / stats / sync targets (dist/cli.js)', function () {
  this.timeout(60_000);
  let root: string;
  let data: string;
  let repo: string;
  const write = (name: string, files: Record<string, string>): string => {
    const dir = path.join(repo, name, 'sdlc-studio');
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    return dir;
  };
  const run = (...args: string[]): Promise<Run> => cli(repo, data, args);

  before(function () {
    this.timeout(120_000);
    ensureCliBuilt();
  });
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-check-'));
    data = path.join(root, 'data');
    repo = path.join(root, 'repo');
    fs.mkdirSync(repo);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('exit codes for each --fail-on level (default high), with --disable lowering the worst severity', async () => {
    write('graded', GRADED);
    const first = await run('check', 'graded/sdlc-studio', '--format', 'json');
    assert.equal(first.code, 1, first.stderr); // default --fail-on high, and there is a high finding
    const report = JSON.parse(first.stdout);
    assert.deepEqual(
      report.findings.map((f: { rule_id: string; affected_documents: { file_path: string }[] }) => `${f.rule_id}:${f.affected_documents.map((d) => d.file_path)}`),
      ['MISSING_PLAN:stories/US0001-login.md', 'MISSING_TEST_SPEC:stories/US0001-login.md', 'MISSING_STORY_POINTS:stories/US0001-login.md', 'EMPTY_CONTENT:TSD.md'],
    );
    const code = async (...extra: string[]): Promise<number | null> => {
      const r = await run('check', 'graded', ...extra);
      assert.equal(r.stderr, '', r.stderr);
      return r.code;
    };
    assert.deepEqual(
      [await code('--fail-on', 'critical'), await code('--fail-on', 'high'), await code('--fail-on', 'medium'), await code('--fail-on', 'low')],
      [0, 1, 1, 1],
    );
    const noHigh = ['--disable', 'EMPTY_CONTENT'];
    assert.deepEqual([await code(...noHigh, '--fail-on', 'high'), await code(...noHigh, '--fail-on', 'medium'), await code(...noHigh)], [0, 1, 0]);
    const lowOnly = ['--disable', 'EMPTY_CONTENT,MISSING_PLAN, missing_test_spec'];
    assert.deepEqual([await code(...lowOnly, '--fail-on', 'medium'), await code(...lowOnly, '--fail-on', 'low')], [0, 1]);
    // a critical finding fails every level
    write('bare', { 'stories/US0001-x.md': md('US0001: X', { Status: 'Done', Owner: 'Ann', Epic: 'EP0001' }) });
    assert.equal((await run('check', 'bare/sdlc-studio', '--fail-on', 'critical')).code, 1);
    assert.equal((await run('check', 'bare/sdlc-studio', '--fail-on', 'critical', '--disable', 'MISSING_PRD')).code, 0);
  });

  it('usage errors exit 2 with one line and nothing synced: bad --fail-on, --format, unknown --disable rule', async () => {
    const dir = write('graded', GRADED);
    for (const args of [['--fail-on', 'severe'], ['--format', 'xml'], ['--disable', 'MISSING_PRD,NOPE']]) {
      const r = await run('check', dir, ...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^sdlc-lens: /);
    }
    assert.equal(JSON.parse((await run('projects', '--json')).stdout).length, 0);
    const missing = await run('check', 'nowhere/sdlc-studio');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^sdlc-lens: sdlc-studio folder not found: nowhere\/sdlc-studio \(nor a registered project of that slug\)$/m);
  });

  it('--format sarif validates against the SARIF 2.1.0 schema: rules from the table, one result per affected document, relative URIs', async () => {
    write('graded', GRADED);
    write('lonely', { 'PRD.md': md('Product', {}), 'epics/EP0001-a.md': md('EP0001: A', { Status: 'Done', Owner: 'Ann' }) });
    const validate = sarifValidator();
    const r = await run('check', 'graded/sdlc-studio', '--format', 'sarif');
    assert.equal(r.code, 1, r.stderr);
    const log: any = JSON.parse(r.stdout); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    assert.equal(log.version, '2.1.0');
    const run0 = log.runs[0];
    assert.equal(run0.tool.driver.rules.length, 19);
    const rule = run0.tool.driver.rules.find((x: { id: string }) => x.id === 'EMPTY_CONTENT');
    assert.deepEqual(Object.keys(rule).sort(), ['defaultConfiguration', 'fullDescription', 'help', 'id', 'name', 'properties', 'shortDescription']);
    assert.equal(rule.defaultConfiguration.level, 'error');
    assert.equal(run0.originalUriBaseIds['%SRCROOT%'].uri, `file://${fs.realpathSync(repo)}/`);
    assert.deepEqual(
      run0.results.map((x: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } } }[] }) => {
        const loc = x.locations[0]!.physicalLocation;
        return `${x.ruleId} ${x.level} ${loc.artifactLocation.uriBaseId} ${loc.artifactLocation.uri}:${loc.region.startLine}`;
      }),
      [
        'MISSING_PLAN warning %SRCROOT% graded/sdlc-studio/stories/US0001-login.md:1',
        'MISSING_TEST_SPEC warning %SRCROOT% graded/sdlc-studio/stories/US0001-login.md:1',
        'MISSING_STORY_POINTS note %SRCROOT% graded/sdlc-studio/stories/US0001-login.md:1',
        'EMPTY_CONTENT error %SRCROOT% graded/sdlc-studio/TSD.md:1',
      ],
    );
    for (const x of run0.results) assert.equal(run0.tool.driver.rules[x.ruleIndex].id, x.ruleId);
    // project-level findings: at the PRD when there is one (MISSING_TRD), else at the folder
    const lonely: any = JSON.parse((await run('check', 'lonely/sdlc-studio', '--format', 'sarif')).stdout); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.ok(validate(lonely), JSON.stringify(validate.errors, null, 2));
    const trd = lonely.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'MISSING_TRD');
    assert.equal(trd.locations[0].physicalLocation.artifactLocation.uri, 'lonely/sdlc-studio/PRD.md');
    fs.rmSync(path.join(repo, 'lonely', 'sdlc-studio', 'PRD.md'));
    const folder: any = JSON.parse((await run('check', 'lonely/sdlc-studio', '--format', 'sarif')).stdout); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.ok(validate(folder), JSON.stringify(validate.errors, null, 2));
    const prd = folder.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'MISSING_PRD');
    assert.deepEqual(prd.locations[0].physicalLocation, { artifactLocation: { uri: 'lonely/sdlc-studio/', uriBaseId: '%SRCROOT%' } });
    // and a broken log is caught: the validator can fail
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: {} }] }), false);
  });

  it('--format github prints one workflow annotation per affected document (severity → error/warning/notice)', async () => {
    write('graded', GRADED);
    const r = await run('check', 'graded/sdlc-studio', '--format', 'github', '--fail-on', 'critical');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(
      lines.map((l) => l.slice(0, l.indexOf('::', 2))),
      [
        '::warning file=graded/sdlc-studio/stories/US0001-login.md,line=1,title=MISSING_PLAN',
        '::warning file=graded/sdlc-studio/stories/US0001-login.md,line=1,title=MISSING_TEST_SPEC',
        '::notice file=graded/sdlc-studio/stories/US0001-login.md,line=1,title=MISSING_STORY_POINTS',
        '::error file=graded/sdlc-studio/TSD.md,line=1,title=EMPTY_CONTENT',
      ],
    );
    for (const l of lines) assert.match(l, /^::(error|warning|notice) [^:]+::\S.*$/);
  });

  it('stats [SLUG] --json: the engine figures; text output names the completion', async () => {
    write('graded', GRADED);
    assert.equal((await run('sync', 'graded/sdlc-studio')).code, 0);
    const one = JSON.parse((await run('stats', 'graded', '--json')).stdout);
    assert.deepEqual([one.total_documents, one.by_type, one.completion_percentage], [5, { prd: 1, trd: 1, tsd: 1, epic: 1, story: 1 }, 0]);
    const all = JSON.parse((await run('stats', '--json')).stdout);
    assert.deepEqual([all.total_projects, all.total_documents, all.projects.length], [1, 5, 1]);
    assert.match((await run('stats')).stdout, /^1 projects, 5 documents, stories 0\.0% complete/);
    const unknown = await run('stats', 'nope');
    assert.deepEqual([unknown.code, unknown.stderr.trim()], [1, 'sdlc-lens: Project not found']);
  });

  it('sync of a registered project whose folder vanished records error "sdlc-studio path not found" (by path, slug and --all)', async () => {
    const dir = write('gone', GRADED);
    assert.equal((await run('sync', 'gone/sdlc-studio')).code, 0);
    fs.renameSync(dir, `${dir}-moved`);
    const byPath = await run('sync', 'gone/sdlc-studio', '--json');
    assert.equal(byPath.code, 1, byPath.stderr);
    const o = JSON.parse(byPath.stdout);
    assert.deepEqual([o.slug, o.sync_status, o.document_count], ['gone', 'error', 5]);
    assert.match(o.sync_error, /^sdlc-studio path not found/);
    const stored = JSON.parse((await run('projects', '--json')).stdout);
    assert.deepEqual([stored[0].sync_status, stored[0].document_count], ['error', 5]);
    assert.match(stored[0].sync_error, /^sdlc-studio path not found/);
    // by slug, and with --all: the same recorded outcome, exit 1
    const bySlug = await run('sync', 'gone');
    assert.equal(bySlug.code, 1);
    assert.match(bySlug.stderr, /sdlc-studio path not found/);
    write('fine', GRADED);
    assert.equal((await run('sync', 'fine/sdlc-studio')).code, 0);
    const all = await run('sync', '--all', '--json');
    assert.equal(all.code, 1);
    assert.deepEqual(JSON.parse(all.stdout).map((x: { slug: string; sync_status: string }) => `${x.slug}:${x.sync_status}`), ['gone:error', 'fine:synced']);
    // back in place: recovers
    fs.renameSync(`${dir}-moved`, dir);
    assert.equal((await run('sync', 'gone')).code, 0);
    assert.equal(JSON.parse((await run('projects', '--json')).stdout)[0].sync_status, 'synced');
    const usage = await run('sync', '--all', 'gone');
    assert.equal(usage.code, 2);
  });
});
