// The shared sdlc-studio skill copy in the extension host's specs: the harness passes its path
// (SDLC_LENS_TEST_SKILL, only when the shared material is beside the checkout); a spec installs it
// into a repository's `.claude/skills/sdlc-studio/`, where the engine's discovery finds it.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const hasSkill = (): boolean => !!process.env.SDLC_LENS_TEST_SKILL && fs.existsSync(process.env.SDLC_LENS_TEST_SKILL);

/** Copies the skill into `<repoRoot>/.claude/skills/sdlc-studio/`. */
export function installSkill(repoRoot: string): string {
  const src = process.env.SDLC_LENS_TEST_SKILL;
  if (!src) throw new Error('SDLC_LENS_TEST_SKILL is not set');
  const dest = path.join(repoRoot, '.claude', 'skills', 'sdlc-studio');
  fs.cpSync(src, dest, { recursive: true });
  return dest;
}
