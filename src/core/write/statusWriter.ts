// The one status writer (writing.md): the engine's setStatus, used by the extension, the CLI, the API
// and the agent tools. It picks the writer — sdlc-studio's transition.py when the skill is installed
// and can address the document, else SDLC Lens's value-only edit — never overwrites a file changed
// since the caller (or this writer) read it, re-syncs what it changed so the database follows at
// once, and logs which writer it used.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SqlValue } from 'sql.js';
import type { SetStatusRequest, SetStatusResult } from '../engine-api';
import { BY_TYPE_AND_ID } from '../documents';
import { LensError } from '../errors';
import { FOLDER_TYPES } from '../parse/doctypes';
import { normId } from '../parse/ids';
import { canonicalStatus } from '../parse/status';
import { findSkill, repositoryOf, type SkillLocation } from '../skill/discover';
import { DEFAULT_SKILL_SETTINGS, type SkillSettings } from '../skill/run';
import type { Store } from '../store/database';
import type { Logger } from '../types';
import { sha256, writeFailure, writeFileAtomic } from './atomic';
import { pickStatus, statusChoices, type StatusChoice } from './choices';
import { runTransition, skillCannotAddress, skillIdOf, type SkillTransition } from './skillWriter';
import { editStatusBytes, statusValueOf } from './valueEdit';

type Row = Record<string, SqlValue>;

export interface StatusWriterOptions {
  /** `sdlcLens.skill.*` (the CLI: the defaults). */
  skill?: Partial<SkillSettings>;
  /** The user's home folder for skill discovery (default os.homedir(); tests point it elsewhere). */
  skillHome?: string | null;
  /** Test seam: runs after the new content is ready, right before the final compare and rename. */
  beforeCompare?: () => void | Promise<void>;
}

export interface StatusWriterDeps {
  store: Store;
  logger: Logger;
  /** Re-syncs these paths of the project (relative; null: all of it); resolves once stored. */
  resync(slug: string, paths: string[] | null): Promise<void>;
}

interface Target {
  slug: string;
  sdlcPath: string;
  extra: string[] | null;
  type: string;
  docId: string;
  filePath: string;
  refId: string | null;
  epic: string | null;
  projectId: number;
}

const str = (v: SqlValue | undefined): string | null => (v === null || v === undefined ? null : String(v));

function vocabOf(raw: SqlValue | undefined, type: string): string[] | null {
  if (typeof raw !== 'string') return null;
  try {
    const parsed = JSON.parse(raw) as unknown;
    const v = parsed && typeof parsed === 'object' && Object.prototype.hasOwnProperty.call(parsed, type) ? (parsed as Record<string, unknown>)[type] : null;
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : null;
  } catch {
    return null;
  }
}

const requireText = (v: unknown, name: string): string => {
  if (typeof v !== 'string' || v.trim() === '') throw new LensError('VALIDATION_ERROR', `${name}: must be a non-empty string`);
  return v;
};

export class StatusWriter {
  private settings: SkillSettings;
  /** Writes in flight per path as asked: they keep the order they were asked in. */
  private readonly asked = new Map<string, Promise<unknown>>();
  /** Writes in flight per real file path: one at a time per file (the hash check then sees the last one). */
  private readonly files = new Map<string, Promise<unknown>>();

  constructor(
    private readonly deps: StatusWriterDeps,
    private readonly options: StatusWriterOptions = {},
  ) {
    this.settings = { ...DEFAULT_SKILL_SETTINGS };
    this.configure(options.skill ?? {});
  }

  /** Changes the skill settings (the extension's `sdlcLens.skill.path` / `.python`); unknown keys ignored. */
  configure(settings: Partial<SkillSettings>): void {
    const s = settings ?? {};
    if ('path' in s) this.settings.path = typeof s.path === 'string' && s.path.trim() ? s.path.trim() : null;
    if ('python' in s) this.settings.python = typeof s.python === 'string' && s.python.trim() ? s.python.trim() : DEFAULT_SKILL_SETTINGS.python;
    if ('trustRepository' in s) this.settings.trustRepository = s.trustRepository !== false;
  }

  get skillSettings(): SkillSettings {
    return { ...this.settings };
  }

  /** The skill this project's writes go through, or null (the value-only edit). */
  skillFor(sdlcPath: string): SkillLocation | null {
    return findSkill({ repoRoot: repositoryOf(sdlcPath), settingPath: this.settings.path, home: this.options.skillHome, trustRepository: this.settings.trustRepository });
  }

  // ── allowed statuses ──────────────────────────────────────────────────────

  private project(slug: string): Row {
    const row = this.deps.store.get('SELECT id, slug, sdlc_path, status_vocab FROM projects WHERE slug = ?', [slug]);
    if (!row) throw new LensError('NOT_FOUND', 'Project not found');
    return row;
  }

  private used(projectId: number, type: string): Map<string, number> {
    const rows = this.deps.store.all(
      'SELECT status, count(*) AS n FROM documents WHERE project_id = ? AND doc_type = ? AND status IS NOT NULL GROUP BY status',
      [projectId, type],
    );
    return new Map(rows.map((r) => [String(r.status), Number(r.n)]));
  }

  /** writing.md §1.2 for the documents of `type` in project `slug`. Throws LensError NOT_FOUND. */
  choices(slug: string, type: string): StatusChoice[] {
    requireText(type, 'type');
    const p = this.project(requireText(slug, 'slug'));
    return statusChoices(type, vocabOf(p.status_vocab, type), this.used(Number(p.id), type));
  }

  // ── the write ─────────────────────────────────────────────────────────────

  private target(req: SetStatusRequest): Target {
    const slug = requireText(req?.slug, 'slug');
    const type = requireText(req.type, 'type');
    const docId = requireText(req.doc_id, 'doc_id');
    const p = this.project(slug);
    if (req.file_path !== undefined && req.file_path !== null && typeof req.file_path !== 'string') {
      throw new LensError('VALIDATION_ERROR', 'file_path: must be a string');
    }
    const byPath = req.file_path ? ' AND file_path = ?' : '';
    const doc = this.deps.store.get(
      `SELECT doc_id, doc_type, file_path, ref_id, epic FROM documents ${BY_TYPE_AND_ID} WHERE project_id = ? AND doc_type = ? AND doc_id = ?${byPath} ORDER BY file_path LIMIT 1`,
      [Number(p.id), type, docId, ...(req.file_path ? [req.file_path] : [])],
    );
    if (!doc) throw new LensError('NOT_FOUND', 'Document not found');
    const sdlcPath = str(p.sdlc_path);
    if (!sdlcPath) throw new LensError('VALIDATION_ERROR', 'The project has no folder: nothing can be written');
    return {
      slug,
      sdlcPath,
      extra: vocabOf(p.status_vocab, type),
      type,
      docId,
      filePath: String(doc.file_path),
      refId: str(doc.ref_id),
      epic: str(doc.epic),
      projectId: Number(p.id),
    };
  }

  /** The real path of the document's file `abs`; refuses a link that leaves the project folder. */
  private async realFile(t: Target, abs: string): Promise<string> {
    let real: string;
    let root: string;
    try {
      real = await fs.promises.realpath(abs);
      root = await fs.promises.realpath(t.sdlcPath);
    } catch (e) {
      throw writeFailure(e, t.filePath);
    }
    const rel = path.relative(root, real);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new LensError('VALIDATION_ERROR', `${t.filePath} is a link to a file outside the project folder: SDLC Lens does not write there`);
    }
    return real;
  }

  /** How many documents of the project transition.py would find under the same id (it takes the first). */
  private sameId(t: Target): number {
    if (!t.refId) return 0;
    return Number(this.deps.store.get('SELECT count(*) AS n FROM documents WHERE project_id = ? AND ref_id = ?', [t.projectId, t.refId])?.n ?? 0);
  }

  /** writing.md §1–2. Throws LensError NOT_FOUND, CONFLICT, VALIDATION_ERROR, TRANSITION_BLOCKED. */
  async set(req: SetStatusRequest): Promise<SetStatusResult> {
    const t = this.target(req);
    const choices = statusChoices(t.type, t.extra, this.used(t.projectId, t.type));
    const choice = pickStatus(requireText(req.status, 'status'), t.type, t.extra, choices);
    if (!choice) {
      const list = choices.map((c) => c.status).join(', ');
      throw new LensError('VALIDATION_ERROR', `"${req.status.trim()}" is not a status of ${t.type} documents in this project (allowed: ${list})`);
    }
    if (req.expected_hash !== undefined && req.expected_hash !== null && typeof req.expected_hash !== 'string') {
      throw new LensError('VALIDATION_ERROR', 'expected_hash: must be a string');
    }
    // In the order asked (the later request's status is the one that stays): the place in the queue is
    // taken now, by the path as asked, before the link check's awaits; then by the real file, which two
    // paths can share.
    const abs = path.join(t.sdlcPath, ...t.filePath.split('/'));
    return locked(this.asked, abs, async () => {
      const real = await this.realFile(t, abs);
      return locked(this.files, real, () => this.write(t, real, choice.status, req));
    });
  }

  private async read(t: Target, real: string): Promise<Buffer> {
    try {
      return await fs.promises.readFile(real);
    } catch (e) {
      throw writeFailure(e, t.filePath);
    }
  }

  private async write(t: Target, real: string, to: string, req: SetStatusRequest): Promise<SetStatusResult> {
    const dryRun = req.dry_run === true;
    const bytes = await this.read(t, real);
    const hash = sha256(bytes);
    if (req.expected_hash && req.expected_hash !== hash) {
      throw new LensError('CONFLICT', `${t.filePath} changed on disk since it was read: its status was not changed (reload and try again)`);
    }
    const fromRaw = statusValueOf(bytes.toString('utf8'));
    const from = canonicalStatus(fromRaw, t.type, t.extra);
    const skill = this.skillFor(t.sdlcPath);
    let why = skill ? skillCannotAddress(t.sdlcPath, t.type, t.docId, t.filePath) : 'the sdlc-studio skill is not installed';
    if (skill && !why && this.sameId(t) > 1) why = `several documents have the id ${skillIdOf(t.docId)}`;
    const writer = skill && !why ? 'sdlc-studio' : 'sdlc-lens';
    const result: SetStatusResult = { doc_id: t.docId, type: t.type, from, to, writer, changed: false, dry_run: dryRun, file_path: t.filePath, warning: null };
    if (from === to) return result; // already there: nothing to do, by either writer
    if (writer === 'sdlc-studio') return this.viaSkill(t, real, skill!, hash, to, req, result);

    const edit = editStatusBytes(bytes, to);
    if (dryRun || !edit.changed) return result;
    await writeFileAtomic(real, edit.bytes, hash, { label: t.filePath, beforeCompare: this.options.beforeCompare });
    this.deps.logger.info(`${t.slug}: ${t.filePath}: status ${from ?? '(none)'} → ${to} (writer: sdlc-lens value-only edit; ${why})`);
    await this.deps.resync(t.slug, [t.filePath]);
    return { ...result, changed: true };
  }

  private async viaSkill(
    t: Target,
    real: string,
    skill: SkillLocation,
    hash: string,
    to: string,
    req: SetStatusRequest,
    result: SetStatusResult,
  ): Promise<SetStatusResult> {
    const run = {
      skill,
      python: this.settings.python,
      repoRoot: repositoryOf(t.sdlcPath),
      id: skillIdOf(t.docId),
      status: to,
      force: req.force === true,
    };
    // Always the dry run first: a refusal (its gates) throws here, before anything is written.
    const dry = await runTransition({ ...run, dryRun: true });
    if (req.dry_run === true) return { ...result, warning: dry.warning };
    // transition.py writes the file itself: the last compare is right before handing it over.
    await this.options.beforeCompare?.();
    if (sha256(await this.read(t, real)) !== hash) {
      throw new LensError('CONFLICT', `${t.filePath} changed on disk since it was read: its status was not changed (reload and try again)`);
    }
    let done: SkillTransition;
    try {
      done = await runTransition({ ...run, dryRun: false });
    } catch (e) {
      // A run that failed after writing (its own crash past the write) still changed files: follow them.
      const after = await fs.promises.readFile(real).then(sha256, () => null);
      if (after !== hash) {
        this.deps.logger.warn(`${t.slug}: transition.py failed after changing ${t.filePath}; re-syncing the project`);
        await this.deps.resync(t.slug, null);
      }
      throw e;
    }
    this.deps.logger.info(
      `${t.slug}: ${t.filePath}: status ${result.from ?? '(none)'} → ${to} (writer: sdlc-studio transition.py ${skill.version ?? ''} from ${skill.dir}${run.force ? ', --force' : ''})`,
    );
    await this.deps.resync(t.slug, this.touched(t, done.raw));
    const now = await fs.promises.readFile(real, 'utf8').then(statusValueOf, () => null);
    if (canonicalStatus(now, t.type, t.extra) !== to) {
      this.deps.logger.warn(`${t.slug}: transition.py reported ${to} for ${skillIdOf(t.docId)} but ${t.filePath} now reads ${now ?? '(no status)'}`);
    }
    return { ...result, changed: true, warning: done.warning ?? dry.warning };
  }

  /**
   * What transition.py may have written: the document, its type's `_index.md`, the parent epic's
   * breakdown and its telemetry; null (a full sync) when it reports more (e.g. filed survivor bugs).
   */
  private touched(t: Target, raw: Record<string, unknown>): string[] | null {
    if (raw.survivors_filed !== undefined && raw.survivors_filed !== null) return null;
    const folder = path.posix.dirname(t.filePath);
    const paths = [t.filePath, `${folder}/_index.md`, 'retros/evidence'];
    const epicRef = normId(typeof raw.epic === 'string' ? raw.epic : null) ?? t.epic;
    if (epicRef) {
      for (const r of this.deps.store.all("SELECT file_path FROM documents WHERE project_id = ? AND ref_id = ? AND doc_type = 'epic'", [t.projectId, epicRef])) {
        paths.push(String(r.file_path));
      }
      const epics = [...FOLDER_TYPES].find(([, type]) => type === 'epic')?.[0];
      if (epics) paths.push(`${epics}/_index.md`);
    }
    return [...new Set(paths)];
  }
}

/** Runs `fn` after every earlier call with the same key in `queue` has settled. */
async function locked<T>(queue: Map<string, Promise<unknown>>, key: string, fn: () => Promise<T>): Promise<T> {
  const prev = queue.get(key) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  const tail = run.catch(() => undefined);
  queue.set(key, tail);
  try {
    return await run;
  } finally {
    if (queue.get(key) === tail) queue.delete(key);
  }
}
