// One file → one document row (documents.md §4, §5.4, §4.6).

import { decodeText } from './decode';
import { findTitle, parseHeader } from './header';
import { idHead, normId, normRef, normRefList } from './ids';
import { classifyPath, fileStem } from './paths';
import { canonicalStatus } from './status';
import type { StatusVocab } from './config';

export interface ParsedDocument {
  docType: string;
  docId: string;
  /** `normId(idHead(docId))`; null for singletons and ids without a known prefix. */
  refId: string | null;
  title: string;
  status: string | null;
  owner: string | null;
  priority: string | null;
  storyPoints: number | null;
  epic: string | null;
  story: string | null;
  dependsOn: string[] | null;
  aliases: string[] | null;
  /** Every other header field (normalised key → string); null, not `{}`, when there are none. */
  metadata: Record<string, string> | null;
  content: string;
}

export type ParseResult = { ok: true; doc: ParsedDocument } | { ok: false; reason: 'invalid-utf8' };

/** Keys with a dedicated column; they never appear in `metadata`. */
const DEDICATED = new Set(['status', 'owner', 'priority', 'story_points', 'epic', 'story', 'depends_on', 'aliases']);
const INTEGER_RE = /^[+-]?[0-9]+$/;

/** Integer when the whole trimmed value is one (safe) integer, else null. */
export function parseStoryPoints(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const t = raw.trim();
  if (!INTEGER_RE.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) ? (Object.is(n, -0) ? 0 : n) : null;
}

function vocabFor(statusVocab: StatusVocab | null, docType: string): string[] | null {
  if (statusVocab === null || typeof statusVocab !== 'object') return null;
  if (!Object.prototype.hasOwnProperty.call(statusVocab, docType)) return null;
  const v = statusVocab[docType];
  return Array.isArray(v) ? v : null;
}

function classify(relPath: string): { docType: string; docId: string } {
  const c = classifyPath(relPath);
  if (c !== null) return c;
  // `_index.md` or an empty name: not a document, but parseDocument never throws.
  const name = typeof relPath === 'string' ? relPath.slice(relPath.lastIndexOf('/') + 1) : '';
  return { docType: 'other', docId: fileStem(name) };
}

/** Character offset in the text where line `n` starts (the lines were split on `\n`). */
function offsetOfLine(lines: readonly string[], n: number): number {
  let at = 0;
  for (let i = 0; i < n && i < lines.length; i++) at += lines[i]!.length + 1;
  return at;
}

function buildDocument(relPath: string, text: string, statusVocab: StatusVocab | null): ParsedDocument {
  const { docType, docId } = classify(relPath);
  const lines = text.split('\n');
  const { fields, bodyStart } = parseHeader(lines);
  const title = findTitle(lines);

  let storyPointsRaw = fields.get('story_points');
  if (storyPointsRaw === undefined && docType === 'story') storyPointsRaw = fields.get('points');
  const storyPoints = parseStoryPoints(storyPointsRaw);

  const meta: [string, string][] = [];
  for (const [k, v] of fields) if (!DEDICATED.has(k)) meta.push([k, v]);
  // (for this project) an unparsable `Story Points` keeps its raw text in metadata.
  const spText = fields.get('story_points')?.trim();
  if (storyPoints === null && spText) meta.push(['story_points', spText]);

  const statusRaw = fields.get('status');
  const head = idHead(docId);
  return {
    docType,
    docId,
    refId: head === null ? null : normId(head),
    title: title ? title : docId,
    status: statusRaw === undefined ? null : canonicalStatus(statusRaw, docType, vocabFor(statusVocab, docType)),
    owner: fields.get('owner') ?? null,
    priority: fields.get('priority') ?? null,
    storyPoints,
    epic: normRef(fields.get('epic')),
    story: normRef(fields.get('story')),
    dependsOn: normRefList(fields.get('depends_on')),
    aliases: normRefList(fields.get('aliases')),
    // fromEntries defines own properties, so a `__proto__` key stays plain data.
    metadata: meta.length > 0 ? Object.fromEntries(meta) : null,
    content: bodyStart === 0 ? text : text.slice(offsetOfLine(lines, bodyStart)),
  };
}

/**
 * Parse one file. `relPath` is `/`-separated relative to the sdlc-studio root; `statusVocab` is
 * the project's `status_vocab`. Never throws: invalid UTF-8 is the only failure.
 */
export function parseDocument(relPath: string, bytes: Uint8Array, statusVocab: StatusVocab | null): ParseResult {
  const text = decodeText(bytes);
  if (text === null) return { ok: false, reason: 'invalid-utf8' };
  return { ok: true, doc: buildDocument(relPath, text, statusVocab) };
}
