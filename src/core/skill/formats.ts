// sdlc-studio's findings in the CLI's outputs beside the lens's own (`check --with-skill`): text lines,
// GitHub workflow annotations and a second SARIF run whose tool is sdlc-studio. Pure.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SEVERITY_LEVELS, type ReportPlace } from '../health/formats';
import { severityRank, type Severity } from '../health/rules';
import { SARIF_BASE_ID } from '../health/sarif';
import type { SkillCheckReport, SkillFinding } from './checks';

/** A finding's path relative to the place's base (`/`-separated); absolute when outside it. */
function relPath(f: SkillFinding, place: ReportPlace): { path: string; inside: boolean } {
  const r = path.relative(place.baseDir, f.abs_path);
  const inside = r !== '' && !r.startsWith('..') && !path.isAbsolute(r);
  const p = (inside ? r : r === '' ? '.' : f.abs_path).split(path.sep).join('/');
  return { path: f.folder && !p.endsWith('/') ? `${p}/` : p, inside: inside || r === '' };
}

/** True when the report holds a finding at or above `failOn`. */
export function skillFailsAt(report: SkillCheckReport, failOn: Severity): boolean {
  return report.findings.some((f) => severityRank(f.severity) <= severityRank(failOn));
}

/** The one line saying why the checks did not (all) run; null when they did. */
export function skillProblem(report: SkillCheckReport): string | null {
  if (report.state === 'ok') return null;
  if (report.state === 'not-found') return `--with-skill: ${report.error ?? 'the sdlc-studio skill is not installed'}`;
  return `sdlc-studio checks unavailable: ${report.error ?? report.state}`;
}

/** The terminal section: a headline, then one line per finding (`path:line`). */
export function skillTextReport(report: SkillCheckReport, place: ReportPlace): string[] {
  const s = report.summary;
  const counts = report.checks.map((c) => `${c.name} ${c.status === 'ok' ? c.findings : c.status}`).join(', ');
  const lines = [
    `sdlc-studio${report.skill?.version ? ` ${report.skill.version}` : ''}: ${report.findings.length} findings (critical ${s.critical}, high ${s.high}, medium ${s.medium}, low ${s.low})${counts ? ` — ${counts}` : ''}`,
  ];
  const width = Math.max(0, ...report.findings.map((f) => f.check.length + f.code.length + 1));
  for (const f of report.findings) {
    const where = relPath(f, place).path;
    lines.push(`${f.severity.toUpperCase().padEnd(8)}  ${`${f.check}/${f.code}`.padEnd(width)}  ${where}${f.folder ? '' : `:${f.line + 1}`}  ${f.message}`);
  }
  return lines;
}

const ghData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const ghProp = (s: string): string => ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** `::error file=…,line=N,title=sdlc-studio validate/no-ac::message` per finding. */
export function skillGithubAnnotations(report: SkillCheckReport, place: ReportPlace): string[] {
  return report.findings.map((f) => {
    const props = f.folder ? [] : [`file=${ghProp(relPath(f, place).path)}`, `line=${f.line + 1}`];
    props.push(`title=${ghProp(`sdlc-studio ${f.check}/${f.code}`)}`);
    return `::${SEVERITY_LEVELS[f.severity].github} ${props.join(',')}::${ghData(f.message)}`;
  });
}

const encodePath = (p: string): string => p.split('/').map(encodeURIComponent).join('/');

/** A SARIF 2.1.0 run whose tool is sdlc-studio (rules = the codes found, `check/code`). */
export function skillSarifRun(report: SkillCheckReport, place: ReportPlace): object {
  const ruleIds = [...new Set(report.findings.map((f) => `${f.check}/${f.code}`))];
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  const results = report.findings.map((f) => {
    const at = relPath(f, place);
    const artifactLocation = at.inside ? { uri: encodePath(at.path === './' ? '' : at.path) || './', uriBaseId: SARIF_BASE_ID } : { uri: pathToFileURL(at.path).href };
    const id = `${f.check}/${f.code}`;
    return {
      ruleId: id,
      ruleIndex: index.get(id),
      level: SEVERITY_LEVELS[f.severity].sarif,
      message: { text: f.message },
      locations: [{ physicalLocation: f.folder ? { artifactLocation } : { artifactLocation, region: { startLine: f.line + 1, startColumn: f.start + 1, endColumn: Math.max(f.end, f.start) + 1 } } }],
      partialFingerprints: { 'sdlcStudioFinding/v1': createHash('sha256').update(`${id}\0${at.path}\0${f.id ?? ''}\0${f.message}`).digest('hex') },
      properties: { check: f.check, code: f.code, severity: f.severity, ...(f.skill_severity ? { skill_severity: f.skill_severity } : {}), ...(f.id ? { id: f.id } : {}) },
    };
  });
  const base = pathToFileURL(place.baseDir).href;
  const version = report.skill?.version ?? undefined;
  return {
    tool: {
      driver: {
        name: 'sdlc-studio',
        ...(version ? { version, semanticVersion: version } : {}),
        rules: ruleIds.map((id) => ({ id, name: id.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')), shortDescription: { text: id } })),
      },
    },
    originalUriBaseIds: { [SARIF_BASE_ID]: { uri: base.endsWith('/') ? base : `${base}/` } },
    automationDetails: { id: `sdlc-studio/checks/${report.project_slug}/` },
    invocations: report.checks.map((c) => ({
      executionSuccessful: c.status === 'ok',
      ...(c.exit_code !== null ? { exitCode: c.exit_code } : {}),
      commandLine: `${c.script} --format json`,
      ...(c.error ? { toolExecutionNotifications: [{ level: 'error', message: { text: c.error } }] } : {}),
    })),
    results,
    properties: { state: report.state, summary: report.summary },
  };
}
