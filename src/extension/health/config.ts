// The `sdlcLens.health.*` settings (contributed in package.json), read like config.ts reads the rest.
import * as vscode from 'vscode';
import { RULE_IDS } from '../../core/health';
import { SECTION } from '../config';

export const HEALTH_SECTION = `${SECTION}.health`;

export interface HealthConfig {
  /** Show findings in the Problems panel. */
  diagnostics: boolean;
  /** Known rule ids to skip (unknown entries are reported in `unknown` and ignored). */
  disabledRules: string[];
  unknown: string[];
}

/** The health settings that apply to a project's folder (disabledRules is resource-scoped). */
export function readHealthConfig(scope?: vscode.Uri): HealthConfig {
  const c = vscode.workspace.getConfiguration(HEALTH_SECTION, scope);
  const raw = c.get<unknown>('disabledRules', []);
  const list = Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string').map((x) => x.trim().toUpperCase()) : [];
  const known = new Set(RULE_IDS);
  return {
    diagnostics: c.get<boolean>('diagnostics', true) !== false,
    disabledRules: [...new Set(list.filter((x) => known.has(x)))],
    unknown: list.filter((x) => !known.has(x)),
  };
}

export const affectsHealth = (e: vscode.ConfigurationChangeEvent) => e.affectsConfiguration(HEALTH_SECTION);
