// The shape of a real sdlc-studio folder, as measured on ../shared/corpus/lens (193 documents) and
// the shares seen in sdlc-studio's own folder (2,352 documents, 676 stories). One table, used by the
// generator; sizes are bytes of the whole file (median and p90 per type, clamped to min/max seen).
//
// Measured on the lens corpus (bytes, n / median / p90 / max):
//   stories 48 / 5,878 / 8,734 / 11,380    plans 36 / 7,089 / 13,275 / 17,521
//   test-specs 36 / 8,810 / 13,852 / 15,183 change-requests 22 / 2,442 / 4,000 / 7,019
//   bugs 16 / 1,546 / 4,775 / 5,016         epics 12 / 7,937 / 8,859 / 9,667
//   retros 8 / 4,446 / 6,597                reviews 4 / 7,105 / 16,114
//   rfcs 2 / 12,644                         personas 3 / 4,513;  workflows 1 / 2,503
//   prd 32,757  trd 41,344  tsd 26,739  personas.md 1,229
// Types the lens corpus lacks (issues, charters, handoffs, decisions) get sizes of their nearest kin.

export interface TypeProfile {
  folder: string;
  type: string;
  /** Id prefix; null = files are named without an id (decisions, personas). */
  prefix: string | null;
  /** Sequential ids carry a hyphen (CR-0003, RFC-0001). */
  hyphenSeq: boolean;
  /** Relative share of the non-singleton documents. */
  weight: number;
  median: number;
  p90: number;
  min: number;
  max: number;
  statuses: readonly string[];
  terminal: readonly string[];
  /** Template comment sdlc-studio writes above the title. */
  template: string;
  /** Record folders: files are named after other artefacts (documents.md §5.4). */
  record?: boolean;
}

const STORY = ['Proposed', 'Draft', 'Ready', 'Planned', 'In Progress', 'Review', 'Blocked', 'Done', "Won't Implement", 'Deferred', 'Superseded'];
const EPIC = ['Draft', 'Ready', 'Approved', 'In Progress', 'Done'];
const PLAN = ['Draft', 'In Progress', 'Complete', 'Superseded'];
const BUG = ['Open', 'In Progress', 'Fixed', 'Verified', 'Closed', "Won't Fix", 'Superseded', 'inbox'];
const CR = ['Proposed', 'Approved', 'In Progress', 'Complete', 'Rejected', 'Deferred', 'Superseded', 'Blocked', 'inbox'];
const RFC = ['Draft', 'In Review', 'Accepted', 'Superseded', 'Withdrawn'];
const TS = ['Draft', 'Ready', 'In Progress', 'Complete', 'Superseded'];
const WF = ['Created', 'Planning', 'Testing', 'Implementing', 'Verifying', 'Reviewing', 'Checking', 'Done', 'Paused', 'Superseded'];
const ISSUE = ['Open', 'Triaging', 'Triaged', 'Resolved', 'Closed', "Won't Fix", 'Superseded'];
const CHARTER = ['Queued', 'Spent', 'Withdrawn', 'Superseded'];

export const TYPES: readonly TypeProfile[] = [
  { folder: 'stories', type: 'story', prefix: 'US', hyphenSeq: false, weight: 29, median: 5878, p90: 8734, min: 1800, max: 11380, statuses: STORY, terminal: ['Done', "Won't Implement", 'Superseded'], template: 'Template: User Story' },
  { folder: 'plans', type: 'plan', prefix: 'PL', hyphenSeq: false, weight: 15, median: 7089, p90: 13275, min: 971, max: 17521, statuses: PLAN, terminal: ['Complete', 'Superseded'], template: 'Template: Implementation Plan' },
  { folder: 'test-specs', type: 'test-spec', prefix: 'TS', hyphenSeq: false, weight: 14, median: 8810, p90: 13852, min: 1271, max: 15183, statuses: TS, terminal: ['Complete', 'Superseded'], template: 'Template: Test Specification' },
  { folder: 'bugs', type: 'bug', prefix: 'BG', hyphenSeq: false, weight: 10, median: 1546, p90: 4775, min: 1062, max: 5016, statuses: BUG, terminal: ['Fixed', 'Verified', 'Closed', "Won't Fix", 'Superseded'], template: 'Template: Bug Report' },
  { folder: 'change-requests', type: 'cr', prefix: 'CR', hyphenSeq: true, weight: 9, median: 2442, p90: 4000, min: 1297, max: 7019, statuses: CR, terminal: ['Complete', 'Rejected', 'Superseded'], template: 'Template: Change Request' },
  { folder: 'epics', type: 'epic', prefix: 'EP', hyphenSeq: false, weight: 4, median: 7937, p90: 8859, min: 2737, max: 9667, statuses: EPIC, terminal: ['Done'], template: 'Template: Epic' },
  { folder: 'issues', type: 'issue', prefix: 'IS', hyphenSeq: false, weight: 4, median: 1546, p90: 4000, min: 900, max: 5016, statuses: ISSUE, terminal: ['Resolved', 'Closed', "Won't Fix", 'Superseded'], template: 'Template: Issue' },
  { folder: 'retros', type: 'retro', prefix: 'RETRO', hyphenSeq: false, weight: 2, median: 4446, p90: 6597, min: 2000, max: 6597, statuses: [], terminal: [], template: 'Template: Retrospective', record: true },
  { folder: 'reviews', type: 'review', prefix: 'RV', hyphenSeq: false, weight: 2, median: 7105, p90: 16114, min: 2000, max: 16114, statuses: [], terminal: [], template: 'Template: Review', record: true },
  { folder: 'decisions', type: 'decision', prefix: null, hyphenSeq: false, weight: 2, median: 2442, p90: 4446, min: 900, max: 6597, statuses: [], terminal: [], template: 'Template: Decision Record', record: true },
  { folder: 'handoffs', type: 'handoff', prefix: 'HO', hyphenSeq: false, weight: 2, median: 2503, p90: 4446, min: 900, max: 6597, statuses: [], terminal: [], template: 'Template: Run Handoff', record: true },
  { folder: 'rfcs', type: 'rfc', prefix: 'RFC', hyphenSeq: true, weight: 1.5, median: 12644, p90: 14000, min: 6000, max: 16000, statuses: RFC, terminal: ['Accepted', 'Superseded', 'Withdrawn'], template: 'Template: RFC' },
  { folder: 'workflows', type: 'workflow', prefix: 'WF', hyphenSeq: false, weight: 1.5, median: 2503, p90: 4000, min: 1500, max: 5000, statuses: WF, terminal: ['Done', 'Superseded'], template: 'Template: Workflow' },
  { folder: 'charters', type: 'charter', prefix: 'SC', hyphenSeq: false, weight: 1, median: 2442, p90: 4000, min: 900, max: 5016, statuses: CHARTER, terminal: ['Spent', 'Withdrawn', 'Superseded'], template: 'Template: Sprint Charter' },
  { folder: 'personas', type: 'persona', prefix: null, hyphenSeq: false, weight: 1, median: 4513, p90: 4658, min: 4000, max: 4700, statuses: [], terminal: [], template: 'role: persona', record: true },
];

/** Root singletons: stem and whole-file size (bytes), as in the lens corpus. */
export const SINGLETONS: readonly { stem: string; title: string; size: number }[] = [
  { stem: 'prd', title: 'Product Requirements Document', size: 32757 },
  { stem: 'trd', title: 'Technical Requirements Document', size: 41344 },
  { stem: 'tsd', title: 'Test Strategy Document', size: 26739 },
  { stem: 'personas', title: 'Personas', size: 1229 },
];

/** Share of a type's documents with the legacy sequential id (the rest get short-ULID ids). */
export const SEQUENTIAL_SHARE = 0.6;
/** Share of terminal documents moved to `<folder>/archive/`. */
export const ARCHIVE_SHARE = 0.12;
/** Share of documents that keep the template's HTML comment above the title. */
export const TEMPLATE_COMMENT_SHARE = 0.25;
