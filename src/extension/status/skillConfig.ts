// The `sdlcLens.skill.*` settings: where sdlc-studio's skill is (a folder holding
// scripts/transition.py; empty = discover it, writing.md §1) and the python it runs with.
import * as vscode from 'vscode';
import { DEFAULT_PYTHON } from '../../core/skill/discover';
import { SECTION } from '../config';

export interface SkillConfig {
  path: string | null;
  python: string;
}

export function readSkillConfig(): SkillConfig {
  const c = vscode.workspace.getConfiguration(SECTION);
  const p = (c.get<string>('skill.path', '') ?? '').trim();
  const py = (c.get<string>('skill.python', DEFAULT_PYTHON) ?? '').trim();
  return { path: p || null, python: py || DEFAULT_PYTHON };
}

export const affectsSkill = (e: vscode.ConfigurationChangeEvent) => e.affectsConfiguration(`${SECTION}.skill`);
