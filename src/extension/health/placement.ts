// Which file and which header field each health finding belongs to, and how the editor labels it.
// Pure (no vscode): diagnostics.ts turns these into Diagnostics, tests check them in plain Node.
import * as path from 'node:path';
import { locate, ruleById, SEVERITY_LEVELS, type HealthFinding, type HealthReport, type Severity } from '../../core/health';
import type { AffectedDocumentAt } from '../../core/health/types';

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

/** Header field whose line a rule's diagnostic covers; null = the title line (the field is missing). */
const RULE_FIELD: Readonly<Record<string, string>> = Object.freeze({
  STATUS_MISMATCH: 'Status',
  STALE_ARTEFACT_STATUS: 'Status',
  UNTRIAGED_INBOX: 'Status',
});

/** The field and id of an ORPHAN_REFERENCE finding (from its message: "… references story US0099, …"). */
export function orphanOf(f: Pick<HealthFinding, 'rule_id' | 'message'>): { field: 'Epic' | 'Story'; ref: string } | null {
  if (f.rule_id !== 'ORPHAN_REFERENCE') return null;
  const m = /references (epic|story) ([A-Za-z0-9-]+),/.exec(f.message);
  if (!m) return null;
  return { field: m[1] === 'epic' ? 'Epic' : 'Story', ref: m[2]! };
}

export interface Placement {
  /** Absolute path of the file (or, with `folder`, the sdlc-studio folder) the finding is shown on. */
  absPath: string;
  folder: boolean;
  finding: HealthFinding;
  /** The affected document at that path; null for a project-level finding. */
  doc: AffectedDocumentAt | null;
  /** Header field to highlight (null: the title line). */
  field: string | null;
}

/**
 * The project-level file: its PRD, else its TRD, else its first document (by path); null when it
 * has none (the finding then sits on the sdlc-studio folder).
 */
export function projectFileOf(docs: readonly { type: string; file_path: string }[]): string | null {
  const byPath = [...docs].sort((a, b) => (a.file_path < b.file_path ? -1 : a.file_path > b.file_path ? 1 : 0));
  return byPath.find((d) => d.type === 'prd')?.file_path ?? byPath.find((d) => d.type === 'trd')?.file_path ?? byPath[0]?.file_path ?? null;
}

/** Every place a report's findings are shown: one per affected document, one per project-level finding. */
export function placements(report: HealthReport, sdlcPath: string, projectFile: string | null): Placement[] {
  const out: Placement[] = [];
  for (const f of report.findings) {
    const field = orphanOf(f)?.field ?? RULE_FIELD[f.rule_id] ?? null;
    for (const { doc, at } of locate(f, { sdlcPath, baseDir: sdlcPath, projectFile })) {
      const absPath = at.folder ? sdlcPath : path.resolve(sdlcPath, ...at.relPath.split('/'));
      out.push({ absPath, folder: at.folder, finding: f, doc, field });
    }
  }
  return out;
}

/** The diagnostic's text: the finding's message and its specific fix. */
export function diagnosticMessage(f: HealthFinding): string {
  const title = ruleById(f.rule_id)?.title;
  return `${f.message}${f.suggested_fix ? ` Fix: ${f.suggested_fix}` : ''}${title ? ` (${title})` : ''}`;
}
