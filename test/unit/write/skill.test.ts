// Engine.setStatus through sdlc-studio's own writer: real python3 running the real transition.py of
// the shared skill copy, installed in a temp repository's .claude/skills/sdlc-studio/.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Engine } from '../../../src/core/engine';
import { SKILL } from '../../support/corpora';
import { describeShared, registerAndSync, rejectsWith, Sandbox } from '../engine/helpers';

const US1 = 'stories/US0001-first.md';
const US2 = 'stories/US0002-second.md';
const EPIC = 'epics/EP0001-platform.md';
const INDEX = 'stories/_index.md';

const FILES: Record<string, string> = {
  [US1]: `# US0001: First story

> **Status:** Draft
> **Epic:** [EP0001: Platform](../epics/EP0001-platform.md)
> **Owner:** Sam
> **Story Points:** 3

## User Story

As a user I want a thing.

## Acceptance Criteria

### AC1: It works

- **Verify:** \`python3 -c "import sys; sys.exit(1)"\`
`,
  [US2]: `# US0002: Second story

> **Status:** Draft
> **Epic:** [EP0001: Platform](../epics/EP0001-platform.md)
> **Owner:** Sam
> **Story Points:** 2

## User Story

As a user I want another thing.
`,
  [EPIC]: `# EP0001: Platform

> **Status:** In Progress
> **Owner:** Sam

## Story Breakdown

- [ ] [US0001: First story](../stories/US0001-first.md)
- [ ] [US0002: Second story](../stories/US0002-second.md)
`,
  [INDEX]: `# Story Registry

**Last Updated:** 2026-01-01

## Summary

| Status | Count |
| --- | --- |
| Draft | 2 |
| Ready | 0 |
| In Progress | 0 |
| Done | 0 |
| **Total** | **2** |

## All Stories

| ID | Title | Epic | Status | Points | Persona |
| --- | --- | --- | --- | --- | --- |
| [US0001](US0001-first.md) | First story | [EP0001](../epics/EP0001-platform.md) | Draft | 3 | - |
| [US0002](US0002-second.md) | Second story | [EP0001](../epics/EP0001-platform.md) | Draft | 2 | - |
`,
  'prd.md': '# PRD\n\n> **Status:** Draft\n',
};

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** The lines of `after` that differ from `before` (same line count expected). */
function changedLines(before: string, after: string): [string, string][] {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(a.length, b.length);
  return a.map((l, i) => [l, b[i]!] as [string, string]).filter(([x, y]) => x !== y);
}

describeShared('Engine.setStatus through sdlc-studio (real transition.py)', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let repo: string;
  let sdlc: string;
  let engine: Engine;
  /** argv of every transition.py run, recorded by a wrapper that then runs the real script. */
  let calls: () => string[][];

  const read = (rel: string) => fs.readFileSync(path.join(sdlc, rel), 'utf8');
  const doc = (rel: string) => engine.documentsAt('repo', [rel])[0]!;

  beforeEach(async () => {
    sb = new Sandbox();
    repo = sb.dir('repo');
    sdlc = path.join(repo, 'sdlc-studio');
    for (const [rel, text] of Object.entries(FILES)) sb.write(sdlc, rel, text);
    fs.cpSync(SKILL, path.join(repo, '.claude', 'skills', 'sdlc-studio'), { recursive: true });
    // A wrapper skill folder (the sdlcLens.skill.path setting): logs its argv, runs the real script.
    const log = path.join(sb.root, 'calls.jsonl');
    const real = path.join(repo, '.claude', 'skills', 'sdlc-studio', 'scripts', 'transition.py');
    sb.write(
      sb.root,
      'wrapper/scripts/transition.py',
      [
        'import json, runpy, sys',
        `with open(${JSON.stringify(log)}, "a") as f: f.write(json.dumps(sys.argv[1:]) + "\\n")`,
        `sys.path.insert(0, ${JSON.stringify(path.dirname(real))})`,
        `sys.argv[0] = ${JSON.stringify(real)}`,
        `runpy.run_path(${JSON.stringify(real)}, run_name="__main__")`,
      ].join('\n'),
    );
    calls = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]) : []);
    engine = await sb.engine({ writer: { skillHome: null } });
    await registerAndSync(engine, 'Repo', sdlc);
  });
  afterEach(() => sb.dispose());

  it('transition.py writes it: the Status value only, _index.md follows, the database follows, the log names the writer', async () => {
    const before = read(US2);
    const r = await engine.setStatus({ slug: 'repo', type: 'story', doc_id: doc(US2).doc_id, status: 'In Progress' });
    assert.deepEqual(
      [r.writer, r.changed, r.from, r.to, r.file_path, r.dry_run],
      ['sdlc-studio', true, 'Draft', 'In Progress', US2, false],
    );
    assert.deepEqual(changedLines(before, read(US2)), [['> **Status:** Draft', '> **Status:** In Progress']]);
    assert.match(read(INDEX), /\| \[US0002\]\(US0002-second\.md\) \| Second story \| .* \| In Progress \|/);
    assert.equal(engine.getDocument('repo', 'story', doc(US2).doc_id).status, 'In Progress');
    assert.ok(sb.logged.some((l) => l.level === 'info' && /writer: sdlc-studio transition\.py/.test(l.message)), JSON.stringify(sb.logged));
    // a second engine on the same database file reads it too
    await engine.close();
    const fresh = await sb.engine({ writer: { skillHome: null } });
    assert.equal(fresh.getDocument('repo', 'story', 'US0002-second').status, 'In Progress');
  });

  it('the dry run runs first; a refusal stops there with the skill’s reason and changes nothing', async () => {
    engine.configureSkill({ path: path.join(sb.root, 'wrapper') });
    await engine.setStatus({ slug: 'repo', type: 'story', doc_id: doc(US2).doc_id, status: 'Ready' });
    assert.deepEqual(
      calls().map((argv) => argv.includes('--dry-run')),
      [true, false],
    );
    assert.deepEqual(calls()[1], ['set', 'US0002', 'Ready', '--root', repo, '--format', 'json']);

    const files = Object.keys(FILES).map((rel) => fs.readFileSync(path.join(sdlc, rel)));
    await rejectsWith(engine.setStatus({ slug: 'repo', type: 'story', doc_id: doc(US1).doc_id, status: 'Done' }), 'TRANSITION_BLOCKED', /never verified - run `verify_ac`/);
    assert.equal(calls().length, 3, 'only the dry run of the refused move ran');
    assert.ok(calls()[2]!.includes('--dry-run'));
    assert.deepEqual(Object.keys(FILES).map((rel) => fs.readFileSync(path.join(sdlc, rel))), files);
    assert.equal(engine.getDocument('repo', 'story', doc(US1).doc_id).status, 'Draft');
  });

  it('a user-requested dry run runs only the skill’s dry run and reports what it would do', async () => {
    engine.configureSkill({ path: path.join(sb.root, 'wrapper') });
    const before = read(US2);
    const r = await engine.setStatus({ slug: 'repo', type: 'story', doc_id: doc(US2).doc_id, status: 'Ready', dry_run: true });
    assert.deepEqual([r.writer, r.changed, r.dry_run, r.to], ['sdlc-studio', false, true, 'Ready']);
    assert.equal(calls().length, 1);
    assert.equal(read(US2), before);
  });

  it('--force only when asked: the gate is waived, the epic’s breakdown ticks, and the epic row follows', async () => {
    await rejectsWith(engine.setStatus({ slug: 'repo', type: 'story', doc_id: doc(US2).doc_id, status: 'Done' }), 'TRANSITION_BLOCKED', /no acceptance criteria/);
    const r = await engine.setStatus({ slug: 'repo', type: 'story', doc_id: doc(US2).doc_id, status: 'Done', force: true });
    assert.equal(r.changed, true);
    assert.match(read(EPIC), /- \[x\] \[US0002: Second story\]/);
    assert.equal(engine.getDocument('repo', 'epic', 'EP0001-platform').file_hash, sha(fs.readFileSync(path.join(sdlc, EPIC))));
    assert.equal(engine.getDocument('repo', 'story', 'US0002-second').status, 'Done');
    assert.ok(sb.logged.some((l) => /--force/.test(l.message)));
  });

  it('a file changed after the dry run is a CONFLICT: the real run never starts', async () => {
    const changed = FILES[US2]!.replace('another thing', 'another thing, edited meanwhile');
    const racer = await sb.engine({
      dataDir: path.join(sb.root, 'data2'),
      writer: { skillHome: null, beforeCompare: () => fs.writeFileSync(path.join(sdlc, US2), changed) },
    });
    await registerAndSync(racer, 'Repo', sdlc);
    racer.configureSkill({ path: path.join(sb.root, 'wrapper') });
    await rejectsWith(racer.setStatus({ slug: 'repo', type: 'story', doc_id: 'US0002-second', status: 'Ready' }), 'CONFLICT', /changed on disk/);
    assert.equal(read(US2), changed);
    assert.deepEqual(calls().map((argv) => argv.includes('--dry-run')), [true]);
    assert.equal(read(INDEX), FILES[INDEX]);
  });

  it('exit 2 (usage: here a mutation run holds the tree) is a VALIDATION_ERROR with its message', async () => {
    sb.write(sdlc, '.local/mutation-inflight.json', 'garbage');
    await rejectsWith(engine.setStatus({ slug: 'repo', type: 'story', doc_id: doc(US2).doc_id, status: 'Ready' }), 'VALIDATION_ERROR', /mutation run/);
    assert.equal(read(US2), FILES[US2]);
  });

  it('python3 that cannot start: a clear refusal, nothing written, no fallback behind the skill’s back', async () => {
    engine.configureSkill({ python: path.join(sb.root, 'no-such-python') });
    await rejectsWith(engine.setStatus({ slug: 'repo', type: 'story', doc_id: doc(US2).doc_id, status: 'Ready' }), 'TRANSITION_BLOCKED', /could not be started.*sdlcLens\.skill\.python/);
    assert.equal(read(US2), FILES[US2]);
  });

  it('documents transition.py cannot address (a prd) take the value-only edit, and the log says why', async () => {
    const r = await engine.setStatus({ slug: 'repo', type: 'prd', doc_id: 'prd', status: 'Done' });
    assert.equal(r.writer, 'sdlc-lens');
    assert.equal(read('prd.md'), '# PRD\n\n> **Status:** Done\n');
    assert.ok(sb.logged.some((l) => /writer: sdlc-lens value-only edit; transition\.py has no status machinery for prd/.test(l.message)));
  });

  it('without the skill: writer sdlc-lens, a one-line diff, _index.md untouched', async () => {
    fs.rmSync(path.join(repo, '.claude'), { recursive: true });
    const r = await engine.setStatus({ slug: 'repo', type: 'story', doc_id: doc(US2).doc_id, status: 'Ready' });
    assert.equal(r.writer, 'sdlc-lens');
    assert.deepEqual(changedLines(FILES[US2]!, read(US2)), [['> **Status:** Draft', '> **Status:** Ready']]);
    assert.equal(read(INDEX), FILES[INDEX]);
    assert.ok(sb.logged.some((l) => /writer: sdlc-lens value-only edit; the sdlc-studio skill is not installed/.test(l.message)));
  });
});
