// Where sdlc-studio's skill is installed (writing.md §1): the one discovery used by the status writer
// and by the skill's own checks. Pure file-system probing, no process is started here.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The interpreter the skill's scripts run with unless `sdlcLens.skill.python` says otherwise. */
export const DEFAULT_PYTHON = 'python3';

/** Skill folders inside a repository (the folder that holds the project's `sdlc-studio/`), in order. */
export const REPOSITORY_SKILL_DIRS: readonly string[] = Object.freeze([
  '.claude/skills/sdlc-studio',
  '.agents/skills/sdlc-studio',
  '.github/skills/sdlc-studio',
]);

/** Skill folders under the user's home folder, in order. */
export const USER_SKILL_DIRS: readonly string[] = Object.freeze([
  '.claude/skills/sdlc-studio',
  '.agents/skills/sdlc-studio',
  '.gemini/skills/sdlc-studio',
  '.config/opencode/skills/sdlc-studio',
]);

export type SkillSource = 'setting' | 'repository' | 'user';

export interface SkillCandidate {
  dir: string;
  source: SkillSource;
}

export interface SkillLocation extends SkillCandidate {
  /** `<dir>/scripts` */
  scripts: string;
  /** `metadata.version` of the skill's SKILL.md frontmatter, when it has one. */
  version: string | null;
}

export interface SkillDiscoveryOptions {
  /** The repository: the folder holding the project's `sdlc-studio/` (its parent). */
  repoRoot: string;
  /** The `sdlcLens.skill.path` setting (a folder holding `scripts/transition.py`), if set. */
  settingPath?: string | null;
  /** The user's home folder (tests point it at a temp folder); default os.homedir(). */
  home?: string | null;
  /** False: skip the repository's skill folders (a Restricted Mode workspace). Default true. */
  trustRepository?: boolean;
}

/** Every place looked at, in discovery order (writing.md §1). */
export function skillCandidates(options: SkillDiscoveryOptions): SkillCandidate[] {
  const out: SkillCandidate[] = [];
  const setting = options.settingPath?.trim();
  if (setting) out.push({ dir: path.resolve(options.repoRoot, setting), source: 'setting' });
  if (options.trustRepository !== false) for (const rel of REPOSITORY_SKILL_DIRS) out.push({ dir: path.join(options.repoRoot, rel), source: 'repository' });
  const home = options.home === undefined ? os.homedir() : options.home;
  if (home) for (const rel of USER_SKILL_DIRS) out.push({ dir: path.join(home, rel), source: 'user' });
  return out;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** `metadata: version: "5.0.1"` (or a top-level `version:`) from SKILL.md's frontmatter; null when absent. */
export function skillVersion(dir: string): string | null {
  let text: string;
  try {
    const fd = fs.openSync(path.join(dir, 'SKILL.md'), 'r');
    try {
      const buf = Buffer.alloc(16 * 1024);
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      text = buf.subarray(0, n).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
  const fm = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  if (!fm) return null;
  const m = /^\s*version:\s*["']?([^"'\r\n#]+?)["']?\s*$/m.exec(fm[1]);
  return m ? m[1].trim() : null;
}

/**
 * The first candidate holding `scripts/transition.py`, or null when the skill is not installed.
 * A `sdlcLens.skill.path` that does not hold it is skipped (the next places are still looked at).
 */
export function findSkill(options: SkillDiscoveryOptions): SkillLocation | null {
  for (const c of skillCandidates(options)) {
    const scripts = path.join(c.dir, 'scripts');
    if (isFile(path.join(scripts, 'transition.py'))) return { ...c, scripts, version: skillVersion(c.dir) };
  }
  return null;
}

/** The repository of a project: the folder that holds its `sdlc-studio/` folder. */
export function repositoryOf(sdlcPath: string): string {
  return path.dirname(path.resolve(sdlcPath));
}
