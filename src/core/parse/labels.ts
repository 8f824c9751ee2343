// Type ordering and human labels (documents.md §7 tree order).

/** Sibling order of document types; anything else sorts after. */
export const TYPE_ORDER: readonly string[] = Object.freeze([
  'prd', 'trd', 'tsd', 'epic', 'story', 'plan', 'test-spec', 'bug', 'cr', 'rfc', 'retro', 'review',
  'decision', 'pvd', 'persona', 'workflow',
]);

const WORD_SPLIT_RE = /[-_\s]+/;
const RANK = new Map(TYPE_ORDER.map((t, i) => [t, i]));

/** Index in TYPE_ORDER; every unknown type ranks equal, after the known ones. */
export function typeRank(docType: string): number {
  return RANK.get(docType) ?? TYPE_ORDER.length;
}

/** [singular, plural] */
const LABELS: ReadonlyMap<string, readonly [string, string]> = new Map([
  ['prd', ['PRD', 'PRD']],
  ['trd', ['TRD', 'TRD']],
  ['tsd', ['TSD', 'TSD']],
  ['pvd', ['PVD', 'PVD']],
  ['epic', ['Epic', 'Epics']],
  ['story', ['Story', 'Stories']],
  ['plan', ['Plan', 'Plans']],
  ['test-spec', ['Test Spec', 'Test Specs']],
  ['bug', ['Bug', 'Bugs']],
  ['cr', ['Change Request', 'Change Requests']],
  ['rfc', ['RFC', 'RFCs']],
  ['retro', ['Retro', 'Retros']],
  ['review', ['Review', 'Reviews']],
  ['decision', ['Decision', 'Decisions']],
  ['persona', ['Persona', 'Personas']],
  ['workflow', ['Workflow', 'Workflows']],
  ['brand-guide', ['Brand Guide', 'Brand Guide']],
  ['constitution', ['Constitution', 'Constitution']],
  // Root singletons whose natural name collides with a folder type's plural.
  ['personas', ['Personas Overview', 'Personas Overview']],
  ['decisions', ['Decision Log', 'Decision Log']],
  ['other', ['Other', 'Other']],
]);

/**
 * Human label of a type: singular by default (`Story`), plural when asked (`Stories`).
 * Singletons read the same either way. Unknown types are title-cased (`my-type` → `My Type`).
 */
export function typeLabel(docType: string, plural = false): string {
  const l = LABELS.get(docType);
  if (l) return plural ? l[1] : l[0];
  if (typeof docType !== 'string' || docType.trim() === '') return 'Other';
  return docType
    .split(WORD_SPLIT_RE)
    .filter((w) => w !== '')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}
