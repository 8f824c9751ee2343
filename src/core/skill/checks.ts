// sdlc-studio's own checks as a second source of findings (source "sdlc-studio", code = the script's
// rule or kind): runs integrity.py, validate.py and reconcile.py (findings.ts reads their answers),
// places each finding on its file and line, and keeps the latest report per project. Runs are one at
// a time across projects, each script has a time limit, and a newer run or sync of the same project
// cancels the older run. In the extension this lives in the engine's worker; the host only asks.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DocumentSummary } from '../engine-api';
import { projectFileOf } from '../health/placement';
import type { Severity } from '../health/rules';
import { fieldOrTitleSpan, splitLines, type LineSpan } from '../health/text';
import { DOC_TYPES } from '../parse/doctypes';
import { pathInside } from '../projects';
import { idHead, normId } from '../parse/ids';
import { findSkill, repositoryOf, type SkillSource } from './discover';
import { ANSWERED_EXIT_CODES, INDEX_KINDS, PARSERS, SKILL_CHECKS, type RawSkillFinding, type SkillCheckName } from './findings';
import { runSkillScript, type ScriptRun, type SkillSettings } from './run';

export { SKILL_CHECKS, type SkillCheckName } from './findings';

/** Diagnostic `source` (and SARIF tool name) of the skill's findings. */
export const SKILL_SOURCE = 'sdlc-studio';

/** Each script's time limit unless the caller says otherwise (the real ones take 0.2–4.2 s). */
export const DEFAULT_SCRIPT_TIMEOUT_MS = 60_000;

/** A finding placed on its file. */
export interface SkillFinding extends Omit<RawSkillFinding, 'file'> {
  source: typeof SKILL_SOURCE;
  /** Relative to the project's sdlc_path, `/`-separated (a folder ends with `/`; `` = the sdlc-studio folder). */
  file_path: string;
  abs_path: string;
  /** The place is a folder (a missing `_index.md`: its type folder). */
  folder: boolean;
  /** The stored document at that path, when there is one. */
  doc_id: string | null;
  title: string | null;
  /** Zero-based line and character range. */
  line: number;
  start: number;
  end: number;
}

export type SkillCheckStatus = 'ok' | 'failed' | 'missing' | 'cancelled';

export interface SkillCheckRun {
  name: SkillCheckName;
  script: string;
  status: SkillCheckStatus;
  exit_code: number | null;
  duration_ms: number;
  findings: number;
  /** One line: why it failed. */
  error: string | null;
}

/**
 * `ok`: every check answered; `partial`: some failed; `failed`: none answered; `not-found`: the skill
 * is not installed (writing.md §1); `cancelled`: a newer run or sync of the project stopped it;
 * `no-folder`: the project has no sdlc-studio folder.
 */
export type SkillCheckState = 'ok' | 'partial' | 'failed' | 'not-found' | 'cancelled' | 'no-folder';

export interface SkillCheckReport {
  project_slug: string;
  source: typeof SKILL_SOURCE;
  state: SkillCheckState;
  skill: { dir: string; source: SkillSource; version: string | null } | null;
  checked_at: string;
  duration_ms: number;
  checks: SkillCheckRun[];
  findings: SkillFinding[];
  summary: Record<Severity, number>;
  /** One line for the log and the Health node when the state is not `ok`; null when it is. */
  error: string | null;
}

export interface SkillCheckOptions {
  /** Answer the latest report (or the run under way) instead of running again when there is one. */
  cached?: boolean;
  /** Each script's time limit (default 60 s). */
  timeoutMs?: number;
}

export interface SkillCheckDeps {
  /** The project's folder; throws LensError NOT_FOUND for an unknown slug. */
  project(slug: string): { sdlc_path: string | null };
  documents(slug: string): DocumentSummary[];
  settings(): SkillSettings;
  /** The home folder discovery looks in (tests: a temp folder or null); default os.homedir(). */
  home?: string | null;
}

const NOT_INSTALLED = 'the sdlc-studio skill is not installed (looked at the skill path setting, in the repository and in the home folder)';

const emptySummary = (): Record<Severity, number> => ({ critical: 0, high: 0, medium: 0, low: 0 });

const TYPE_FOLDER: ReadonlyMap<string, string> = new Map(DOC_TYPES.filter((d) => d.folder).map((d) => [d.type, d.folder!]));

const lastLine = (s: string): string => s.trim().split(/\r?\n/).pop()?.trim().slice(0, 300) ?? '';

/** Why one script's run is not an answer (null: it is). */
function failureOf(script: string, r: ScriptRun, timeoutMs: number): string | null {
  if (r.failure === 'timeout') return `${script} timed out after ${Math.round(timeoutMs / 100) / 10} s`;
  if (r.failure === 'spawn') return `${script}: the interpreter could not start (${r.error ?? 'unknown error'})`;
  if (r.failure === 'cancelled') return `${script} was cancelled`;
  const tail = lastLine(r.stderr);
  if (r.code === null || !ANSWERED_EXIT_CODES.has(r.code)) return `${script} exited with ${r.code ?? 'a signal'}${tail ? `: ${tail}` : ''}`;
  if (r.json === undefined) return `${script} gave no JSON answer (exit ${r.code})${tail ? `: ${tail}` : ''}`;
  return null;
}

/** Places raw findings on the project's files (read here: in the worker, never the editor's thread). */
export class FindingPlacer {
  private readonly byId = new Map<string, DocumentSummary>();
  private readonly byPath = new Map<string, DocumentSummary>();
  private readonly lines = new Map<string, string[] | null>();
  private readonly projectFile: string | null;
  private readonly realSdlc: string;

  constructor(
    private readonly sdlcPath: string,
    docs: readonly DocumentSummary[],
  ) {
    for (const d of docs) {
      this.byPath.set(d.file_path, d);
      for (const key of [normId(d.doc_id), normId(idHead(path.posix.basename(d.file_path)))]) if (key && !this.byId.has(key)) this.byId.set(key, d);
    }
    this.projectFile = projectFileOf(docs);
    let real = sdlcPath;
    try {
      real = fs.realpathSync(sdlcPath);
    } catch {
      /* the folder is gone: paths are matched as given */
    }
    this.realSdlc = real;
  }

  place(raw: RawSkillFinding): SkillFinding {
    const { file: _file, ...rest } = raw;
    const at = this.where(raw);
    const doc = at.folder ? undefined : this.byPath.get(at.file_path);
    const span = at.folder ? { line: 0, start: 0, end: 0 } : this.span(at.file_path, raw, at.row);
    return {
      ...rest,
      source: SKILL_SOURCE,
      file_path: at.file_path,
      abs_path: at.file_path === '' ? this.sdlcPath : path.join(this.sdlcPath, ...at.file_path.replace(/\/$/, '').split('/')),
      folder: at.folder,
      doc_id: doc?.doc_id ?? null,
      title: doc?.title ?? null,
      ...span,
    };
  }

  private doc(id: string | null): DocumentSummary | undefined {
    const key = normId(id);
    return key ? this.byId.get(key) : undefined;
  }

  private relative(file: string): string | null {
    if (!path.isAbsolute(file)) return null;
    for (const base of [this.sdlcPath, this.realSdlc]) {
      const r = pathInside(base, file);
      if (r !== null) return r;
    }
    return null;
  }

  private exists(rel: string): boolean {
    try {
      return fs.statSync(path.join(this.sdlcPath, ...rel.split('/'))).isFile();
    } catch {
      return false;
    }
  }

  /** The type's `_index.md`, or its folder when the index is missing; null for an unknown type. */
  private index(type: string | null): { file_path: string; folder: boolean } | null {
    const folder = type ? TYPE_FOLDER.get(type) : undefined;
    if (!folder) return null;
    const index = `${folder}/_index.md`;
    return this.exists(index) ? { file_path: index, folder: false } : { file_path: `${folder}/`, folder: true };
  }

  private projectLevel(): { file_path: string; folder: boolean } {
    return this.projectFile ? { file_path: this.projectFile, folder: false } : { file_path: '', folder: true };
  }

  private where(raw: RawSkillFinding): { file_path: string; folder: boolean; row?: string } {
    if (raw.file) {
      const rel = this.relative(raw.file);
      if (rel && raw.check === 'validate') return { file_path: rel, folder: false };
    }
    if (raw.check === 'reconcile' && INDEX_KINDS.has(raw.code)) {
      const index = this.index(raw.type);
      if (index) return { ...index, row: raw.id ?? undefined };
    }
    const doc = this.doc(raw.id);
    if (doc) return { file_path: doc.file_path, folder: false };
    const index = raw.check === 'reconcile' ? this.index(raw.type) : null;
    if (index) return { ...index, row: raw.id ?? undefined };
    return this.projectLevel();
  }

  private fileLines(rel: string): string[] | null {
    if (!this.lines.has(rel)) {
      let lines: string[] | null = null;
      try {
        lines = splitLines(fs.readFileSync(path.join(this.sdlcPath, ...rel.split('/')), 'utf8'));
      } catch {
        /* unreadable: line 0 */
      }
      this.lines.set(rel, lines);
    }
    return this.lines.get(rel)!;
  }

  private span(rel: string, raw: RawSkillFinding, row: string | undefined): LineSpan {
    const lines = this.fileLines(rel);
    if (!lines) return { line: 0, start: 0, end: 0 };
    const lineSpan = (i: number): LineSpan => {
      const text = lines[i]!;
      const start = text.length - text.trimStart().length;
      return { line: i, start, end: Math.max(start, text.trimEnd().length) };
    };
    if (row) {
      // the row of the id in an index table (any written form: US0001, US-0001)
      const want = normId(row);
      const i = lines.findIndex((l) => l.trimStart().startsWith('|') && want !== null && (normId(l.replace(/[|[\]()]/g, ' '))?.includes(want) ?? false));
      if (i >= 0) return lineSpan(i);
      return fieldOrTitleSpan(lines, null);
    }
    if (raw.check === 'validate') {
      // "unresolved placeholder in body: **Story Points:** {{TBD}}": the line holding that text
      const quoted = /:\s+(.*\{\{[^}]*\}\}.*)$/.exec(raw.message)?.[1]?.trim();
      if (quoted) {
        const i = lines.findIndex((l) => l.includes(quoted));
        if (i >= 0) return lineSpan(i);
      }
      return fieldOrTitleSpan(lines, null);
    }
    // a dangling link: its field's line; a missing one: the title
    return fieldOrTitleSpan(lines, raw.check === 'integrity' && raw.code === 'missing-required' ? null : raw.field);
  }
}

interface Job {
  ac: AbortController;
  done: Promise<SkillCheckReport>;
}

export class SkillChecks {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly jobs = new Map<string, Job>();
  private readonly latest = new Map<string, SkillCheckReport>();

  constructor(private readonly deps: SkillCheckDeps) {}

  /**
   * The checks of one project: runs them (after any other project's run: one at a time), cancelling
   * an older run of the same project. Never rejects for the scripts' own failures (they are in the
   * report); throws LensError NOT_FOUND for an unknown project, before anything runs.
   */
  run(slug: string, options: SkillCheckOptions = {}): Promise<SkillCheckReport> {
    this.deps.project(slug); // NOT_FOUND now, not inside the queue
    if (options.cached) {
      const job = this.jobs.get(slug);
      if (job) return job.done;
      const last = this.latest.get(slug);
      if (last) return Promise.resolve(last);
    }
    this.jobs.get(slug)?.ac.abort();
    const ac = new AbortController();
    const done = this.tail
      .then(() => this.execute(slug, ac.signal, options.timeoutMs ?? DEFAULT_SCRIPT_TIMEOUT_MS))
      .catch((e: unknown) => this.report(slug, 'failed', null, [], [], Date.now(), `sdlc-studio checks failed: ${(e as Error)?.message ?? String(e)}`))
      .then((r) => {
        if (r.state !== 'cancelled') this.latest.set(slug, r);
        if (this.jobs.get(slug)?.done === done) this.jobs.delete(slug);
        return r;
      });
    this.tail = done;
    this.jobs.set(slug, { ac, done });
    return done;
  }

  /** The latest finished report of a project, if any. */
  last(slug: string): SkillCheckReport | undefined {
    return this.latest.get(slug);
  }

  /** Stops a project's running or queued run (a newer sync started). */
  cancel(slug: string): void {
    this.jobs.get(slug)?.ac.abort();
  }

  /** A removed project: stop its run and drop its report. */
  forget(slug: string): void {
    this.cancel(slug);
    this.latest.delete(slug);
  }

  cancelAll(): Promise<void> {
    for (const j of this.jobs.values()) j.ac.abort();
    return Promise.all([...this.jobs.values()].map((j) => j.done)).then(() => undefined);
  }

  private report(
    slug: string,
    state: SkillCheckState,
    skill: SkillCheckReport['skill'],
    checks: SkillCheckRun[],
    findings: SkillFinding[],
    t0: number,
    error: string | null,
  ): SkillCheckReport {
    const summary = emptySummary();
    for (const f of findings) summary[f.severity]++;
    return { project_slug: slug, source: SKILL_SOURCE, state, skill, checked_at: new Date().toISOString(), duration_ms: Date.now() - t0, checks, findings, summary, error };
  }

  private async execute(slug: string, signal: AbortSignal, timeoutMs: number): Promise<SkillCheckReport> {
    const t0 = Date.now();
    if (signal.aborted) return this.report(slug, 'cancelled', null, [], [], t0, 'cancelled by a newer sync');
    const sdlcPath = this.deps.project(slug).sdlc_path;
    if (!sdlcPath) return this.report(slug, 'no-folder', null, [], [], t0, 'the project has no sdlc-studio folder');
    const repo = repositoryOf(sdlcPath);
    const settings = this.deps.settings();
    const found = findSkill({ repoRoot: repo, settingPath: settings.path, home: this.deps.home, trustRepository: settings.trustRepository });
    if (!found) return this.report(slug, 'not-found', null, [], [], t0, NOT_INSTALLED);
    const skill = { dir: found.dir, source: found.source, version: found.version };
    const checks: SkillCheckRun[] = [];
    const raw: RawSkillFinding[] = [];
    for (const c of SKILL_CHECKS) {
      if (signal.aborted) return this.report(slug, 'cancelled', skill, checks, [], t0, 'cancelled by a newer sync');
      const base = { name: c.name, script: c.script };
      if (!fs.existsSync(path.join(found.scripts, c.script))) {
        checks.push({ ...base, status: 'missing', exit_code: null, duration_ms: 0, findings: 0, error: `${c.script} is not in this version of the skill` });
        continue;
      }
      const r = await runSkillScript(found, settings.python, c.script, [...c.args, '--root', repo, '--format', 'json'], { timeoutMs, signal, cwd: repo });
      if (r.failure === 'cancelled' || signal.aborted) return this.report(slug, 'cancelled', skill, checks, [], t0, 'cancelled by a newer sync');
      let error = failureOf(c.script, r, timeoutMs);
      const parsed = error ? null : PARSERS[c.name](r.json);
      if (!error && !parsed) error = `${c.script} answered JSON of an unknown shape`;
      if (error || !parsed) {
        checks.push({ ...base, status: 'failed', exit_code: r.code, duration_ms: r.durationMs, findings: 0, error });
        continue;
      }
      raw.push(...parsed);
      checks.push({ ...base, status: 'ok', exit_code: r.code, duration_ms: r.durationMs, findings: parsed.length, error: null });
    }
    const placer = new FindingPlacer(sdlcPath, this.deps.documents(slug));
    const findings = raw.map((f) => placer.place(f));
    const failed = checks.filter((c) => c.status !== 'ok');
    const state: SkillCheckState = failed.length === 0 ? 'ok' : failed.length === checks.length ? 'failed' : 'partial';
    return this.report(slug, state, skill, checks, findings, t0, failed.length ? failed.map((c) => c.error).join('; ') : null);
  }
}

