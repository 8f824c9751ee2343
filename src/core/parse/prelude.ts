// What may stand above the metadata header (documents.md §4.2, for this project): blank lines, `#`
// headings, HTML comments on one line or several, and a leading YAML frontmatter block. Every scan
// here visits each character a bounded number of times (indexOf and sticky regexes, no backtracking),
// so a 5 MB line or a comment that never closes costs one linear pass.

const COMMENT_OPEN = '<!--';
const COMMENT_CLOSE = '-->';
const FRONTMATTER_FENCE = '---';
/** Sticky: a (possibly empty) whitespace run at `lastIndex`; the same set as String.prototype.trim. */
const WS_RUN_RE = /\s*/y;

/** Index of the first non-whitespace character of `line` at or after `from` (`line.length` if none). */
function skipWs(line: string, from: number): number {
  WS_RUN_RE.lastIndex = from;
  WS_RUN_RE.exec(line);
  return WS_RUN_RE.lastIndex;
}

/** Whether a line, trimmed, opens an HTML comment. */
export function startsComment(trimmed: string): boolean {
  return trimmed.startsWith(COMMENT_OPEN);
}

/**
 * Skip the HTML comment that opens on `lines[i]` (its trimmed text starts with `<!--`), plus any
 * further comments that follow it on its closing line. Returns the index of the line after the
 * comment, `lines.length` when it never closes, or -1 when its closing line carries other text after
 * `-->` (then that line is not purely comment).
 */
export function skipComment(lines: readonly string[], i: number): number {
  let line = lines[i]!;
  let pos = line.indexOf(COMMENT_OPEN) + COMMENT_OPEN.length;
  for (;;) {
    const close = line.indexOf(COMMENT_CLOSE, pos);
    if (close === -1) {
      if (++i >= lines.length) return lines.length;
      line = lines[i]!;
      pos = 0;
      continue;
    }
    const rest = skipWs(line, close + COMMENT_CLOSE.length);
    if (rest === line.length) return i + 1;
    if (!line.startsWith(COMMENT_OPEN, rest)) return -1;
    pos = rest + COMMENT_OPEN.length;
  }
}

/**
 * The line after a YAML frontmatter block at the very top (`---` on line 0 … the next `---` line),
 * or 0 when the text does not open with one (including an unclosed `---`).
 */
export function skipFrontmatter(lines: readonly string[]): number {
  if (lines.length === 0 || lines[0]!.trim() !== FRONTMATTER_FENCE) return 0;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.trim() === FRONTMATTER_FENCE) return i + 1;
  }
  return 0;
}

/**
 * §4.2 (for this project): the index of the first line that is not allowed above a header block —
 * after the leading frontmatter, skipping blank lines, `#` headings and HTML comments. The header
 * block can only start there; `lines.length` when every line is prelude.
 */
export function skipPrelude(lines: readonly string[]): number {
  let i = skipFrontmatter(lines);
  while (i < lines.length) {
    const t = lines[i]!.trim();
    if (t === '' || t.startsWith('#')) {
      i++;
    } else if (startsComment(t)) {
      const next = skipComment(lines, i);
      if (next === -1) return i;
      i = next;
    } else {
      return i;
    }
  }
  return i;
}
