// R14 GET /projects/{slug}/health-check (api.md §8). Optional `disabled_rules=RULE_A,RULE_B`
// (for this project): those rules are skipped in this run; an unknown id is a 422 before the slug
// lookup. The engine's affected documents also carry `file_path`; the API answers api.md's shape.
import { resolveDisabledRules } from '../../health';
import type { AffectedDocument, HealthReport } from '../../health';
import type { RequestContext, Route } from '../router';
import { lastValues } from '../schemas';

export const DISABLED_RULES_PARAM = 'disabled_rules';

/** `A,B` (commas and/or whitespace) → ids; validated against the rule table. */
export function parseDisabledRules(params: URLSearchParams): string[] {
  const raw = lastValues(params)[DISABLED_RULES_PARAM];
  if (raw === undefined) return [];
  const ids = raw.split(/[\s,]+/).filter((s) => s !== '');
  resolveDisabledRules(ids, `query.${DISABLED_RULES_PARAM}`);
  return ids;
}

/** api.md §8 shape: affected documents are `{doc_id, doc_type, title}`. */
export function toApiReport(report: HealthReport): HealthReport<AffectedDocument> {
  return {
    ...report,
    findings: report.findings.map((f) => ({
      ...f,
      affected_documents: f.affected_documents.map(({ doc_id, doc_type, title }) => ({ doc_id, doc_type, title })),
    })),
  };
}

async function healthCheck(ctx: RequestContext) {
  const disabledRules = parseDisabledRules(ctx.query);
  await ctx.engine.catchUp();
  return { status: 200, body: toApiReport(await ctx.engine.healthCheck(ctx.params.slug, { disabledRules })) };
}

export const healthRoutes: Route[] = [
  { method: 'GET', pattern: '/projects/:slug/health-check', body: 'none', handler: healthCheck },
];
