// The `sdlcLens.skill.*` settings as the status writer takes them: the one reader lives in
// health/config.ts (the skill's checks read the same settings).
import type * as vscode from 'vscode';
import { SECTION } from '../config';
export { readSkillSettings as readSkillConfig } from '../health/config';

export const affectsSkill = (e: vscode.ConfigurationChangeEvent) => e.affectsConfiguration(`${SECTION}.skill`);
