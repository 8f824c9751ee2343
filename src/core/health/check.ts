// The health check (health-check.md §1–§4): a pure function of one project's documents and "now".
// Findings come in rule order (rules.ts), and within a rule in document order (file_path).
import { LensError } from '../errors';
import { contextOf, type RuleContext } from './context';
import {
  isArchive,
  isBlank,
  isProjectLevel,
  isRecord,
  isReviewPath,
  MIN_CONTENT_LENGTH,
  refKey,
  STALE_AFTER_DAYS,
  timestampMs,
} from './docs';
import { HEALTH_RULES, RULE_IDS, SEVERITIES, SEVERITY_WEIGHTS, type HealthRule, type Severity } from './rules';
import type { AffectedDocumentAt, HealthDoc, HealthFinding, HealthReport, SeveritySummary } from './types';

export interface HealthInput {
  project_slug: string;
  documents: readonly HealthDoc[];
  /** "Now": a Date or an ISO timestamp. */
  now: Date | string;
  disabledRules?: readonly string[];
}

/**
 * The set of rule ids to skip. Ids are matched case-insensitively; blanks are ignored; an unknown id
 * is a VALIDATION_ERROR naming it and the known ids.
 */
export function resolveDisabledRules(ids: readonly string[] | undefined, location = 'disabledRules'): Set<string> {
  const out = new Set<string>();
  if (ids === undefined || ids === null) return out;
  if (!Array.isArray(ids)) throw new LensError('VALIDATION_ERROR', `${location}: must be a list of rule ids`);
  const unknown: string[] = [];
  for (const raw of ids) {
    if (typeof raw !== 'string') throw new LensError('VALIDATION_ERROR', `${location}: must be a list of rule ids`);
    const id = raw.trim().toUpperCase();
    if (id === '') continue;
    if (RULE_IDS.includes(id)) out.add(id);
    else unknown.push(raw.trim());
  }
  if (unknown.length) {
    throw new LensError(
      'VALIDATION_ERROR',
      `${location}: unknown rule id${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')} (known: ${RULE_IDS.join(', ')})`,
    );
  }
  return out;
}

/** §4: clamp(100 − Σ summary[s] × weight[s], 0, 100). */
export function healthScore(summary: SeveritySummary): number {
  let penalty = 0;
  for (const s of SEVERITIES) penalty += summary[s] * SEVERITY_WEIGHTS[s];
  return Math.max(0, Math.min(100, 100 - penalty));
}

const affected = (d: HealthDoc): AffectedDocumentAt => ({
  doc_id: d.doc_id,
  doc_type: d.doc_type,
  title: d.title,
  file_path: d.file_path,
});

/** How a message names a document. */
const nameOf = (d: HealthDoc): string => (d.title && d.title !== d.doc_id ? `${d.doc_id} "${d.title}"` : d.doc_id);

type Context = RuleContext;
type Evaluate = (ctx: Context, rule: HealthRule, nowMs: number) => HealthFinding[];

const finding = (rule: HealthRule, message: string, docs: HealthDoc[], fix: string = rule.fix): HealthFinding => ({
  rule_id: rule.id,
  severity: rule.severity,
  category: rule.category,
  message,
  affected_documents: docs.map(affected),
  suggested_fix: fix,
});

/** One finding per document that `test` selects. */
const perDoc =
  (select: (ctx: Context) => readonly HealthDoc[], test: (d: HealthDoc, ctx: Context) => boolean, message: (d: HealthDoc) => string, fix?: (d: HealthDoc) => string) =>
  (ctx: Context, rule: HealthRule): HealthFinding[] =>
    select(ctx)
      .filter((d) => test(d, ctx))
      .map((d) => finding(rule, message(d), [d], fix ? fix(d) : rule.fix));

const all = (ctx: Context): readonly HealthDoc[] => ctx.docs;
const storiesOf = (ctx: Context): readonly HealthDoc[] => ctx.stories;
const liveStory = (d: HealthDoc, ctx: Context): boolean => !isArchive(d) && ctx.activeStory(d);

const missingTypeRule =
  (type: string, file: string): Evaluate =>
  (ctx, rule) =>
    ctx.docs.length > 0 && !ctx.docs.some((d) => d.doc_type === type)
      ? [finding(rule, `The project has ${ctx.docs.length} documents but no ${type.toUpperCase()} (${file}).`, [])]
      : [];

const EVALUATORS: Record<string, Evaluate> = {
  MISSING_PRD: missingTypeRule('prd', 'PRD.md'),
  MISSING_TRD: missingTypeRule('trd', 'TRD.md'),

  MISSING_PLAN: (ctx, rule) => {
    const planned = ctx.refKeys(ctx.plans, 'story');
    return perDoc(storiesOf, (d) => liveStory(d, ctx) && !planned.has(ctx.key(d)), (d) => `Story ${nameOf(d)} is active but no plan references it.`,
      (d) => `Write a plan with "Story: ${ctx.key(d)}".`)(ctx, rule);
  },

  MISSING_TEST_SPEC: (ctx, rule) => {
    const specified = ctx.refKeys(ctx.testSpecs, 'story');
    const epicScoped = ctx.refKeys(ctx.testSpecs.filter((t) => !isBlank(t.epic) && isBlank(t.story)), 'epic');
    const covered = (d: HealthDoc): boolean => {
      if (specified.has(ctx.key(d))) return true;
      const epic = ctx.ref(d.epic);
      return epic !== null && epicScoped.has(epic);
    };
    return perDoc(storiesOf, (d) => liveStory(d, ctx) && !covered(d), (d) => `Story ${nameOf(d)} is active but no test spec covers it or its epic.`,
      (d) => `Write a test spec with "Story: ${ctx.key(d)}" (or one for its epic).`)(ctx, rule);
  },

  EPIC_NO_STORIES: (ctx, rule) => {
    const withStories = ctx.storiesByEpic();
    return perDoc((c) => c.epics, (d) => !isReviewPath(d) && !withStories.has(ctx.key(d)), (d) => `Epic ${nameOf(d)} has no stories.`,
      (d) => `Add stories with "Epic: ${ctx.key(d)}", or remove the epic.`)(ctx, rule);
  },

  STORY_NO_EPIC: perDoc(storiesOf, (d) => !isArchive(d) && isBlank(d.epic) && d.body_epic === null, (d) => `Story ${nameOf(d)} has no epic.`),

  PLAN_NO_STORY: perDoc((c) => c.plans, (d) => isBlank(d.story), (d) => `Plan ${nameOf(d)} names no story.`),

  TEST_SPEC_NO_STORY: perDoc((c) => c.testSpecs, (d) => isBlank(d.story) && isBlank(d.epic) && d.body_epic === null,
    (d) => `Test spec ${nameOf(d)} names no story and no epic.`),

  ORPHAN_REFERENCE: (ctx, rule) => {
    const out: HealthFinding[] = [];
    for (const d of ctx.docs) {
      if (isRecord(d)) continue;
      for (const field of ['epic', 'story'] as const) {
        const ref = ctx.ref(d[field]);
        if (ref !== null && !ctx.keys.has(ref)) {
          out.push(finding(rule, `${nameOf(d)} references ${field} ${ref}, which no document of the project has.`, [d],
            `Correct the ${field === 'epic' ? 'Epic' : 'Story'} field of ${d.doc_id}, or add ${ref}.`));
        }
      }
    }
    return out;
  },

  STATUS_MISMATCH: (ctx, rule) => {
    const out: HealthFinding[] = [];
    for (const epic of ctx.epics) {
      if (!ctx.terminal('epic', epic.status)) continue;
      const open = (ctx.storiesByEpic().get(ctx.key(epic)) ?? []).filter((s) => !ctx.terminal('story', s.status));
      if (open.length) {
        out.push(finding(rule, `Epic ${nameOf(epic)} is marked Done but ${open.length} of its stories ${open.length === 1 ? 'is' : 'are'} not finished.`,
          [epic, ...open], `Finish or close ${open.map((s) => s.doc_id).join(', ')}, or reopen ${epic.doc_id}.`));
      }
    }
    return out;
  },

  STALE_ARTEFACT_STATUS: (ctx, rule) => {
    const storyByKey = new Map<string, HealthDoc>();
    for (const s of ctx.stories) if (!isBlank(s.status)) storyByKey.set(ctx.key(s), s); // last one wins, as a dict
    return perDoc(all, (d) => {
      if (d.doc_type === 'story' || isRecord(d) || isBlank(d.story) || ctx.terminal(d.doc_type, d.status)) return false;
      const story = storyByKey.get(ctx.ref(d.story)!);
      return story !== undefined && ctx.terminal('story', story.status);
    }, (d) => `${nameOf(d)} is still ${d.status ?? 'without a status'} although its story ${refKey(d.story)} is finished.`)(ctx, rule);
  },

  UNTRIAGED_INBOX: perDoc(all, (d, ctx) => (d.doc_type === 'bug' || d.doc_type === 'cr' || d.doc_type === 'rfc') &&
    ctx.canonicalStatus(d.doc_type, d.status)?.toLowerCase() === 'inbox', (d) => `${nameOf(d)} is still in the inbox (untriaged).`),

  MISSING_STATUS: perDoc(all, (d) => !isProjectLevel(d) && !isRecord(d) && isBlank(d.status), (d) => `${nameOf(d)} has no status.`),

  MISSING_OWNER: perDoc(all, (d) => (d.doc_type === 'story' || d.doc_type === 'epic') && !isArchive(d) && !isReviewPath(d) && isBlank(d.owner),
    (d) => `${d.doc_type === 'epic' ? 'Epic' : 'Story'} ${nameOf(d)} has no owner.`),

  MISSING_PRIORITY: perDoc(storiesOf, (d, ctx) => liveStory(d, ctx) && isBlank(d.priority), (d) => `Story ${nameOf(d)} has no priority.`),

  MISSING_STORY_POINTS: perDoc(storiesOf, (d, ctx) => liveStory(d, ctx) && d.story_points === null, (d) => `Story ${nameOf(d)} has no story points.`),

  DUPLICATE_DOC_ID: (ctx, rule) => {
    const groups = new Map<string, HealthDoc[]>(); // insertion order = first occurrence in document order
    for (const d of ctx.docs) {
      const g = groups.get(d.doc_id);
      if (g) g.push(d);
      else groups.set(d.doc_id, [d]);
    }
    return [...groups.values()]
      .filter((g) => g.length > 1)
      .map((g) => finding(rule, `${g.length} documents share the doc_id ${g[0]!.doc_id}.`, g,
        `Rename all but one of: ${g.map((d) => d.file_path).join(', ')}.`));
  },

  EMPTY_CONTENT: perDoc(all, (d) => d.content_length < MIN_CONTENT_LENGTH,
    (d) => `${nameOf(d)} has ${d.content_length === 0 ? 'no content' : `only ${d.content_length} characters of content`} below its header.`),

  STALE_DOCUMENT: (ctx, rule, nowMs) => {
    const limit = nowMs - STALE_AFTER_DAYS * 86_400_000;
    return perDoc(all, (d) => ctx.timeMs(d.synced_at) < limit,
      (d) => `${nameOf(d)} has not changed for more than ${STALE_AFTER_DAYS} days (since ${d.synced_at.slice(0, 10)}).`)(ctx, rule);
  },
};

/** Runs every enabled rule in table order. Pure: same input, same output. */
export function runHealthCheck(input: HealthInput): HealthReport {
  const disabled = resolveDisabledRules(input.disabledRules);
  const nowMs = input.now instanceof Date ? input.now.getTime() : timestampMs(input.now);
  if (!Number.isFinite(nowMs)) throw new LensError('VALIDATION_ERROR', `now: not a valid timestamp: ${String(input.now)}`);
  const ctx = contextOf(input.documents);
  const findings: HealthFinding[] = [];
  for (const rule of HEALTH_RULES) {
    if (disabled.has(rule.id)) continue;
    for (const f of EVALUATORS[rule.id]!(ctx, rule, nowMs)) findings.push(f);
  }
  const summary: SeveritySummary = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) summary[f.severity as Severity]++;
  return {
    project_slug: input.project_slug,
    checked_at: new Date(nowMs).toISOString(),
    total_documents: ctx.docs.length,
    findings,
    summary,
    score: healthScore(summary),
  };
}
