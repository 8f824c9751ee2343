// Locating and reading the blockquote metadata header (documents.md §4.2, §4.3).

import { skipComment, skipPrelude, startsComment } from './prelude';

/** `> **Key:** value` (colon inside, outside or absent). Value is trimmed by the caller. */
const KV_RE = /^>\s+\*\*(.+?)\*\*:?(.*)$/s;
/** `**Key:** value` without the quote marker (inline segments and the fallback scan). */
const PLAIN_KV_RE = /^\*\*(.+?)\*\*:?(.*)$/s;
const WS_RUN_RE = /\s+/g;
const TRAILING_COLONS_RE = /:+$/;
const CONTINUATION_PREFIX_RE = /^>\s?/;

/**
 * Where a field's value sits (the status writer edits exactly the text the parser read): the line
 * index, and the value's trimmed extent on that line in UTF-16 units `[start, end)`.
 */
export interface FieldSpan {
  line: number;
  start: number;
  end: number;
  /** The value also takes continuation lines below `line` (documents.md §4.3). */
  continued: boolean;
  /** Found by the fallback scan (no `>` header block holds a key), not in the header block. */
  fallback: boolean;
}

/** Field spans by normalised key: the occurrence the parser's value comes from (last one wins). */
export type FieldSpans = Map<string, FieldSpan>;

export interface HeaderResult {
  /** Header fields by normalised key, in first-seen order; a repeated key keeps its last value. */
  fields: Map<string, string>;
  /** Index of the first body line: the line after the header block, or 0 when there is none. */
  bodyStart: number;
  /** Whether the fields come from the §4.3 fallback scan (no header block, or one without fields). */
  fallback: boolean;
}

/** trim → drop trailing `:` → whitespace runs become `_` → lowercase. '' when nothing is left. */
export function normaliseKey(raw: string): string {
  return raw.trim().replace(TRAILING_COLONS_RE, '').trim().replace(WS_RUN_RE, '_').toLowerCase();
}

function isHeaderLine(line: string): boolean {
  const t = line.trimStart();
  return t.startsWith('>') && !t.startsWith('>>');
}

/**
 * Where the header block starts: the first `>` (not `>>`) line, accepted only when every line
 * above it is prelude — blank, a `#` heading, an HTML comment or the leading frontmatter (§4.2, for
 * this project). -1 when there is no header.
 */
function findHeaderStart(lines: readonly string[]): number {
  const i = skipPrelude(lines);
  return i < lines.length && isHeaderLine(lines[i]!) ? i : -1;
}

function isWs(ch: string): boolean {
  return ch.trim() === '';
}

/**
 * Split a header value wherever `·` or `|` (optional surrounding whitespace) is immediately
 * followed by `**`. Linear scan (a regex split backtracks quadratically on long blank runs).
 */
export function splitInline(value: string, starts?: number[]): string[] {
  let parts: string[] | null = null;
  starts?.push(0);
  let segStart = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch !== '·' && ch !== '|') continue;
    let j = i + 1;
    while (j < value.length && isWs(value[j]!)) j++;
    if (value[j] !== '*' || value[j + 1] !== '*') continue;
    let k = i;
    while (k > segStart && isWs(value[k - 1]!)) k--;
    (parts ??= []).push(value.slice(segStart, k));
    segStart = j;
    starts?.push(j);
    i = j - 1;
  }
  if (parts === null) return [value];
  parts.push(value.slice(segStart));
  return parts;
}

/** The trimmed extent of `text` (found at `offset` on its line) as a span. */
function spanOf(line: number, offset: number, text: string, fallback: boolean): FieldSpan {
  const start = offset + (text.length - text.trimStart().length);
  return { line, start, end: start + text.trim().length, continued: false, fallback };
}

/** Where a field's spans are recorded: the line being read and the raw value's offset on it. */
interface SpanSink {
  spans: FieldSpans;
  line: number;
  /** Offset of `rawValue` on the line. */
  offset: number;
}

/** Set a field from a `> **Key:** value` match; returns the normalised key, or '' if none. */
function setKeyValue(fields: Map<string, string>, rawKey: string, rawValue: string, sink?: SpanSink): string {
  const key = normaliseKey(rawKey);
  if (key === '') return '';
  const trimmed = rawValue.trim();
  const starts: number[] | undefined = sink ? [] : undefined;
  const parts = splitInline(trimmed, starts);
  fields.set(key, parts[0]!.trim());
  const base = sink ? sink.offset + (rawValue.length - rawValue.trimStart().length) : 0;
  if (sink) sink.spans.set(key, spanOf(sink.line, base, parts[0]!, false));
  for (let p = 1; p < parts.length; p++) {
    const seg = parts[p]!;
    const t = seg.trim();
    const m = PLAIN_KV_RE.exec(t);
    if (!m) continue;
    const k = normaliseKey(m[1]!);
    if (k === '') continue;
    fields.set(k, m[2]!.trim());
    if (sink) {
      const tOffset = base + starts![p]! + (seg.length - seg.trimStart().length);
      sink.spans.set(k, spanOf(sink.line, tOffset + t.length - m[2]!.length, m[2]!, false));
    }
  }
  return key;
}

function parseBlock(block: readonly string[], fields: Map<string, string>, spans?: FieldSpans, first = 0): void {
  const matches = block.map((line) => {
    const m = KV_RE.exec(line);
    return m !== null && normaliseKey(m[1]!) !== '' ? m : null;
  });
  let currentKey: string | null = null;
  let i = 0;
  while (i < block.length) {
    const m = matches[i];
    if (m) {
      const sink = spans && { spans, line: first + i, offset: block[i]!.length - m[2]!.length };
      currentKey = setKeyValue(fields, m[1]!, m[2]!, sink);
      i++;
      continue;
    }
    // A run of non-key lines: continuation when ≥ 2 lines long or it reaches the end of the block;
    // a single line sandwiched between key lines is malformed and ignored.
    const runStart = i;
    while (i < block.length && !matches[i]) i++;
    const continues = i - runStart > 1 || i >= block.length;
    if (!continues || currentKey === null) continue;
    for (let j = runStart; j < i; j++) {
      const text = block[j]!.trimStart().replace(CONTINUATION_PREFIX_RE, '').trim();
      if (text === '') continue;
      const existing = fields.get(currentKey) ?? '';
      fields.set(currentKey, existing === '' ? text : `${existing} ${text}`);
      const span = spans?.get(currentKey);
      if (span) span.continued = true;
    }
  }
}

/**
 * §4.3 fallback: leading `**Key:** value` lines, skipping blanks, `#` lines, `---` and (for this
 * project) HTML comments; stops at the first other line.
 */
function fallbackScan(lines: readonly string[], fields: Map<string, string>, spans?: FieldSpans): void {
  let i = 0;
  while (i < lines.length) {
    const t = lines[i]!.trim();
    if (t === '' || t.startsWith('#') || t === '---') {
      i++;
      continue;
    }
    if (startsComment(t)) {
      i = skipComment(lines, i);
      if (i === -1) return;
      continue;
    }
    const m = PLAIN_KV_RE.exec(t);
    if (!m) return;
    const key = normaliseKey(m[1]!);
    if (key === '') return;
    fields.set(key, m[2]!.trim());
    if (spans) {
      const line = lines[i]!;
      const tOffset = line.length - line.trimStart().length;
      spans.set(key, spanOf(i, tOffset + t.length - m[2]!.length, m[2]!, true));
    }
    i++;
  }
}

/**
 * Read the metadata header of a document's lines (already decoded and LF-normalised). With `spans`,
 * also records where each field's value sits (for the status writer; the parser alone passes none).
 */
export function parseHeader(lines: readonly string[], spans?: FieldSpans): HeaderResult {
  const fields = new Map<string, string>();
  let bodyStart = 0;
  const start = findHeaderStart(lines);
  if (start !== -1) {
    let end = start;
    while (end < lines.length && isHeaderLine(lines[end]!)) end++;
    bodyStart = end;
    parseBlock(lines.slice(start, end), fields, spans, start);
  }
  const fallback = fields.size === 0;
  if (fallback) {
    spans?.clear();
    fallbackScan(lines, fields, spans);
  }
  return { fields, bodyStart, fallback };
}

/** Index of the header block's first line, or -1 when the document has none (§4.2). */
export function headerStart(lines: readonly string[]): number {
  return findHeaderStart(lines);
}

/** §4.4: first column-0 `# ` line anywhere (even inside a code fence), minus `# `, trimmed. */
export function findTitle(lines: readonly string[]): string | null {
  for (const line of lines) {
    if (line.startsWith('# ')) return line.slice(2).trim();
  }
  return null;
}
