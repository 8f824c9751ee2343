// The value-only status edit (writing.md §1.2): a pure function from a file's text to the same text
// with only the Status value changed. It reads the header with the parser's own rules
// (parse/header.ts, the span sink), so it edits exactly the value the sync reads; a result whose
// header would re-parse differently in any other field is refused, never written.
//
// No vscode, no file system: the extension imports it to edit a dirty buffer (WorkspaceEdit) with
// the same result the engine writes to disk.
import { isUtf8 } from 'node:buffer';
import { LensError } from '../errors';
import { findTitle, headerStart, parseHeader, type FieldSpans } from '../parse/header';
import { skipPrelude } from '../parse/prelude';

const BOM = '\uFEFF';

export interface Position {
  /** Zero-based line, lines split at `\n` (`\r\n` is one break; a BOM is not part of line 0). */
  line: number;
  /** UTF-16 units into the line. */
  character: number;
}

/** The one change: replace `[start, end)` of the given text by `newText`. */
export interface TextChange {
  /** UTF-16 offsets into the text that was passed in (BOM included when it had one). */
  start: number;
  end: number;
  range: { start: Position; end: Position };
  newText: string;
}

export interface StatusEdit {
  /** The whole new text (unchanged when `changed` is false). */
  text: string;
  /** The Status value as the parser read it (trimmed, continuation lines joined); null: no Status line. */
  fromRaw: string | null;
  /** False when the value already was exactly `status`. */
  changed: boolean;
  /** A Status line was added (there was none). */
  inserted: boolean;
  change: TextChange;
}

interface Lines {
  /** The parser's view: BOM gone, `\r\n` → `\n`, split at `\n`. */
  parsed: string[];
  /** Offset in the raw text where each line starts. */
  starts: number[];
  /** Each raw line's line break: '\r\n', '\n', or '' (the last line). */
  eols: string[];
  bom: boolean;
}

function splitLines(text: string): Lines {
  const bom = text.startsWith(BOM);
  const parsed: string[] = [];
  const starts: number[] = [];
  const eols: string[] = [];
  let at = 0;
  for (;;) {
    const nl = text.indexOf('\n', at);
    const end = nl === -1 ? text.length : nl;
    const crlf = nl !== -1 && end > at && text.charCodeAt(end - 1) === 13;
    let line = text.slice(at, crlf ? end - 1 : end);
    if (at === 0 && bom) line = line.slice(1);
    parsed.push(line);
    starts.push(at);
    eols.push(nl === -1 ? '' : crlf ? '\r\n' : '\n');
    if (nl === -1) break;
    at = nl + 1;
  }
  return { parsed, starts, eols, bom };
}

/** Raw offset of a position in the parser's coordinates. */
const offsetOf = (l: Lines, line: number, character: number): number => l.starts[line]! + (line === 0 && l.bom ? 1 : 0) + character;

/** The line break new lines get: the file's own at that place, else its first one, else `\n`. */
function eolFor(l: Lines, line: number): string {
  return l.eols[line] || l.eols[line - 1] || l.eols.find((e) => e !== '') || '\n';
}

const isBlank = (s: string | undefined): boolean => s !== undefined && s.trim() === '';

/** The header fields and where they sit, as the parser reads them. */
function readHeader(parsed: readonly string[]): { fields: Map<string, string>; spans: FieldSpans } {
  const spans: FieldSpans = new Map();
  const { fields } = parseHeader(parsed, spans);
  return { fields, spans };
}

/**
 * Where a Status line goes when there is none (documents.md §4.2): the first line of the header block;
 * with fields read by the fallback scan (`**Key:** v` lines and no `>` block holding a key), a
 * `**Status:**` line of that form before the first of them (a `>` line there would hide the others);
 * with neither, a `> **Status:**` block after the title line with one blank line around it.
 */
function insertion(l: Lines, spans: FieldSpans, status: string): { line: number; text: string } {
  const { parsed } = l;
  const fieldLines = [...spans.values()];
  if (fieldLines.length > 0 && fieldLines.every((s) => s.fallback)) {
    const line = Math.min(...fieldLines.map((s) => s.line));
    return { line, text: `**Status:** ${status}${eolFor(l, line)}` };
  }
  const start = headerStart(parsed);
  if (start !== -1) {
    // A quote holding no field (a note) would read the new line's value on: keep a blank line between.
    const eol = eolFor(l, start);
    return { line: start, text: `> **Status:** ${status}${eol}${fieldLines.length === 0 ? eol : ''}` };
  }
  const prelude = skipPrelude(parsed);
  const title = findTitle(parsed);
  let line = prelude;
  if (title !== null) {
    const at = parsed.findIndex((s) => s.startsWith('# '));
    if (at !== -1 && at < prelude) line = at + 1;
  }
  const eol = eolFor(l, Math.max(0, line - 1));
  const before = line > 0 && !isBlank(parsed[line - 1]) ? eol : '';
  const after = line < parsed.length && !isBlank(parsed[line]) ? eol : '';
  if (line >= parsed.length) {
    // past the last line: it may have no line break of its own
    const lastEol = l.eols[parsed.length - 1] ? '' : eol;
    return { line: parsed.length, text: `${lastEol}${before}> **Status:** ${status}${eol}` };
  }
  return { line, text: `${before}> **Status:** ${status}${eol}${after}` };
}

function positionAt(l: Lines, offset: number): Position {
  let lo = 0;
  let hi = l.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (l.starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  const bomShift = lo === 0 && l.bom ? 1 : 0;
  return { line: lo, character: Math.max(0, offset - l.starts[lo]! - bomShift) };
}

function sameFieldsBut(a: Map<string, string>, b: Map<string, string>, except: string): boolean {
  const keys = new Set([...a.keys(), ...b.keys()]);
  for (const k of keys) if (k !== except && a.get(k) !== b.get(k)) return false;
  return true;
}

/**
 * The text with its Status value set to `status` (writing.md §1.2): every other character stays —
 * BOM, line endings (LF, CRLF, mixed), trailing spaces, the header's form and any field sharing the
 * line. A decorated value (`**Done** - implemented 2026-07-08`) is replaced whole. With no Status line
 * one is added (see `insertion`). `status` is written as given (the caller canonicalises it).
 *
 * Throws LensError VALIDATION_ERROR when `status` is not one line of text, or when the edited header
 * would not read back as the same fields with the new status (e.g. a value continued over several
 * lines): then nothing may be written.
 */
export function editStatusText(text: string, status: string): StatusEdit {
  const value = typeof status === 'string' ? status.trim() : '';
  if (value === '' || /[\r\n]/.test(value)) throw new LensError('VALIDATION_ERROR', 'status: must be one line of text');
  const l = splitLines(text);
  const before = readHeader(l.parsed);
  const span = before.spans.get('status');
  let change: TextChange;
  let inserted = false;
  if (span) {
    const current = l.parsed[span.line]!.slice(span.start, span.end);
    const start = offsetOf(l, span.line, span.start);
    const end = offsetOf(l, span.line, span.end);
    if (current === value && !span.continued) {
      const pos = positionAt(l, start);
      return { text, fromRaw: before.fields.get('status') ?? current, changed: false, inserted: false, change: { start, end, range: { start: pos, end: positionAt(l, end) }, newText: current } };
    }
    // An empty value still needs its separating spaces (`> **Status:**` → `> **Status:** Done`).
    const lineText = l.parsed[span.line]!;
    const pad = span.start === span.end && span.start > 0 && lineText[span.start - 1]!.trim() !== '' ? ' ' : '';
    const tail = span.start === span.end && span.end < lineText.length && lineText[span.end]!.trim() !== '' ? ' ' : '';
    change = { start, end, range: { start: positionAt(l, start), end: positionAt(l, end) }, newText: `${pad}${value}${tail}` };
  } else {
    inserted = true;
    const at = insertion(l, before.spans, value);
    const offset = at.line < l.parsed.length ? offsetOf(l, at.line, 0) : text.length;
    const pos = positionAt(l, offset);
    change = { start: offset, end: offset, range: { start: pos, end: pos }, newText: at.text };
  }
  const next = text.slice(0, change.start) + change.newText + text.slice(change.end);
  const after = readHeader(splitLines(next).parsed);
  if (after.fields.get('status') !== value || !sameFieldsBut(before.fields, after.fields, 'status')) {
    throw new LensError(
      'VALIDATION_ERROR',
      span?.continued
        ? 'The Status value continues over several lines: change it by hand (only a one-line value is edited)'
        : 'The Status value cannot be changed here without changing other header fields: change it by hand',
    );
  }
  return { text: next, fromRaw: span ? (before.fields.get('status') ?? null) : null, changed: true, inserted, change };
}

/** `editStatusText` over a file's bytes (UTF-8; a BOM kept). Throws VALIDATION_ERROR for invalid UTF-8. */
export function editStatusBytes(bytes: Uint8Array, status: string): StatusEdit & { bytes: Buffer } {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Valid UTF-8 decodes and re-encodes to the same bytes, so the untouched parts stay byte-identical.
  if (!isUtf8(buf)) throw new LensError('VALIDATION_ERROR', 'The file is not valid UTF-8: its status cannot be changed');
  const edit = editStatusText(buf.toString('utf8'), status);
  return { ...edit, bytes: edit.changed ? Buffer.from(edit.text, 'utf8') : buf };
}

/** The Status value as the parser reads it from a text (null: none), with the writer's line rules. */
export function statusValueOf(text: string): string | null {
  return readHeader(splitLines(text).parsed).fields.get('status') ?? null;
}
