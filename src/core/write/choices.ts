// The statuses a document of a type may be set to (writing.md §1.2), in the order a quick pick and
// the board's columns show them: the type's vocabulary in lifecycle order (documents.md §6.1, plus
// `inbox` for findings), then the project's `status_vocab` tokens, then statuses already used by
// documents of that type in the project. Pure.
import { STATUS_VOCAB } from '../parse/doctypes';
import { INBOX_STATUS, canonicalStatus, isTerminal } from '../parse/status';

export interface StatusChoice {
  status: string;
  /** §6.4 terminal for the type (project extras never are, unless Done/Complete). */
  terminal: boolean;
  /** Documents of the type in the project with this status now. */
  used: number;
  /** Where the choice comes from: the type's vocabulary, the project's `status_vocab`, or use. */
  source: 'vocabulary' | 'project' | 'used';
}

const FINDING_TYPES = new Set(['bug', 'cr', 'rfc']);

/**
 * The type's own lifecycle (§6.1) plus `inbox` for findings. Types without one (prd, retro, …)
 * canonicalise against every known token, so they may take any of them (first-seen order).
 */
export function vocabularyOf(type: string): string[] {
  const own = Object.prototype.hasOwnProperty.call(STATUS_VOCAB, type) ? STATUS_VOCAB[type] : undefined;
  if (own) return FINDING_TYPES.has(type) ? [...own, INBOX_STATUS] : [...own];
  return [...new Set([...Object.values(STATUS_VOCAB).flat(), INBOX_STATUS])];
}

/**
 * The allowed statuses, ordered, with terminal flags and use counts. `extra` is the project's
 * `status_vocab[type]`; `used` maps the stored (canonical) statuses of the type's documents to their
 * counts. Duplicates (case-insensitive) keep their first, vocabulary spelling.
 */
export function statusChoices(type: string, extra: readonly string[] | null | undefined, used: ReadonlyMap<string, number>): StatusChoice[] {
  const out: StatusChoice[] = [];
  const at = new Map<string, StatusChoice>();
  const usedLower = new Map<string, number>();
  for (const [s, n] of used) if (typeof s === 'string' && s.trim()) usedLower.set(s.trim().toLowerCase(), (usedLower.get(s.trim().toLowerCase()) ?? 0) + n);
  const add = (status: string, source: StatusChoice['source']) => {
    const s = status.trim();
    if (!s || /[\r\n]/.test(s) || at.has(s.toLowerCase())) return;
    const choice: StatusChoice = { status: s, terminal: isTerminal(type, s), used: usedLower.get(s.toLowerCase()) ?? 0, source };
    at.set(s.toLowerCase(), choice);
    out.push(choice);
  };
  for (const s of vocabularyOf(type)) add(s, 'vocabulary');
  for (const s of Array.isArray(extra) ? extra : []) if (typeof s === 'string') add(s, 'project');
  // used statuses: most used first, then by name, so the list is stable
  const rest = [...used].filter(([s]) => typeof s === 'string').sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [s] of rest) add(s, 'used');
  return out;
}

/**
 * The allowed status a requested one names: its own spelling case-insensitively, else its
 * canonical form (`in progress`, `**Done**` → the vocabulary token). Null when none is allowed.
 */
export function pickStatus(requested: string, type: string, extra: readonly string[] | null | undefined, choices: readonly StatusChoice[]): StatusChoice | null {
  if (typeof requested !== 'string' || !requested.trim()) return null;
  const byLower = new Map(choices.map((c) => [c.status.toLowerCase(), c]));
  const direct = byLower.get(requested.trim().toLowerCase());
  if (direct) return direct;
  const canonical = canonicalStatus(requested, type, extra ? [...extra] : null);
  return canonical ? (byLower.get(canonical.toLowerCase()) ?? null) : null;
}
