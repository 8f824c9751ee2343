// Statistics and the health check (health-check.md): the engine's entry points over a store, and the
// pure parts every adapter may reuse (rule table, report shapes).
import type { Store } from '../store/database';
import { resolveDisabledRules, runHealthCheck } from './check';
import { healthDocsOf } from './inputs';
import { readCounts, readProjectInfos } from './queries';
import { allStatsFrom, projectStatsFrom, type ProjectInfo } from './stats';
import type { AllStats, HealthCheckOptions, HealthReport, ProjectStats } from './types';

export * from './rules';
export type * from './types';
export { runHealthCheck, resolveDisabledRules, healthScore } from './check';
export type { HealthInput } from './check';
export { round1, completionPercentage, NULL_STATUS_KEY } from './stats';
export { healthDocFromContent, bodyLength, bodyEpic } from './docs';

/** §6.1 for a project the caller has already found (`id` is its row id). */
export function statsOfProject(store: Store, project: ProjectInfo): ProjectStats {
  return projectStatsFrom(project, readCounts(store, project.id));
}

/** §6.2: every project, in created_at order. Two queries whatever the number of projects. */
export function statsOfAll(store: Store): AllStats {
  return allStatsFrom(readProjectInfos(store), readCounts(store));
}

/**
 * The health check of one project. Options are validated first (a bad rule id is a VALIDATION_ERROR
 * even for an unknown project), then `projectId()` finds the project (NOT_FOUND). The rows are read
 * once per store change (inputs.ts); the rules run every time.
 */
export function checkProject(
  store: Store,
  slug: string,
  projectId: () => number,
  options: HealthCheckOptions = {},
): HealthReport {
  resolveDisabledRules(options.disabledRules);
  const id = projectId();
  return runHealthCheck({
    project_slug: slug,
    documents: healthDocsOf(store, id),
    now: options.now ?? new Date(),
    disabledRules: options.disabledRules,
  });
}
export { SEVERITY_LEVELS, DEFAULT_FAIL_ON, failsAt, githubAnnotations, textReport, locate } from './formats';
export type { ReportPlace, Located } from './formats';
export { toSarif, sarifRules, defaultPlace, SARIF_SCHEMA } from './sarif';
