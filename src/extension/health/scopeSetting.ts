// `sdlcLens.health.diagnostics` read from its raw value (no vscode: unit-tested in plain Node).

/**
 * Which findings reach the Problems panel: those of documents open in an editor (the default, as
 * ESLint and TypeScript do), every document of every project, or none.
 */
export type DiagnosticsScope = 'openFiles' | 'workspace' | 'off';
export const DIAGNOSTICS_SCOPES: readonly DiagnosticsScope[] = ['openFiles', 'workspace', 'off'];
export const DEFAULT_DIAGNOSTICS_SCOPE: DiagnosticsScope = 'openFiles';

/**
 * The scope from the setting's value. Earlier versions had a boolean: `true` showed every document's
 * findings, so it reads as "workspace" (what the user chose to keep); `false` as "off". Anything
 * else unknown: the default.
 */
export function diagnosticsScopeOf(raw: unknown): DiagnosticsScope {
  if (raw === true) return 'workspace';
  if (raw === false) return 'off';
  return typeof raw === 'string' && (DIAGNOSTICS_SCOPES as readonly string[]).includes(raw) ? (raw as DiagnosticsScope) : DEFAULT_DIAGNOSTICS_SCOPE;
}
