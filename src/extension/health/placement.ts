// How the editor labels health findings. Where they are placed is computed by the engine (in its
// worker): src/core/health/placement.ts, re-exported here for the editor's parts.
import { SEVERITY_LEVELS, type Severity } from '../../core/health';

export { diagnosticMessage, orphanOf, placements, projectFileOf, type Placement } from '../../core/health/placement';

/** Diagnostic `source` of every finding. */
export const DIAGNOSTIC_SOURCE = 'SDLC Lens';

/** The README section explaining each rule (its anchor is `rule-<id>`, lower case). */
export const RULES_DOC_URL = 'https://github.com/sdlc-lens/sdlc-lens#health-rules';

/** The rule's explanation: a README anchor, generated beside the rule table (`<a id="rule-missing_prd">`). */
export function ruleDocUrl(ruleId: string): string {
  return `${RULES_DOC_URL.replace(/#.*$/, '')}#rule-${ruleId.toLowerCase()}`;
}

/** The editor severity name of a finding severity (one mapping, in core's SEVERITY_LEVELS). */
export function editorSeverity(s: Severity): 'Error' | 'Warning' | 'Information' {
  return SEVERITY_LEVELS[s].editor;
}
