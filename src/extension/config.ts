// Typed view of the `sdlcLens.*` settings (contributed in package.json).
import * as vscode from 'vscode';

export interface LensConfig {
  api: { enabled: boolean; port: number; token: string };
  autoSync: { enabled: boolean; debounceMs: number };
}

export const SECTION = 'sdlcLens';
export const DEFAULT_PORT = 7878;
export const DEFAULT_DEBOUNCE_MS = 1000;

const clampInt = (v: unknown, min: number, max: number, fallback: number): number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : fallback;

export function readConfig(): LensConfig {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    api: {
      enabled: c.get<boolean>('api.enabled', false) === true,
      port: clampInt(c.get('api.port'), 0, 65535, DEFAULT_PORT),
      token: (c.get<string>('api.token', '') ?? '').trim(),
    },
    autoSync: {
      enabled: c.get<boolean>('autoSync', false) === true,
      debounceMs: clampInt(c.get('autoSyncDebounceMs'), 100, 60_000, DEFAULT_DEBOUNCE_MS),
    },
  };
}

export const affectsApi = (e: vscode.ConfigurationChangeEvent) => e.affectsConfiguration(`${SECTION}.api`);
export const affectsAutoSync = (e: vscode.ConfigurationChangeEvent) =>
  e.affectsConfiguration(`${SECTION}.autoSync`) || e.affectsConfiguration(`${SECTION}.autoSyncDebounceMs`);
