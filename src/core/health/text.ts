// Where a finding sits in a document's text, and the mechanical fixes as plain text edits. Pure: the
// engine places diagnostics with it (placement.ts) and the editor's code actions adapt the edits.
import { normId, extractRefId, idHead } from '../parse/ids';
import { skipPrelude } from '../parse/prelude';
import { normaliseKey } from '../parse/header';

/** A zero-based line and character range inside one line. */
export interface LineSpan {
  line: number;
  start: number;
  end: number;
}

/** An insertion or replacement inside one line of the text (what a WorkspaceEdit will carry). */
export interface TextEdit {
  line: number;
  start: number;
  end: number;
  newText: string;
}

/** `**Key:**` anywhere on a line (inline `· **Story:** …` segments included). */
const KEY_RE = /\*\*([^*\n]+?)\*\*:?/g;
const QUOTE_KV_RE = /^\s*>\s+\*\*[^*\n]+?\*\*/;
const PLAIN_KV_RE = /^\*\*[^*\n]+?\*\*/;

export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

export function lineEnding(text: string): '\r\n' | '\n' {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** The shape of a document's head: its title line and its header block (quoted or plain `**Key:**` lines). */
export interface HeaderLayout {
  /** Line of the first column-0 `# ` heading before the body, else -1. */
  titleLine: number;
  /** First and last (inclusive) line of the header block; -1 when there is none. */
  first: number;
  last: number;
  style: 'quote' | 'plain' | 'none';
}

export function headerLayout(lines: readonly string[]): HeaderLayout {
  const start = skipPrelude(lines);
  let titleLine = -1;
  for (let i = 0; i < Math.min(start + 1, lines.length); i++) {
    if (lines[i]!.startsWith('# ')) {
      titleLine = i;
      break;
    }
  }
  if (start < lines.length && QUOTE_KV_RE.test(lines[start]!)) {
    let last = start;
    while (last + 1 < lines.length && /^\s*>(?!>)/.test(lines[last + 1]!)) last++;
    return { titleLine, first: start, last, style: 'quote' };
  }
  if (start < lines.length && PLAIN_KV_RE.test(lines[start]!.trim())) {
    let last = start;
    while (last + 1 < lines.length && PLAIN_KV_RE.test(lines[last + 1]!.trim())) last++;
    return { titleLine, first: start, last, style: 'plain' };
  }
  return { titleLine, first: -1, last: -1, style: 'none' };
}

/** The `**Key:** value` of header field `key` (any case/spacing, e.g. "Story Points"): the key's span and its value's. */
export function findField(lines: readonly string[], key: string): { key: LineSpan; value: LineSpan } | null {
  const want = normaliseKey(key);
  const h = headerLayout(lines);
  if (h.first < 0) return null;
  for (let i = h.first; i <= h.last; i++) {
    const line = lines[i]!;
    const re = new RegExp(KEY_RE.source, 'g');
    let m: RegExpExecArray | null;
    while ((m = re.exec(line))) {
      if (normaliseKey(m[1]!) !== want) continue;
      const valueStart = m.index + m[0].length;
      const next = line.slice(valueStart).search(/\s*[·|]\s*\*\*/);
      const valueEnd = next < 0 ? line.length : valueStart + next;
      return { key: { line: i, start: m.index, end: valueStart }, value: { line: i, start: valueStart, end: valueEnd } };
    }
  }
  return null;
}

/** The line a finding about the whole document points at: the title, else the first line. */
export function titleSpan(lines: readonly string[]): LineSpan {
  const t = headerLayout(lines).titleLine;
  const line = t >= 0 ? t : 0;
  return { line, start: 0, end: (lines[line] ?? '').length };
}

/**
 * The lines of a file's head (its first bytes, `head`) when they decide every span fieldOrTitleSpan
 * gives, else null: the head cut after its last whole line holds a header block that ends before
 * that line, and fieldOrTitleSpan looks no further than the block's end (the title above it, the
 * fields in it). A comment or frontmatter still open at the cut leaves no block, so it is null.
 */
export function decidingHeadLines(head: Buffer): string[] | null {
  const cut = head.lastIndexOf(0x0a);
  if (cut < 0) return null;
  const lines = splitLines(head.toString('utf8', 0, cut));
  const h = headerLayout(lines);
  return h.style !== 'none' && h.last + 1 < lines.length ? lines : null;
}

/** A field's whole line when the field is present, else the title line. */
export function fieldOrTitleSpan(lines: readonly string[], key: string | null): LineSpan {
  const f = key ? findField(lines, key) : null;
  return f ? { line: f.key.line, start: f.key.start, end: f.value.end } : titleSpan(lines);
}

/**
 * MISSING_STATUS fix: a `Status: Draft` line in the file's own header style and line endings — after
 * the last header line, or (no header) as a new blockquote header below the title.
 */
export function insertStatusEdit(text: string, status = 'Draft'): TextEdit {
  const lines = splitLines(text);
  const eol = lineEnding(text);
  const h = headerLayout(lines);
  if (h.style !== 'none') {
    const end = lines[h.last]!.length;
    const prefix = h.style === 'quote' ? '> ' : '';
    return { line: h.last, start: end, end, newText: `${eol}${prefix}**Status:** ${status}` };
  }
  if (h.titleLine >= 0) {
    const end = lines[h.titleLine]!.length;
    const blankAfter = (lines[h.titleLine + 1] ?? '').trim() === '';
    const newText = blankAfter ? `${eol}${eol}> **Status:** ${status}` : `${eol}${eol}> **Status:** ${status}${eol}`;
    return { line: h.titleLine, start: end, end, newText };
  }
  return { line: 0, start: 0, end: 0, newText: `> **Status:** ${status}${eol}${eol}` };
}

/** Levenshtein distance (small strings: ids). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

export interface Candidate {
  /** The id as written in the candidate's file name (`US0009`, `US-01KZH5A2`). */
  id: string;
  title: string;
  type: string;
  file_path: string;
}

/**
 * The documents a broken reference most likely meant: documents of the field's type (epic/story),
 * closest normalised id first (ties: natural id order). At most `limit`.
 */
export function closestCandidates(
  badRef: string,
  docs: readonly { doc_id: string; type: string; title: string; file_path: string }[],
  type: string,
  limit = 5,
): Candidate[] {
  const bad = normId(badRef) ?? badRef.toUpperCase();
  const seen = new Set<string>();
  const scored: { c: Candidate; d: number }[] = [];
  for (const doc of docs) {
    if (doc.type !== type || doc.doc_id.startsWith('_')) continue;
    const id = idHead(doc.doc_id) ?? doc.doc_id;
    const key = normId(id) ?? id;
    if (key === bad || seen.has(key)) continue;
    seen.add(key);
    scored.push({ c: { id, title: doc.title, type: doc.type, file_path: doc.file_path }, d: editDistance(bad, key) });
  }
  const natural = new Intl.Collator(undefined, { numeric: true });
  scored.sort((x, y) => x.d - y.d || natural.compare(x.c.id, y.c.id));
  return scored.slice(0, limit).map((s) => s.c);
}

/**
 * ORPHAN_REFERENCE fix: the edit replacing the reference in field `key` by `newId`. A markdown link
 * target in the value is pointed at `newLink` (path relative to the edited file) when given. Null
 * when the field or an id in it cannot be found, or when `brokenRef` is given and the field no
 * longer holds it (the text was edited since the diagnostic was computed: nothing left to fix).
 */
export function replaceReferenceEdit(text: string, key: string, newId: string, newLink?: string, brokenRef?: string): TextEdit | null {
  const lines = splitLines(text);
  const f = findField(lines, key);
  if (!f) return null;
  const line = lines[f.value.line]!;
  const value = line.slice(f.value.start, f.value.end);
  const written = extractRefId(value);
  if (!written) return null;
  if (brokenRef !== undefined && normId(written) !== normId(brokenRef)) return null;
  let next = value.split(written).join(newId);
  if (newLink !== undefined) next = next.replace(/\]\(([^)\s]*)\)/, () => `](${newLink})`);
  return { line: f.value.line, start: f.value.start, end: f.value.end, newText: next };
}

/** Applies edits (non-overlapping, any order) to a text: for tests and previews. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split(/(?<=\r?\n)/);
  const offsets: number[] = [];
  let acc = 0;
  for (const l of lines) {
    offsets.push(acc);
    acc += l.length;
  }
  const abs = edits
    .map((e) => ({ from: (offsets[e.line] ?? acc) + e.start, to: (offsets[e.line] ?? acc) + e.end, text: e.newText }))
    .sort((a, b) => b.from - a.from);
  let out = text;
  for (const e of abs) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}
