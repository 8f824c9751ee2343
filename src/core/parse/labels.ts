// Type ordering and human labels (documents.md §7 tree order), derived from doctypes.ts.

import { DOC_TYPES, TYPE_LABELS } from './doctypes';

/** Sibling order of document types (§7, then the types this project adds); anything else sorts after. */
export const TYPE_ORDER: readonly string[] = Object.freeze(DOC_TYPES.map((d) => d.type));

const WORD_SPLIT_RE = /[-_\s]+/;
const RANK = new Map(TYPE_ORDER.map((t, i) => [t, i]));

/** Index in TYPE_ORDER; every unknown type ranks equal, after the known ones. */
export function typeRank(docType: string): number {
  return RANK.get(docType) ?? TYPE_ORDER.length;
}

/**
 * Human label of a type: singular by default (`Story`), plural when asked (`Stories`).
 * Singletons read the same either way. Unknown types are title-cased (`my-type` → `My Type`).
 */
export function typeLabel(docType: string, plural = false): string {
  const l = TYPE_LABELS.get(docType);
  if (l) return plural ? l[1] : l[0];
  if (typeof docType !== 'string' || docType.trim() === '') return 'Other';
  return docType
    .split(WORD_SPLIT_RE)
    .filter((w) => w !== '')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}
