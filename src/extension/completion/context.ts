// What a completion at the cursor is about, decided from the line's text alone (cheap: the provider
// runs on every word character typed in markdown, and asks the worker only when this says so), and
// the link form a document's header uses. Pure (no vscode).
import * as path from 'node:path';
import { PREFIX_TYPES } from '../../core/parse/doctypes';

export type CompletionContext =
  /** A typed id: `prefix` from `start` (character) to the cursor. */
  | { kind: 'id'; prefix: string; start: number }
  /** The value of a header Status field: `typed` from `start` to the cursor. */
  | { kind: 'status'; typed: string; start: number }
  | null;

/** `> **Status:** ` / `**Status**: ` / `· **Status:** ` just before the value being typed. */
const STATUS_VALUE_RE = /(?:^\s*>?\s*|[·|]\s*)\*\*Status(?::\*\*|\*\*:?)[ \t]*([^·|*]*)$/i;
/** An id being typed: a known prefix in capitals, then an optional hyphen and id characters. */
const ID_RE = /(?<![\p{L}\p{N}_])([A-Z]{2,5})(-?[0-9A-Za-z]*)$/u;

const PREFIXES = new Set(Object.keys(PREFIX_TYPES));

/** The completion `before` (the line up to the cursor) asks for, if any. */
export function completionContext(before: string): CompletionContext {
  const s = STATUS_VALUE_RE.exec(before);
  if (s) return { kind: 'status', typed: s[1]!, start: before.length - s[1]!.length };
  const m = ID_RE.exec(before);
  if (!m || !PREFIXES.has(m[1]!)) return null;
  // a bare prefix counts (`BG` offers every bug): capitals only, so prose rarely asks
  return { kind: 'id', prefix: m[0], start: before.length - m[0].length };
}

/** A header line (`> **Key:** …` or `**Key:** …`): where link form applies. */
export function isHeaderFieldLine(line: string): boolean {
  return /^\s*>?\s*\*\*[^*\n]+?\*\*/.test(line);
}

export interface LinkStyle {
  /** The link text carries the title too: `[EP0001: Title](…)`. */
  withTitle: boolean;
}

const HEADER_LINK_RE = /\*\*[^*\n]+?\*\*:?\s*\[([A-Z]{2,5}-?[0-9A-Za-z]+)(:\s[^\]]*)?\]\([^)\s]+\.md\)/;

/** The link form the document's header uses for references, or null when it writes plain ids. */
export function headerLinkStyle(headLines: readonly string[]): LinkStyle | null {
  for (const line of headLines) {
    if (!isHeaderFieldLine(line)) continue;
    const m = HEADER_LINK_RE.exec(line);
    if (m) return { withTitle: !!m[2] };
  }
  return null;
}

/** `[ID](relative/path.md)` from the document at `fromFile` to `toFile` (absolute paths). */
export function linkTo(id: string, title: string, fromFile: string, toFile: string, style: LinkStyle): string {
  const rel = path.relative(path.dirname(fromFile), toFile).split(path.sep).join('/');
  const text = style.withTitle ? `${id}: ${title.replace(/^\S+:\s*/, '')}` : id;
  return `[${text.replace(/[[\]]/g, '')}](${encodeURI(rel).replace(/\(/g, '%28').replace(/\)/g, '%29')})`;
}
