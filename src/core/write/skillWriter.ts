// sdlc-studio's own status writer (writing.md §1.1): `transition.py set <ID> <STATUS> --root <repo>
// --format json`, always as a `--dry-run` first. Exit 0: done (`{id, type, from, to, index_synced,
// epic, warning, …}`); exit 1 with `{id, blocked}`: refused, nothing changed; exit 2: usage error.
// Its JSON is not a frozen contract: read what is there, ignore the rest.
import * as path from 'node:path';
import { LensError } from '../errors';
import { FOLDER_TYPES } from '../parse/doctypes';
import { idHead } from '../parse/ids';
import type { SkillLocation } from '../skill/discover';
import { runSkillScript, type ScriptRun } from '../skill/run';

/** The types transition.py handles (its `ARTIFACT_TYPES`), each in its folder directly under `sdlc-studio/`. */
export const SKILL_TYPES: ReadonlySet<string> = new Set(['epic', 'story', 'plan', 'bug', 'cr', 'rfc', 'issue', 'test-spec', 'workflow', 'charter']);

/** The folder of a type directly under sdlc-studio/ (documents.md §1). */
const folderOf = (type: string): string | undefined => [...FOLDER_TYPES].find(([, t]) => t === type)?.[0];

/**
 * Why transition.py cannot address this document (then SDLC Lens's value-only edit is used), or null
 * when it can: it finds artefacts by id among the `.md` files directly in the type's folder of a
 * folder named `sdlc-studio`, and only for its own types.
 */
export function skillCannotAddress(sdlcPath: string, type: string, docId: string, filePath: string): string | null {
  if (path.basename(path.resolve(sdlcPath)) !== 'sdlc-studio') return 'the project folder is not named sdlc-studio';
  if (!SKILL_TYPES.has(type)) return `transition.py has no status machinery for ${type} documents`;
  const folder = folderOf(type);
  if (!folder || path.posix.dirname(filePath) !== folder) return `transition.py only finds ${type} documents directly in ${folder ?? 'their folder'}/`;
  if (idHead(docId) === null) return `the file name of ${docId} carries no id transition.py can find`;
  return null;
}

/** The id transition.py looks documents up by: the id at the head of the file stem (`US0001`, `BG-01KX8B82`). */
export function skillIdOf(docId: string): string {
  return idHead(docId) ?? docId;
}

export interface SkillTransition {
  id: string | null;
  from: string | null;
  to: string | null;
  warning: string | null;
  index_synced: boolean | null;
  /** The parent epic whose breakdown it updated, if any. */
  epic: string | null;
  /** Every field of the answer, as given. */
  raw: Record<string, unknown>;
}

export interface SkillRunOptions {
  skill: SkillLocation;
  python: string;
  repoRoot: string;
  id: string;
  status: string;
  dryRun: boolean;
  force: boolean;
  timeoutMs?: number;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : v === null || v === undefined ? null : String(v));

/** The last non-empty stderr line, shortened: a reason without a traceback. */
function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
  const line = lines.at(-1) ?? '';
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
}

/** Reads one transition.py run: the result, or the LensError its exit code means. */
export function readTransition(run: ScriptRun, python: string): SkillTransition {
  if (run.code === null) {
    const why =
      run.failure === 'timeout'
        ? 'it did not finish in time'
        : run.failure === 'cancelled'
          ? 'it was cancelled'
          : `${python} could not be started (${run.error ?? 'not found'}); check the sdlcLens.skill.python setting`;
    throw new LensError('TRANSITION_BLOCKED', `sdlc-studio's transition.py could not run: ${why}. Nothing was changed.`);
  }
  const json = run.json && typeof run.json === 'object' && !Array.isArray(run.json) ? (run.json as Record<string, unknown>) : null;
  if (run.code === 2) {
    throw new LensError('VALIDATION_ERROR', `sdlc-studio's transition.py refused the request: ${lastLine(run.stderr) || 'usage error'}`);
  }
  if (run.code !== 0 || (json && 'blocked' in json)) {
    const reason = str(json?.blocked) ?? (lastLine(run.stderr).replace(/^error:\s*/, '') || `exit code ${run.code}`);
    throw new LensError('TRANSITION_BLOCKED', reason);
  }
  if (!json) throw new LensError('TRANSITION_BLOCKED', `sdlc-studio's transition.py gave no answer it could be read by (exit 0, no JSON)`);
  return {
    id: str(json.id),
    from: str(json.from),
    to: str(json.to),
    warning: str(json.warning) || null,
    index_synced: typeof json.index_synced === 'boolean' ? json.index_synced : null,
    epic: str(json.epic),
    raw: json,
  };
}

/** One `transition.py set` run (dry or real). Throws LensError as `readTransition`. */
export async function runTransition(o: SkillRunOptions): Promise<SkillTransition> {
  const args = ['set', o.id, o.status, '--root', o.repoRoot, '--format', 'json'];
  if (o.dryRun) args.push('--dry-run');
  if (o.force) args.push('--force');
  const run = await runSkillScript(o.skill, o.python, 'transition.py', args, { cwd: o.repoRoot, timeoutMs: o.timeoutMs });
  return readTransition(run, o.python);
}
