// A health report as SARIF 2.1.0 for code-scanning tools (GitHub code scanning and others): the rule
// table as tool.driver.rules, one result per affected document located at its file.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SEVERITY_LEVELS, locate, type ReportPlace } from './formats';
import { HEALTH_CHECK_LABEL, HEALTH_RULES, HEALTH_RULES_DOC_URL } from './rules';
import type { HealthReport } from './types';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_BASE_ID = '%SRCROOT%';

/** `stories/US 1.md` → `stories/US%201.md` (a valid URI reference; `/` kept). */
const encodePath = (p: string): string => p.split('/').map(encodeURIComponent).join('/');

/** `MISSING_PRD` → `MissingPrd` (SARIF's rule `name`). */
const pascal = (id: string): string =>
  id
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

export function sarifRules(): object[] {
  return HEALTH_RULES.map((r) => ({
    id: r.id,
    name: pascal(r.id),
    shortDescription: { text: r.title },
    fullDescription: { text: r.description },
    help: {
      text: `${r.description} Fix: ${r.fix} (${HEALTH_CHECK_LABEL}.)`,
      markdown: `${r.description}\n\n**Fix:** ${r.fix}\n\n_${HEALTH_CHECK_LABEL}._`,
    },
    defaultConfiguration: { level: SEVERITY_LEVELS[r.severity].sarif },
    properties: { category: r.category, severity: r.severity, tags: ['sdlc', r.category] },
  }));
}

/** The SARIF log of one report. `version` is the tool's version. */
export function toSarif(report: HealthReport, place: ReportPlace, version: string): object {
  const ruleIndex = new Map(HEALTH_RULES.map((r, i) => [r.id, i]));
  const results: object[] = [];
  for (const f of report.findings) {
    for (const { doc, at } of locate(f, place)) {
      const artifactLocation = at.inside
        ? { uri: encodePath(at.relPath === './' ? '' : at.relPath) || './', uriBaseId: SARIF_BASE_ID }
        : { uri: pathToFileURL(at.relPath).href }; // outside the base: an absolute file URI
      const fingerprint = createHash('sha256').update(`${f.rule_id}\0${at.relPath}\0${doc?.doc_id ?? ''}`).digest('hex');
      results.push({
        ruleId: f.rule_id,
        ruleIndex: ruleIndex.get(f.rule_id),
        level: SEVERITY_LEVELS[f.severity].sarif,
        message: { text: `${f.message} Fix: ${f.suggested_fix}` },
        locations: [{ physicalLocation: at.folder ? { artifactLocation } : { artifactLocation, region: { startLine: 1 } } }],
        partialFingerprints: { 'sdlcLensFinding/v1': fingerprint },
        properties: { severity: f.severity, category: f.category, ...(doc ? { doc_id: doc.doc_id, doc_type: doc.doc_type } : {}) },
      });
    }
  }
  const base = pathToFileURL(place.baseDir).href;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'SDLC Lens', semanticVersion: version, version, informationUri: HEALTH_RULES_DOC_URL, rules: sarifRules() } },
        originalUriBaseIds: { [SARIF_BASE_ID]: { uri: base.endsWith('/') ? base : `${base}/` } },
        automationDetails: { id: `sdlc-lens/health-check/${report.project_slug}/` },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.checked_at }],
        results,
        properties: { project_slug: report.project_slug, score: report.score, summary: report.summary, total_documents: report.total_documents },
      },
    ],
  };
}

/** For callers that only know the folder: the working directory as base. */
export function defaultPlace(sdlcPath: string, projectFile: string | null, baseDir = process.cwd()): ReportPlace {
  return { sdlcPath: path.resolve(sdlcPath), baseDir: path.resolve(baseDir), projectFile };
}
