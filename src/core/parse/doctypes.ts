// The document types: one definition of each type's folder, id prefix, labels and status
// vocabulary (documents.md §1, §5.1, §6.1, §7). Every other list of types is derived from this table.

export interface DocTypeDef {
  /** Stored `doc_type`. */
  readonly type: string;
  /** §1 type folder directly under `sdlc-studio/` (exact, case-sensitive name). */
  readonly folder?: string;
  /** §5.1 id prefix (uppercase). */
  readonly prefix?: string;
  /** [singular, plural] human labels. */
  readonly labels: readonly [string, string];
  /** §6.1 vocabulary in lifecycle order; absent for types without a lifecycle. */
  readonly vocab?: readonly string[];
  /** §6.1 terminal states (only with `vocab`). */
  readonly terminal?: readonly string[];
  /**
   * §5.4 (for this project): files in this folder are records *about* other artefacts and are named
   * after them, so the folder's type wins over an id prefix in the file name.
   */
  readonly recordFolder?: boolean;
  /** §1 root singleton (matched on the lowercased file stem at any depth; doc_id = type). */
  readonly singleton?: boolean;
}

/** Every known type, in tree display order (§7 order, then the types this project adds). */
export const DOC_TYPES: readonly DocTypeDef[] = Object.freeze([
  { type: 'prd', labels: ['PRD', 'PRD'], singleton: true },
  { type: 'trd', labels: ['TRD', 'TRD'], singleton: true },
  { type: 'tsd', labels: ['TSD', 'TSD'], singleton: true },
  {
    type: 'epic', folder: 'epics', prefix: 'EP', labels: ['Epic', 'Epics'],
    vocab: ['Draft', 'Ready', 'Approved', 'In Progress', 'Done'], terminal: ['Done'],
  },
  {
    type: 'story', folder: 'stories', prefix: 'US', labels: ['Story', 'Stories'],
    vocab: ['Proposed', 'Draft', 'Ready', 'Planned', 'In Progress', 'Review', 'Blocked', 'Done', "Won't Implement", 'Deferred', 'Superseded'],
    terminal: ['Done', "Won't Implement", 'Superseded'],
  },
  {
    type: 'plan', folder: 'plans', prefix: 'PL', labels: ['Plan', 'Plans'],
    vocab: ['Draft', 'In Progress', 'Complete', 'Superseded'], terminal: ['Complete', 'Superseded'],
  },
  {
    type: 'test-spec', folder: 'test-specs', prefix: 'TS', labels: ['Test Spec', 'Test Specs'],
    vocab: ['Draft', 'Ready', 'In Progress', 'Complete', 'Superseded'], terminal: ['Complete', 'Superseded'],
  },
  {
    type: 'bug', folder: 'bugs', prefix: 'BG', labels: ['Bug', 'Bugs'],
    vocab: ['Open', 'In Progress', 'Fixed', 'Verified', 'Closed', "Won't Fix", 'Superseded'],
    terminal: ['Fixed', 'Verified', 'Closed', "Won't Fix", 'Superseded'],
  },
  {
    type: 'cr', folder: 'change-requests', prefix: 'CR', labels: ['Change Request', 'Change Requests'],
    vocab: ['Proposed', 'Approved', 'In Progress', 'Complete', 'Rejected', 'Deferred', 'Superseded', 'Blocked'],
    terminal: ['Complete', 'Rejected', 'Superseded'],
  },
  {
    type: 'rfc', folder: 'rfcs', prefix: 'RFC', labels: ['RFC', 'RFCs'],
    vocab: ['Draft', 'In Review', 'Accepted', 'Superseded', 'Withdrawn'], terminal: ['Accepted', 'Superseded', 'Withdrawn'],
  },
  { type: 'retro', folder: 'retros', prefix: 'RETRO', labels: ['Retro', 'Retros'], recordFolder: true },
  { type: 'review', folder: 'reviews', prefix: 'RV', labels: ['Review', 'Reviews'], recordFolder: true },
  { type: 'decision', folder: 'decisions', labels: ['Decision', 'Decisions'], recordFolder: true },
  { type: 'pvd', folder: 'product', labels: ['PVD', 'PVD'], singleton: true },
  { type: 'persona', folder: 'personas', labels: ['Persona', 'Personas'], recordFolder: true },
  {
    type: 'workflow', folder: 'workflows', prefix: 'WF', labels: ['Workflow', 'Workflows'],
    vocab: ['Created', 'Planning', 'Testing', 'Implementing', 'Verifying', 'Reviewing', 'Checking', 'Done', 'Paused', 'Superseded'],
    terminal: ['Done', 'Superseded'],
  },
  // (for this project) §1/§5.1: the skill's issues, charters and run handoffs.
  {
    type: 'issue', folder: 'issues', prefix: 'IS', labels: ['Issue', 'Issues'],
    vocab: ['Open', 'Triaging', 'Triaged', 'Resolved', 'Closed', "Won't Fix", 'Superseded'],
    terminal: ['Resolved', 'Closed', "Won't Fix", 'Superseded'],
  },
  {
    type: 'charter', folder: 'charters', prefix: 'SC', labels: ['Charter', 'Charters'],
    vocab: ['Queued', 'Spent', 'Withdrawn', 'Superseded'], terminal: ['Spent', 'Withdrawn', 'Superseded'],
  },
  // A handoff is a record: no lifecycle, exempt from the status rules like `retro`.
  { type: 'handoff', folder: 'handoffs', prefix: 'HO', labels: ['Handoff', 'Handoffs'], recordFolder: true },
] satisfies DocTypeDef[]);

/**
 * Point-in-time record types, exempt from lifecycle rules (health-check.md §2 "record type", plus
 * `handoff`, documents.md §5.1). Not the same list as the §5.4 record folders.
 */
export const RECORD_TYPES: ReadonlySet<string> = new Set(['retro', 'review', 'decision', 'persona', 'personas', 'pvd', 'handoff']);

/** §1 root singletons besides the types above (type = doc_id = lowercased stem). */
const EXTRA_SINGLETONS: readonly (readonly [string, readonly [string, string]])[] = [
  ['personas', ['Personas Overview', 'Personas Overview']],
  ['decisions', ['Decision Log', 'Decision Log']],
  ['constitution', ['Constitution', 'Constitution']],
  ['brand-guide', ['Brand Guide', 'Brand Guide']],
];

/** §1 type folders → type. */
export const FOLDER_TYPES: ReadonlyMap<string, string> = new Map(
  DOC_TYPES.filter((d) => d.folder !== undefined).map((d) => [d.folder!, d.type]),
);

/** §5.4 record folders: their type beats an id prefix in the file name. */
export const RECORD_FOLDERS: ReadonlySet<string> = new Set(DOC_TYPES.filter((d) => d.recordFolder).map((d) => d.folder!));

/** §1 root singletons, matched on the lowercased stem at any depth; type = doc_id = stem. */
export const SINGLETON_STEMS: ReadonlySet<string> = new Set([
  ...DOC_TYPES.filter((d) => d.singleton).map((d) => d.type),
  ...EXTRA_SINGLETONS.map(([t]) => t),
]);

/** §5.1 prefix → type. */
export const PREFIX_TYPES: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(DOC_TYPES.filter((d) => d.prefix !== undefined).map((d) => [d.prefix!, d.type])),
);

/** §6.1 per-type vocabulary, lifecycle order. */
export const STATUS_VOCAB: Readonly<Record<string, readonly string[]>> = Object.freeze(
  Object.fromEntries(DOC_TYPES.filter((d) => d.vocab !== undefined).map((d) => [d.type, d.vocab!])),
);

/** §6.1 terminal states per type. */
export const TERMINAL_STATUS: Readonly<Record<string, readonly string[]>> = Object.freeze(
  Object.fromEntries(DOC_TYPES.filter((d) => d.terminal !== undefined).map((d) => [d.type, d.terminal!])),
);

/** [singular, plural] label per known type, singletons and `other` included. */
export const TYPE_LABELS: ReadonlyMap<string, readonly [string, string]> = new Map([
  ...DOC_TYPES.map((d) => [d.type, d.labels] as const),
  ...EXTRA_SINGLETONS,
  ['other', ['Other', 'Other']] as const,
]);
