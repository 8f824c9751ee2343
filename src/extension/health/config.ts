// The `sdlcLens.health.*` and `sdlcLens.skill.*` settings (contributed in package.json), read like
// config.ts reads the rest.
import * as vscode from 'vscode';
import { isSeverity, RULE_IDS, type Severity } from '../../core/health';
import type { SkillSettings } from '../../core/skill/run';
import { DEFAULT_PYTHON } from '../../core/skill/discover';
import { SECTION } from '../config';
import { diagnosticsScopeOf, type DiagnosticsScope } from './scopeSetting';

export { diagnosticsScopeOf, DIAGNOSTICS_SCOPES, DEFAULT_DIAGNOSTICS_SCOPE, type DiagnosticsScope } from './scopeSetting';

export const HEALTH_SECTION = `${SECTION}.health`;
export const SKILL_SECTION = `${SECTION}.skill`;

export interface HealthConfig {
  /** Which findings the Problems panel shows. */
  diagnostics: DiagnosticsScope;
  /** The lowest severity the Problems panel shows (the Health node and the dashboard show all). */
  minimumSeverity: Severity;
  /** Known rule ids to skip (unknown entries are reported in `unknown` and ignored). */
  disabledRules: string[];
  unknown: string[];
}

/** The health settings that apply to a project's folder (they are resource-scoped). */
export function readHealthConfig(scope?: vscode.Uri): HealthConfig {
  const c = vscode.workspace.getConfiguration(HEALTH_SECTION, scope);
  const raw = c.get<unknown>('disabledRules', []);
  const list = Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string').map((x) => x.trim().toUpperCase()) : [];
  const known = new Set(RULE_IDS);
  const floor = c.get<unknown>('minimumSeverity', 'low');
  return {
    diagnostics: diagnosticsScopeOf(c.get<unknown>('diagnostics')),
    minimumSeverity: typeof floor === 'string' && isSeverity(floor) ? floor : 'low',
    disabledRules: [...new Set(list.filter((x) => known.has(x)))],
    unknown: list.filter((x) => !known.has(x)),
  };
}

/** `sdlcLens.skill.path` and `sdlcLens.skill.python`, as the engine takes them. */
export function readSkillSettings(): SkillSettings {
  const c = vscode.workspace.getConfiguration(SKILL_SECTION);
  const p = c.get<unknown>('path', '');
  const python = c.get<unknown>('python', DEFAULT_PYTHON);
  return {
    path: typeof p === 'string' && p.trim() ? p.trim() : null,
    python: typeof python === 'string' && python.trim() ? python.trim() : DEFAULT_PYTHON,
  };
}

export const affectsHealth = (e: vscode.ConfigurationChangeEvent) => e.affectsConfiguration(HEALTH_SECTION);
export const affectsSkill = (e: vscode.ConfigurationChangeEvent) => e.affectsConfiguration(SKILL_SECTION);
