// Finds every document id written in a text (documents.md §5): both forms (`US0001`, `CR-0003`,
// `EP-01KXCCA4`), by extractRefId's own rule (uppercase prefixes, not inside a word). One pass of
// one regex, so linear in the text; used by the editor's links and by the engine's references.
import { PREFIX_TYPES } from './parse/doctypes';
import { normId, refIdRegExp } from './parse/ids';

export interface IdMatch {
  /** The id as written, e.g. `CR-0003`. */
  text: string;
  /** Its normalised form (`CR0003`), the form stored in `ref_id`, `epic`, `story`, `depends_on`. */
  ref: string;
  /** UTF-16 offsets in the scanned text, end exclusive. */
  start: number;
  end: number;
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** Every id in `text`, in order. An id running on into a word (`US0001a`) is not one. */
export function scanIds(text: string): IdMatch[] {
  const out: IdMatch[] = [];
  if (typeof text !== 'string' || text.length === 0) return out;
  const re = refIdRegExp();
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const end = m.index + m[0].length;
    if (end < text.length && WORD_CHAR.test(text[end]!)) continue;
    const ref = normId(m[0]);
    if (ref) out.push({ text: m[0], ref, start: m.index, end });
  }
  return out;
}

const PREFIXES = Object.keys(PREFIX_TYPES).sort((a, b) => b.length - a.length);

/** The two ways a normalised id can be written (`CR0003` → `CR0003`, `CR-0003`), for LIKE pre-filters. */
export function writtenForms(ref: string): string[] {
  const prefix = PREFIXES.find((p) => ref.startsWith(p) && ref.length > p.length);
  return prefix ? [ref, `${prefix}-${ref.slice(prefix.length)}`] : [ref];
}

/** Maps offsets of one text to zero-based line/character positions (binary search over line starts). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; character: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo]! };
  }
}
