// How the editor labels health findings. Where they are placed is computed by the engine (in its
// worker): src/core/health/placement.ts, re-exported here for the editor's parts.
import { SEVERITY_LEVELS, type Severity } from '../../core/health';
import { HEALTH_RULES_DOC_URL } from '../../core/health/rules';

export { diagnosticMessage, orphanOf, placements, projectFileOf, type Placement } from '../../core/health/placement';

/** Diagnostic `source` of every finding. */
export const DIAGNOSTIC_SOURCE = 'SDLC Lens';


/** The rule's explanation: an anchor of docs/health-rules.md, beside the rule table (`<a id="rule-missing_prd">`). */
export function ruleDocUrl(ruleId: string): string {
  return `${HEALTH_RULES_DOC_URL.replace(/#.*$/, '')}#rule-${ruleId.toLowerCase()}`;
}

/** The editor severity name of a finding severity (one mapping, in core's SEVERITY_LEVELS). */
export function editorSeverity(s: Severity): 'Error' | 'Warning' | 'Information' {
  return SEVERITY_LEVELS[s].editor;
}
