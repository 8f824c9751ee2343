// Reading sdlc-studio's own checks (shared/skill/README.md): `integrity.py check`, `validate.py check`
// and `reconcile.py detect`, each with `--format json`. Their JSON is not a frozen contract (the
// skill's reference-schema.md says script interfaces may change), so only the fields used here are
// read, each checked for its type; anything else is ignored. Pure: no process, no file.
import type { Severity } from '../health/rules';

export type SkillCheckName = 'integrity' | 'validate' | 'reconcile';

/** The three checks, in the order they run. `args` come before `--root R --format json`. */
export const SKILL_CHECKS: readonly { name: SkillCheckName; script: string; args: readonly string[] }[] = Object.freeze([
  { name: 'integrity', script: 'integrity.py', args: ['check'] },
  { name: 'validate', script: 'validate.py', args: ['check'] },
  { name: 'reconcile', script: 'reconcile.py', args: ['detect'] },
]);

/**
 * Exit codes that mean "the check ran" (with a JSON answer): 0 nothing found; 1 errors found
 * (integrity, validate) or drift found (reconcile: the normal case, not a failure). Anything else
 * (2 = usage, a traceback's 1 without JSON, a kill) is a failure of the script.
 */
export const ANSWERED_EXIT_CODES: ReadonlySet<number> = new Set([0, 1]);

/** One finding as the script gave it, before it is placed on a file. */
export interface RawSkillFinding {
  check: SkillCheckName;
  /** The script's own code: integrity's `kind`, validate's `rule`, reconcile's `kind`. */
  code: string;
  severity: Severity;
  /** The script's severity word (`error`, `advisory`, `warning`); null when it gives none (reconcile). */
  skill_severity: string | null;
  message: string;
  /** The artefact id the finding names, as written by the script. */
  id: string | null;
  /** The skill's artefact type (`story`, `cr`, `test-spec`, …). */
  type: string | null;
  /** Header field concerned (integrity's `field`: Epic, Story). */
  field: string | null;
  /** The file the script names (validate: absolute; reconcile `missing-row`: the file's name). */
  file: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const list = (o: unknown, key: string): unknown[] | null => {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return null;
  const v = (o as Record<string, unknown>)[key];
  return Array.isArray(v) ? v : null;
};
const rec = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/** The objects of `json[key]` mapped by `map` (entries that are not objects skipped); null when `json` has no such list. */
function eachFinding(json: unknown, key: string, map: (f: Record<string, unknown>) => RawSkillFinding): RawSkillFinding[] | null {
  const items = list(json, key);
  if (!items) return null;
  const out: RawSkillFinding[] = [];
  for (const item of items) {
    const f = rec(item);
    if (f) out.push(map(f));
  }
  return out;
}

/**
 * The skill's severities on ours: an error blocks (high, an Error in the editor); a warning is medium;
 * an advisory is low (information). Reconcile's drift has no severity: an index out of step with its
 * files is a warning (medium).
 */
export function severityOf(check: SkillCheckName, word: string | null): Severity {
  if (check === 'reconcile' && word === null) return 'medium';
  switch ((word ?? '').toLowerCase()) {
    case 'critical':
      return 'critical';
    case 'error':
      return 'high';
    case 'warning':
    case 'warn':
      return 'medium';
    default:
      return 'low';
  }
}

function integrityMessage(f: Record<string, unknown>): string {
  const field = str(f.field) ?? 'link';
  const status = str(f.status);
  const who = `${str(f.id) ?? 'artefact'}${status ? ` (${status})` : ''}`;
  if (f.kind === 'dangling') return `${who}: ${field} references ${str(f.ref) ?? '?'}, which does not exist`;
  if (f.kind === 'missing-required') return `${who}: the required ${field} link is missing`;
  return `${who}: ${str(f.kind) ?? 'finding'}${f.field ? ` (${field})` : ''}`;
}

/** integrity.py: `{findings[{id,type,status,kind,field,ref?,severity}], summary}`; null when not that shape. */
export function parseIntegrity(json: unknown): RawSkillFinding[] | null {
  return eachFinding(json, 'findings', (f) => {
    const word = str(f.severity);
    return {
      check: 'integrity',
      code: str(f.kind) ?? 'integrity',
      severity: severityOf('integrity', word),
      skill_severity: word,
      message: integrityMessage(f),
      id: str(f.id),
      type: str(f.type),
      field: str(f.field),
      file: null,
    };
  });
}

/** validate.py: `{violations[{file,type,severity,rule,message}], summary}`; null when not that shape. */
export function parseValidate(json: unknown): RawSkillFinding[] | null {
  return eachFinding(json, 'violations', (f) => {
    const word = str(f.severity);
    return {
      check: 'validate',
      code: str(f.rule) ?? 'validate',
      severity: severityOf('validate', word),
      skill_severity: word,
      message: str(f.message) ?? str(f.rule) ?? 'document rule',
      id: null,
      type: str(f.type),
      field: null,
      file: str(f.file),
    };
  });
}

/**
 * reconcile.py detect: `{drift[{type,id,kind,fix,detail?,file?,…}], summary}`; null when not that
 * shape. `file` is only a file for the row kinds (its name); for `index-field` it is the artefact's
 * value of the field, so it is kept only when it looks like a markdown file name.
 */
export function parseReconcile(json: unknown): RawSkillFinding[] | null {
  return eachFinding(json, 'drift', (f) => {
    const detail = str(f.detail);
    const fix = str(f.fix);
    const file = str(f.file);
    return {
      check: 'reconcile',
      code: str(f.kind) ?? 'drift',
      severity: severityOf('reconcile', str(f.severity)),
      skill_severity: str(f.severity),
      message: detail && fix ? `${detail}. Fix: ${fix}` : (detail ?? fix ?? str(f.kind) ?? 'index drift'),
      id: str(f.id),
      type: str(f.type),
      field: str(f.field),
      file: file && /\.md$/i.test(file) && !/[\r\n]/.test(file) ? file : null,
    };
  });
}

export const PARSERS: Readonly<Record<SkillCheckName, (json: unknown) => RawSkillFinding[] | null>> = Object.freeze({
  integrity: parseIntegrity,
  validate: parseValidate,
  reconcile: parseReconcile,
});

/**
 * reconcile kinds about an index table (`_index.md`) rather than about one artefact: shown on the
 * type's `_index.md`, on the row of the id when there is one.
 */
export const INDEX_KINDS: ReadonlySet<string> = new Set([
  'missing-index',
  'index-status-column',
  'missing-row',
  'status-mismatch',
  'orphan-row',
  'dead-row-link',
  'count-mismatch',
  'stale-index-stamp',
  'index-field',
  'spawned-column',
  'epic-index-derivable',
]);
