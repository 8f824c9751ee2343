// The health check's rule table (health-check.md §3): the single definition of every rule's id,
// category, severity and texts. The engine, the API, the CLI's reports (text, SARIF, GitHub
// annotations) and the editor all read it from here.

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type RuleCategory = 'completeness' | 'consistency' | 'quality' | 'integrity';

/** §4 score weights per finding. */
export const SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = Object.freeze({ critical: 15, high: 5, medium: 2, low: 1 });

/** Where the rules are explained (docs/health-rules.md: an anchor `rule-<id>`, lower case, per rule). */
export const HEALTH_RULES_DOC_URL = 'https://github.com/sdlc-lens/sdlc-lens/blob/main/docs/health-rules.md#the-rules';

/** Label for every UI: the rules are the lens's own heuristic, not sdlc-studio's judgement (§ intro). */
export const HEALTH_CHECK_LABEL = "SDLC Lens health check (the lens's own heuristic, not sdlc-studio's judgement)";

export interface HealthRule {
  /** Stable id, e.g. `MISSING_PRD`. */
  readonly id: string;
  readonly category: RuleCategory;
  readonly severity: Severity;
  /** One line: what the rule finds. */
  readonly title: string;
  /** Why it matters and exactly when it fires. */
  readonly description: string;
  /** Generic remedy (findings carry a specific one). */
  readonly fix: string;
  /** What a finding points at: the project, or the documents listed in `affected_documents`. */
  readonly scope: 'project' | 'document';
}

const rule = (r: HealthRule): HealthRule => Object.freeze(r);

/** The 19 rules in evaluation order (§3). Findings are reported in this order. */
export const HEALTH_RULES: readonly HealthRule[] = Object.freeze([
  rule({
    id: 'MISSING_PRD', category: 'completeness', severity: 'critical', scope: 'project',
    title: 'The project has no PRD',
    description: 'A project with documents but no product requirements document (PRD.md) has nothing that states what is being built or why.',
    fix: 'Add PRD.md to the sdlc-studio folder.',
  }),
  rule({
    id: 'MISSING_TRD', category: 'completeness', severity: 'high', scope: 'project',
    title: 'The project has no TRD',
    description: 'A project with documents but no technical requirements document (TRD.md) has no recorded architecture or technical decisions.',
    fix: 'Add TRD.md to the sdlc-studio folder.',
  }),
  rule({
    id: 'MISSING_PLAN', category: 'completeness', severity: 'medium', scope: 'document',
    title: 'Active story without a plan',
    description: 'An active (not finished) story that no plan references through its Story field. Finished and archived (`_`) stories are exempt.',
    fix: 'Write an implementation plan whose Story field names the story.',
  }),
  rule({
    id: 'MISSING_TEST_SPEC', category: 'completeness', severity: 'medium', scope: 'document',
    title: 'Active story without a test spec',
    description: "An active story that no test spec references through its Story field, and whose epic has no epic-level test spec. Finished and archived stories are exempt.",
    fix: "Write a test spec whose Story field names the story, or one for the story's epic.",
  }),
  rule({
    id: 'EPIC_NO_STORIES', category: 'completeness', severity: 'high', scope: 'document',
    title: 'Epic without stories',
    description: 'An epic (any status, finished ones too) that no story names in its Epic field. Epics under reviews/ are exempt.',
    fix: 'Break the epic down into stories, or remove it if it is no longer planned.',
  }),
  rule({
    id: 'STORY_NO_EPIC', category: 'consistency', severity: 'high', scope: 'document',
    title: 'Story without an epic',
    description: 'A story (any status, not archived) with no Epic field and no **Epic:** line naming an epic in its body.',
    fix: "Set the story's Epic field to the epic it belongs to.",
  }),
  rule({
    id: 'PLAN_NO_STORY', category: 'consistency', severity: 'medium', scope: 'document',
    title: 'Plan without a story',
    description: 'A plan whose Story field is empty, so it cannot be traced to the work it implements.',
    fix: "Set the plan's Story field.",
  }),
  rule({
    id: 'TEST_SPEC_NO_STORY', category: 'consistency', severity: 'medium', scope: 'document',
    title: 'Test spec without a story or epic',
    description: 'A test spec with no Story field, no Epic field and no **Epic:** line in its body.',
    fix: "Set the test spec's Story (or Epic) field.",
  }),
  rule({
    id: 'ORPHAN_REFERENCE', category: 'consistency', severity: 'medium', scope: 'document',
    title: 'Reference to a document that does not exist',
    description: 'A document (records excepted) whose Epic or Story field names an id no document of the project has. Each field is reported separately.',
    fix: 'Correct the reference, or add the missing document.',
  }),
  rule({
    id: 'STATUS_MISMATCH', category: 'consistency', severity: 'low', scope: 'document',
    title: 'Finished epic with unfinished stories',
    description: 'An epic marked Done (or Complete) while at least one of its stories is not finished. The epic and each such story are listed.',
    fix: "Finish or close the remaining stories, or reopen the epic.",
  }),
  rule({
    id: 'STALE_ARTEFACT_STATUS', category: 'consistency', severity: 'low', scope: 'document',
    title: 'Artefact still open although its story is finished',
    description: 'A plan, test spec, bug or other non-record document that is not finished for its own type while the story it names is finished.',
    fix: "Update the document's status (e.g. Complete or Superseded).",
  }),
  rule({
    id: 'UNTRIAGED_INBOX', category: 'consistency', severity: 'low', scope: 'document',
    title: 'Untriaged bug, change request or RFC',
    description: 'A bug, change request or RFC still in the `inbox` triage status.',
    fix: 'Triage it: give it a lifecycle status.',
  }),
  rule({
    id: 'MISSING_STATUS', category: 'quality', severity: 'high', scope: 'document',
    title: 'Document without a status',
    description: 'A document with an empty Status field. Project-level documents (PRD, TRD, TSD, personas, brand guide) and records (retros, reviews, decisions, personas, handoffs) are exempt.',
    fix: 'Add a Status line to the header.',
  }),
  rule({
    id: 'MISSING_OWNER', category: 'quality', severity: 'medium', scope: 'document',
    title: 'Story or epic without an owner',
    description: 'A story or epic (not archived, not under reviews/) with an empty Owner field. `-` and `{{TBD}}` count as present.',
    fix: 'Add an Owner line to the header.',
  }),
  rule({
    id: 'MISSING_PRIORITY', category: 'quality', severity: 'low', scope: 'document',
    title: 'Active story without a priority',
    description: 'An active, non-archived story with an empty Priority field.',
    fix: 'Add a Priority line to the header.',
  }),
  rule({
    id: 'MISSING_STORY_POINTS', category: 'quality', severity: 'low', scope: 'document',
    title: 'Active story without story points',
    description: 'An active, non-archived story without a numeric Story Points field (a `Points` line does not count).',
    fix: 'Add a Story Points line to the header.',
  }),
  rule({
    id: 'DUPLICATE_DOC_ID', category: 'integrity', severity: 'critical', scope: 'document',
    title: 'Several documents share one doc_id',
    description: 'The same full file-name stem (doc_id) is used by more than one document, so links and the API cannot tell them apart.',
    fix: 'Rename all but one of the files.',
  }),
  rule({
    id: 'EMPTY_CONTENT', category: 'integrity', severity: 'high', scope: 'document',
    title: 'Document with (almost) no content',
    description: 'The body below the header block, trimmed, is shorter than 50 characters (a header-only stub).',
    fix: 'Write the document, or delete the stub.',
  }),
  rule({
    id: 'STALE_DOCUMENT', category: 'integrity', severity: 'low', scope: 'document',
    title: 'Document unchanged for 30+ days',
    description: 'The stored row was last (re)written more than 30 days ago, i.e. the file has not changed for 30+ days (it is not about when the project was last synced).',
    fix: 'Review the document and bring it up to date, or mark it finished.',
  }),
]);

export const RULE_IDS: readonly string[] = Object.freeze(HEALTH_RULES.map((r) => r.id));

const BY_ID = new Map(HEALTH_RULES.map((r) => [r.id, r]));

export function ruleById(id: string): HealthRule | undefined {
  return BY_ID.get(id);
}

/** Severity rank: critical 0 … low 3. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function isSeverity(s: unknown): s is Severity {
  return typeof s === 'string' && (SEVERITIES as readonly string[]).includes(s);
}
