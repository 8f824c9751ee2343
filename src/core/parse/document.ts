// One file → one document row (documents.md §4, §5.4, §4.6).

import { isUtf8 } from 'node:buffer';
import { decodeText, encodedSuffix, hasBom } from './decode';
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

/** What a sync stores of a document besides its text (which it binds as the file's bytes). */
export type StoredDocument = Omit<ParsedDocument, 'content'>;

export type StoreParseResult = { ok: true; doc: StoredDocument; contentBytes: Uint8Array } | { ok: false; reason: 'invalid-utf8' };

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

/** Every field of a document but its text, from its header fields and title (§4.3-§4.6, §5.4). */
function documentFields(relPath: string, fields: Map<string, string>, title: string | null, statusVocab: StatusVocab | null): StoredDocument {
  const { docType, docId } = classify(relPath);

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
  };
}

function buildDocument(relPath: string, text: string, statusVocab: StatusVocab | null): ParsedDocument {
  const lines = text.split('\n');
  const { fields, bodyStart } = parseHeader(lines);
  const doc = documentFields(relPath, fields, findTitle(lines), statusVocab) as ParsedDocument;
  doc.content = bodyStart === 0 ? text : text.slice(offsetOfLine(lines, bodyStart));
  return doc;
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

/** Bytes of a file's head decoded first by parseForStore (grown ×4 while the head runs past them). */
export const HEAD_BYTES = 1024;
const NL = 0x0a;
const TITLE_LINE = Buffer.from('\n# ');

/**
 * parseDocument for a sync: the same fields, and the text as the UTF-8 bytes the sync stores (what
 * encodedSuffix gives for parseDocument's text), without decoding and splitting the whole file when
 * its head decides everything: the head (`headBytes`, cut after a whole line) is decoded and parsed
 * alone when a header block with at least one field ends within it, before its last line; the title
 * is then the head's first `# ` line, or the first one found in the bytes after it. Anything else (no
 * header fields, so the fallback scan decides; a `\r` anywhere, which decodeText rewrites) takes
 * parseDocument's own path. The bench's 10k corpus (56 MiB): 178-200 → 92-94 ms, 98.8 % of the files
 * decided by their head (test/unit/parse/storeParse.test.ts: equal on arbitrary texts and head sizes).
 */
export function parseForStore(relPath: string, bytes: Uint8Array, statusVocab: StatusVocab | null, headBytes = HEAD_BYTES): StoreParseResult {
  if (!isUtf8(bytes)) return { ok: false, reason: 'invalid-utf8' };
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.indexOf(0x0d) === -1) {
    const start = hasBom(buf) ? 3 : 0;
    for (let size = Math.max(1, headBytes); start + size < buf.length; size *= 4) {
      const cut = buf.lastIndexOf(NL, start + size);
      if (cut < start) continue; // no whole line yet
      const head = fromHead(relPath, buf, start, cut, statusVocab);
      if (head) return head;
    }
  }
  const parsed = parseDocument(relPath, bytes, statusVocab);
  if (!parsed.ok) return parsed;
  const { content, ...doc } = parsed.doc;
  return { ok: true, doc, contentBytes: encodedSuffix(bytes, content) };
}

/** The document from the lines before byte `cut` (a newline) alone, or null when they do not decide it. */
function fromHead(relPath: string, buf: Buffer, start: number, cut: number, statusVocab: StatusVocab | null): StoreParseResult | null {
  const lines = buf.toString('utf8', start, cut).split('\n');
  // Decided when a header block with fields ends within the head: the prelude above it ended there
  // too (a comment still open, or a frontmatter whose closing fence lies further on, leave no header
  // block in the head: the fallback scan then decides, and so does the whole file).
  const { fields, bodyStart, fallback } = parseHeader(lines);
  if (fallback || bodyStart >= lines.length) return null;
  let title = findTitle(lines);
  if (title === null) {
    const at = buf.indexOf(TITLE_LINE, cut);
    if (at !== -1) {
      const end = buf.indexOf(NL, at + 1);
      title = buf.toString('utf8', at + 3, end === -1 ? buf.length : end).trim();
    }
  }
  let body = start;
  for (let i = 0; i < bodyStart; i++) body = buf.indexOf(NL, body) + 1;
  return { ok: true, doc: documentFields(relPath, fields, title, statusVocab), contentBytes: buf.subarray(body) };
}
