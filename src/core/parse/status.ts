// Status vocabulary, canonicalisation and predicates (documents.md §6).

import { STATUS_VOCAB, TERMINAL_STATUS } from './doctypes';

export const INBOX_STATUS = 'inbox';
const FINDING_TYPES = new Set(['bug', 'cr', 'rfc']);

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

interface Candidate {
  token: string;
  lower: string;
  lowerSpace: string;
}

function toCandidates(tokens: Iterable<string>): Candidate[] {
  const uniq: string[] = [];
  const seen = new Set<string>();
  for (const t of tokens) {
    if (!seen.has(t)) {
      seen.add(t);
      uniq.push(t);
    }
  }
  // Stable sort: longest first, ties keep insertion order (type vocabulary before project extras).
  uniq.sort((a, b) => b.length - a.length);
  return uniq.map((token) => ({ token, lower: token.toLowerCase(), lowerSpace: token.toLowerCase() + ' ' }));
}

const ALL_TOKENS: string[] = [...new Set([...Object.values(STATUS_VOCAB).flat(), INBOX_STATUS])];
const GLOBAL_CANDIDATES = toCandidates(ALL_TOKENS);
const TYPE_CANDIDATES = new Map<string, Candidate[]>(
  Object.keys(STATUS_VOCAB).map((t) => [t, toCandidates(FINDING_TYPES.has(t) ? [...STATUS_VOCAB[t]!, INBOX_STATUS] : STATUS_VOCAB[t]!)]),
);
const ALL_TERMINAL = new Set(Object.values(TERMINAL_STATUS).flat());
const TERMINAL_SETS = new Map<string, Set<string>>(Object.keys(TERMINAL_STATUS).map((t) => [t, new Set(TERMINAL_STATUS[t])]));

const extraCache = new Map<string, Candidate[]>();
/**
 * Per vocabulary array (one project's, the same for a whole sync) and type: the candidates and the
 * array's elements they were built from (an array changed since is rebuilt).
 */
const byArray = new WeakMap<readonly string[], Map<string, { seen: readonly unknown[]; c: Candidate[] }>>();

const sameElements = (a: readonly unknown[], b: readonly unknown[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

function candidatesFor(docType: string, extra: readonly string[] | null | undefined): Candidate[] {
  const base = (typeof docType === 'string' && TYPE_CANDIDATES.get(docType)) || GLOBAL_CANDIDATES;
  if (!Array.isArray(extra) || extra.length === 0) return base;
  let perType = byArray.get(extra);
  const known = perType?.get(docType);
  if (known && sameElements(known.seen, extra)) return known.c;
  const c = candidatesForExtra(docType, extra, base);
  if (!perType) byArray.set(extra, (perType = new Map()));
  perType.set(docType, { seen: [...extra], c });
  return c;
}

function candidatesForExtra(docType: string, extra: readonly string[], base: Candidate[]): Candidate[] {
  const tokens = extra.filter((t): t is string => typeof t === 'string' && t.trim() !== '').map((t) => t.trim());
  if (tokens.length === 0) return base;
  const key = `${typeof docType === 'string' ? docType : ''}\u0000${tokens.join('\u0000')}`;
  let c = extraCache.get(key);
  if (!c) {
    c = toCandidates([...base.map((x) => x.token), ...tokens]);
    if (extraCache.size > 256) extraCache.clear();
    extraCache.set(key, c);
  }
  return c;
}

const LEADING_DECORATION_RE = /^[>\s*_`]+/;
const EDGE_CHARS = new Set(['*', '_', '`', ' ']);
const CUT_SEPARATORS = [' - ', ' — ', ' – ', ' · ', ' | ', ' (', '('];

/** `str.strip("*_` ")` */
function stripEdges(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && EDGE_CHARS.has(s[a]!)) a++;
  while (b > a && EDGE_CHARS.has(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/** Step 3: drop a leading run of `>`/whitespace/`*`/`_`/backtick, trim, strip surrounding decoration. */
function lightClean(raw: string): string {
  return stripEdges(raw.replace(LEADING_DECORATION_RE, '').trim()).trim();
}

function matchToken(text: string, candidates: Candidate[]): string | null {
  const lower = text.toLowerCase();
  for (const c of candidates) {
    if (lower === c.lower || lower.startsWith(c.lowerSpace)) return c.token;
  }
  return null;
}

/**
 * §6.3 canonical(raw, type, extra): the vocabulary token a raw status names, else the raw text cut
 * at its first prose separator (custom statuses are kept), or null for blank input.
 */
export function canonicalStatus(raw: string | null | undefined, docType: string, extra?: string[] | null): string | null {
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  const candidates = candidatesFor(docType, extra);
  const cleaned = lightClean(raw);
  const whole = matchToken(cleaned, candidates);
  if (whole !== null) return whole;
  let cut = cleaned.length;
  for (const sep of CUT_SEPARATORS) {
    const i = cleaned.indexOf(sep);
    if (i !== -1 && i < cut) cut = i;
  }
  const text = lightClean(cleaned.slice(0, cut));
  if (text === '') return null;
  return matchToken(text, candidates) ?? text;
}

/** §6.4: Done/Complete always terminal; else the type's terminal set (union for unknown types). */
export function isTerminal(docType: string, status: string | null | undefined): boolean {
  const c = canonicalStatus(status, docType);
  if (c === null) return false;
  if (c === 'Done' || c === 'Complete') return true;
  const set = typeof docType === 'string' && hasOwn(STATUS_VOCAB, docType) ? TERMINAL_SETS.get(docType) : undefined;
  return (set ?? ALL_TERMINAL).has(c);
}

export type StatusGroup = 'done' | 'closed' | 'in-flight' | 'review' | 'ready' | 'planned' | 'draft' | 'triage' | 'blocked' | 'unknown';

/**
 * The one class table of document statuses (documents.md §6.2, for this project: every status of
 * every type's vocabulary has a class, and the finished classes are exactly the terminal statuses of
 * §6.4): `done` finished as intended, `closed` finished without it (superseded, won't fix,
 * withdrawn, rejected). The tree's icons and grouping, the dashboard's tones and the board all read it.
 */
export const STATUS_GROUPS: Readonly<Record<Exclude<StatusGroup, 'unknown'>, readonly string[]>> = Object.freeze({
  done: ['Done', 'Complete', 'Fixed', 'Verified', 'Closed', 'Accepted', 'Resolved', 'Spent'],
  closed: ['Superseded', "Won't Fix", "Won't Implement", 'Withdrawn', 'Rejected'],
  'in-flight': ['In Progress', 'Planning', 'Implementing', 'Testing', 'Verifying', 'Reviewing', 'Checking', 'In Review', 'Triaging'],
  review: ['Review'],
  ready: ['Ready', 'Approved', 'Triaged'],
  planned: ['Planned', 'Created', 'Queued'],
  draft: ['Draft', 'Proposed', 'Not Started', 'Deferred', 'Paused'],
  triage: ['inbox', 'Open'],
  blocked: ['Blocked'],
});
const GROUPS = STATUS_GROUPS;
const GROUP_OF = new Map<string, StatusGroup>();
for (const [g, list] of Object.entries(GROUPS)) for (const s of list) GROUP_OF.set(s.toLowerCase(), g as StatusGroup);

/**
 * §6.2 display group. Matches the status case-insensitively; a raw (non-canonical) value is
 * canonicalised against the global vocabulary first.
 */
export function statusGroup(status: string | null | undefined): StatusGroup {
  if (typeof status !== 'string') return 'unknown';
  const direct = GROUP_OF.get(status.trim().toLowerCase());
  if (direct) return direct;
  const c = canonicalStatus(status, '');
  return (c !== null && GROUP_OF.get(c.toLowerCase())) || 'unknown';
}
