// `sdlc-lens set-status` as a user runs it: node dist/cli.js in real child processes over a real data
// folder and real files. Exit codes: 0 changed (or would), 1 refused or conflict, 2 usage.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SKILL } from '../../support/corpora';
import { describeShared, ensureCliBuilt, runCli, Sandbox } from '../engine/helpers';

const STORY = 'stories/US0001-browse-rooms-by-floor.md';
const STACK = /^\s+at /m;
const NOBODY = { uid: 65534, gid: 65534 };
const RESULT_KEYS = ['doc_id', 'type', 'from', 'to', 'writer', 'changed', 'dry_run', 'file_path', 'warning', 'slug'];

describe('CLI set-status (dist/cli.js)', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let root: string;
  let data: string[];
  before(function () {
    this.timeout(120_000);
    ensureCliBuilt();
  });
  beforeEach(async () => {
    sb = new Sandbox();
    data = ['--data-dir', sb.dataDir];
    root = sb.corpus('harbor');
    const r = await runCli(['sync', root, ...data]);
    assert.equal(r.code, 0, r.stderr);
  });
  afterEach(() => sb.dispose());

  it('exit 0: sets it (value-only without the skill), --json gives the result, the next process reads the new status', async () => {
    const before = fs.readFileSync(path.join(root, STORY), 'utf8');
    const r = await runCli(['set-status', 'US0001', 'In', 'Progress', '--json', ...data]);
    assert.equal(r.code, 0, r.stderr);
    const o = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(o).sort(), [...RESULT_KEYS].sort());
    assert.deepEqual(
      [o.doc_id, o.type, o.from, o.to, o.writer, o.changed, o.file_path, o.slug],
      ['US0001-browse-rooms-by-floor', 'story', 'Done', 'In Progress', 'sdlc-lens', true, STORY, 'harbor'],
    );
    assert.equal(fs.readFileSync(path.join(root, STORY), 'utf8'), before.replace('> **Status:** Done', '> **Status:** In Progress'));
    const docs = JSON.parse((await runCli(['docs', 'harbor', '--json', ...data])).stdout) as { file_path: string; status: string }[];
    assert.equal(docs.find((d) => d.file_path === STORY)!.status, 'In Progress');
    // text output names the writer; setting the same status again changes nothing and still exits 0
    const again = await runCli(['set-status', 'us-0001', 'in progress', ...data]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already In Progress/);
  });

  it('exit 0 for --dry-run: says what it would do, changes nothing', async () => {
    const before = fs.readFileSync(path.join(root, STORY));
    const r = await runCli(['set-status', 'US0001', 'Blocked', '--dry-run', ...data]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /would set Done → Blocked \(writer: sdlc-lens/);
    assert.deepEqual(fs.readFileSync(path.join(root, STORY)), before);
  });

  it('exit 2: unknown id, unknown status, unknown project, missing arguments, an id in two projects', async () => {
    const cases: [string[], RegExp][] = [
      [['set-status', 'US9999', 'Done'], /no document US9999/],
      [['set-status', 'US0001', 'Shipped'], /"Shipped" is not a status of story documents in harbor \(allowed: Proposed, Draft/],
      [['set-status', 'US0001', 'Done', '--project', 'nope'], /Project not found/],
      [['set-status', 'US0001'], /usage: sdlc-lens set-status/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli([...argv, ...data]);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, STACK);
    }
    await runCli(['sync', sb.corpus('harbor2'), '--name', 'Harbor Two', ...data]);
    const both = await runCli(['set-status', 'US0001', 'Review', ...data]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /US0001 is in several projects; add --project SLUG:\n {2}harbor: US0001-browse-rooms-by-floor .*\n {2}harbor-two: /);
    const one = await runCli(['set-status', 'US0001', 'Review', '--project', 'harbor-two', '--json', ...data]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(JSON.parse(one.stdout).slug, 'harbor-two');
    assert.match(fs.readFileSync(path.join(root, STORY), 'utf8'), /> \*\*Status:\*\* Done/);
  });

  it('exit 1: a read-only file (run as an unprivileged user, so the mode really holds): a clear message, no stack', async () => {
    assert.equal(process.getuid?.(), 0, 'this test switches to uid 65534, which needs root');
    fs.chmodSync(sb.root, 0o755);
    fs.chmodSync(path.dirname(root), 0o755);
    spawnChown(sb.root);
    fs.chmodSync(path.join(root, STORY), 0o444);
    const before = fs.readFileSync(path.join(root, STORY));
    const r = await runCli(['set-status', 'US0001', 'Review', ...data], NOBODY);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^sdlc-lens: stories\/US0001-browse-rooms-by-floor\.md is read-only \(or its folder is\): its status was not changed\n$/);
    assert.deepEqual(fs.readFileSync(path.join(root, STORY)), before);
    // a writable one, by the same user, goes through
    const ok = await runCli(['set-status', 'US0002', 'Review', ...data], NOBODY);
    assert.equal(ok.code, 0, ok.stderr);
  });
});

function spawnChown(dir: string): void {
  const walk = (p: string) => {
    fs.chownSync(p, NOBODY.uid, NOBODY.gid);
    if (fs.statSync(p).isDirectory()) for (const n of fs.readdirSync(p)) walk(path.join(p, n));
  };
  walk(dir);
}

describeShared('CLI set-status through sdlc-studio (real transition.py)', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let root: string;
  let data: string[];
  before(function () {
    this.timeout(120_000);
    ensureCliBuilt();
  });
  beforeEach(async () => {
    sb = new Sandbox();
    data = ['--data-dir', sb.dataDir];
    root = sb.corpus('harbor');
    fs.cpSync(SKILL, path.join(path.dirname(root), '.claude', 'skills', 'sdlc-studio'), { recursive: true });
    assert.equal((await runCli(['sync', root, ...data])).code, 0);
  });
  afterEach(() => sb.dispose());

  it('exit 0 with writer sdlc-studio; exit 1 with the skill’s reason when its gates refuse', async () => {
    const r = await runCli(['set-status', 'US0001', 'Review', '--json', ...data]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).writer, 'sdlc-studio');
    assert.match(fs.readFileSync(path.join(root, STORY), 'utf8'), /> \*\*Status:\*\* Review/);
    // a story with no acceptance criteria cannot be Done by the skill's gates
    sb.write(root, 'stories/US0099-bare.md', '# US0099: Bare\n\n> **Status:** Draft\n\n## User Story\n\nNothing else.\n');
    assert.equal((await runCli(['sync', root, ...data])).code, 0);
    const refused = await runCli(['set-status', 'US0099', 'Done', ...data]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /^sdlc-lens: refused by sdlc-studio: US0099 -> Done blocked .*no acceptance criteria/);
    assert.match(fs.readFileSync(path.join(root, 'stories/US0099-bare.md'), 'utf8'), /> \*\*Status:\*\* Draft/);
  });
});
