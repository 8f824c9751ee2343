import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findSkill, repositoryOf, skillCandidates, skillVersion } from '../../../src/core/skill/discover';

function skillAt(dir: string, version = '5.0.1'): void {
  fs.mkdirSync(path.join(dir, 'scripts'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'scripts', 'transition.py'), '# stub\n');
  fs.writeFileSync(path.join(dir, 'SKILL.md'), `---\nname: sdlc-studio\nmetadata:\n  version: "${version}"\n---\n# x\n`);
}

describe('skill discovery (writing.md §1)', () => {
  let tmp: string;
  let repo: string;
  let home: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-skill-'));
    repo = path.join(tmp, 'repo');
    home = path.join(tmp, 'home');
    fs.mkdirSync(path.join(repo, 'sdlc-studio'), { recursive: true });
    fs.mkdirSync(home);
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('looks in the setting, then the repository, then the user folders, in order', () => {
    const c = skillCandidates({ repoRoot: repo, settingPath: 'tools/skill', home });
    assert.deepEqual(
      c.map((x) => [path.relative(tmp, x.dir), x.source]),
      [
        [path.join('repo', 'tools', 'skill'), 'setting'],
        [path.join('repo', '.claude', 'skills', 'sdlc-studio'), 'repository'],
        [path.join('repo', '.agents', 'skills', 'sdlc-studio'), 'repository'],
        [path.join('repo', '.github', 'skills', 'sdlc-studio'), 'repository'],
        [path.join('home', '.claude', 'skills', 'sdlc-studio'), 'user'],
        [path.join('home', '.agents', 'skills', 'sdlc-studio'), 'user'],
        [path.join('home', '.gemini', 'skills', 'sdlc-studio'), 'user'],
        [path.join('home', '.config', 'opencode', 'skills', 'sdlc-studio'), 'user'],
      ],
    );
  });

  it('finds nothing when no candidate holds scripts/transition.py', () => {
    fs.mkdirSync(path.join(repo, '.claude', 'skills', 'sdlc-studio'), { recursive: true }); // no scripts
    assert.equal(findSkill({ repoRoot: repo, home }), null);
  });

  it('the first installed candidate wins: setting over repository over user', () => {
    skillAt(path.join(home, '.gemini', 'skills', 'sdlc-studio'), '1.0.0');
    assert.equal(findSkill({ repoRoot: repo, home })?.source, 'user');
    assert.equal(findSkill({ repoRoot: repo, home })?.version, '1.0.0');
    skillAt(path.join(repo, '.github', 'skills', 'sdlc-studio'), '2.0.0');
    assert.equal(findSkill({ repoRoot: repo, home })?.version, '2.0.0');
    skillAt(path.join(repo, '.agents', 'skills', 'sdlc-studio'), '3.0.0');
    assert.equal(findSkill({ repoRoot: repo, home })?.version, '3.0.0');
    skillAt(path.join(repo, '.claude', 'skills', 'sdlc-studio'), '4.0.0');
    assert.equal(findSkill({ repoRoot: repo, home })?.version, '4.0.0');
    const setting = path.join(tmp, 'elsewhere');
    skillAt(setting, '5.0.0');
    const found = findSkill({ repoRoot: repo, home, settingPath: setting });
    assert.equal(found?.source, 'setting');
    assert.equal(found?.scripts, path.join(setting, 'scripts'));
  });

  it('a setting that holds no skill is skipped', () => {
    skillAt(path.join(repo, '.claude', 'skills', 'sdlc-studio'));
    assert.equal(findSkill({ repoRoot: repo, home, settingPath: path.join(tmp, 'nothing') })?.source, 'repository');
  });

  it('reads the version from SKILL.md frontmatter; null without one', () => {
    const dir = path.join(tmp, 's');
    skillAt(dir, '5.0.1');
    assert.equal(skillVersion(dir), '5.0.1');
    fs.writeFileSync(path.join(dir, 'SKILL.md'), '# no frontmatter\n');
    assert.equal(skillVersion(dir), null);
    fs.rmSync(path.join(dir, 'SKILL.md'));
    assert.equal(skillVersion(dir), null);
  });

  it('the repository is the folder that holds sdlc-studio/', () => {
    assert.equal(repositoryOf(path.join(repo, 'sdlc-studio')), repo);
  });
});

describe('skill discovery in a Restricted Mode workspace', () => {
  it('never offers the repository\'s own skill folders when the repository is not trusted', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-skill-'));
    try {
      const repo = path.join(tmp, 'repo');
      const home = path.join(tmp, 'home');
      skillAt(path.join(repo, '.claude', 'skills', 'sdlc-studio'), '9.9.9');
      assert.equal(findSkill({ repoRoot: repo, home })?.source, 'repository');
      assert.equal(findSkill({ repoRoot: repo, home, trustRepository: false }), null);
      skillAt(path.join(home, '.claude', 'skills', 'sdlc-studio'), '1.0.0');
      assert.equal(findSkill({ repoRoot: repo, home, trustRepository: false })?.source, 'user');
      assert.ok(skillCandidates({ repoRoot: repo, home, trustRepository: false }).every((c) => c.source !== 'repository'));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
