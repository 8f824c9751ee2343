// Where findings point and how severities map onto other tools' levels; the text and GitHub
// workflow-annotation renderings of a report. Pure (paths are computed, never touched).
import * as path from 'node:path';
import { HEALTH_CHECK_LABEL, HEALTH_RULES, severityRank, SEVERITIES, type Severity } from './rules';
import type { AffectedDocumentAt, HealthFinding, HealthReport } from './types';

/**
 * One severity mapping for every output: SARIF `level`, GitHub annotation command and the editor's
 * Problems panel (`vscode.DiagnosticSeverity` by name; the extension maps the name, core never imports vscode).
 */
export const SEVERITY_LEVELS: Readonly<
  Record<Severity, { sarif: 'error' | 'warning' | 'note'; github: 'error' | 'warning' | 'notice'; editor: 'Error' | 'Warning' | 'Information' }>
> = Object.freeze({
  critical: { sarif: 'error', github: 'error', editor: 'Error' },
  high: { sarif: 'error', github: 'error', editor: 'Error' },
  medium: { sarif: 'warning', github: 'warning', editor: 'Warning' },
  low: { sarif: 'note', github: 'notice', editor: 'Information' },
});

/** `check --fail-on` default: fail on what GitHub shows as an error (critical and high). */
export const DEFAULT_FAIL_ON: Severity = 'high';

/** True when a finding at or above `failOn` exists. */
export function failsAt(report: HealthReport, failOn: Severity): boolean {
  return report.findings.some((f) => severityRank(f.severity) <= severityRank(failOn));
}

/** Where the project and its files are, to locate findings for other tools. */
export interface ReportPlace {
  /** Absolute path of the project's sdlc-studio folder. */
  sdlcPath: string;
  /** Paths in the output are relative to this folder (the repository / working directory). */
  baseDir: string;
  /** file_path (relative to sdlcPath) of the project's PRD, else its TRD, else null. */
  projectFile: string | null;
}

/** A location relative to `baseDir` (`/`-separated); `folder` when it names the sdlc-studio folder itself. */
export interface Located {
  relPath: string;
  folder: boolean;
  /** False when the file lies outside baseDir (relPath is then absolute). */
  inside: boolean;
}

function rel(place: ReportPlace, abs: string, folder: boolean): Located {
  const r = path.relative(place.baseDir, abs);
  const inside = r !== '' && !r.startsWith('..') && !path.isAbsolute(r);
  const p = (inside ? r : r === '' ? '.' : abs).split(path.sep).join('/');
  return { relPath: folder && !p.endsWith('/') ? `${p}/` : p, folder, inside: inside || r === '' };
}

/** The locations of a finding: one per affected document; project-level ones at the PRD/TRD, else the folder. */
export function locate(f: HealthFinding, place: ReportPlace): { doc: AffectedDocumentAt | null; at: Located }[] {
  if (f.affected_documents.length) {
    return f.affected_documents.map((d) => ({ doc: d, at: rel(place, path.join(place.sdlcPath, ...d.file_path.split('/')), false) }));
  }
  if (place.projectFile) return [{ doc: null, at: rel(place, path.join(place.sdlcPath, ...place.projectFile.split('/')), false) }];
  return [{ doc: null, at: rel(place, place.sdlcPath, true) }];
}

/** GitHub workflow commands: `%`, CR, LF escaped in data; also `:` and `,` in properties. */
const ghData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const ghProp = (s: string): string => ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** One `::error file=…,line=1,title=RULE::message` line per affected document (folder findings carry no file). */
export function githubAnnotations(report: HealthReport, place: ReportPlace): string[] {
  const lines: string[] = [];
  for (const f of report.findings) {
    const cmd = SEVERITY_LEVELS[f.severity].github;
    for (const { at } of locate(f, place)) {
      const props = at.folder ? [] : [`file=${ghProp(at.relPath)}`, 'line=1'];
      props.push(`title=${ghProp(f.rule_id)}`);
      lines.push(`::${cmd} ${props.join(',')}::${ghData(`${f.message} Fix: ${f.suggested_fix}`)}`);
    }
  }
  return lines;
}

/** The terminal report: a headline, the summary, then one line per finding. */
export function textReport(report: HealthReport, place: ReportPlace, disabled: readonly string[] = []): string[] {
  const s = report.summary;
  const lines = [
    `${report.project_slug}: score ${report.score}/100 — ${report.total_documents} documents, ${report.findings.length} findings ` +
      `(critical ${s.critical}, high ${s.high}, medium ${s.medium}, low ${s.low})`,
    `  ${HEALTH_CHECK_LABEL}${disabled.length ? `; disabled: ${disabled.join(', ')}` : ''}`,
  ];
  const width = Math.max(...HEALTH_RULES.map((r) => r.id.length));
  const sevWidth = Math.max(...SEVERITIES.map((x) => x.length));
  for (const f of report.findings) {
    const where = locate(f, place)
      .map(({ at }) => at.relPath)
      .join(', ');
    lines.push(`${f.severity.toUpperCase().padEnd(sevWidth)}  ${f.rule_id.padEnd(width)}  ${where}  ${f.message}`);
  }
  return lines;
}
