// Where each health finding is shown in the editor, computed in the engine (the extension's worker):
// which file, which header field, and the line/range in that file. Files are read here, never on the
// editor's thread; a span is re-read only when its file's size, mtime or inode changed. The result
// carries a hash (equal hash = nothing to re-publish) and a signature per file (re-publish only the
// files whose diagnostics changed). Pure of vscode; the extension turns it into Diagnostics.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nextTurn } from '../nextTurn';
import { locate } from './formats';
import { ruleById, type Severity } from './rules';
import { HEAD_BYTES } from '../parse/document';
import { decidingHeadLines, fieldOrTitleSpan, splitLines, type LineSpan } from './text';
import type { AffectedDocumentAt, HealthFinding, HealthReport } from './types';

/** Header field whose line a rule's diagnostic covers; null = the title line (the field is missing). */
const RULE_FIELD: Readonly<Record<string, string>> = Object.freeze({
  STATUS_MISMATCH: 'Status',
  STALE_ARTEFACT_STATUS: 'Status',
  UNTRIAGED_INBOX: 'Status',
});

/** The field and id of an ORPHAN_REFERENCE finding (from its message: "… references story US0099, …"). */
export function orphanOf(f: Pick<HealthFinding, 'rule_id' | 'message'>): { field: 'Epic' | 'Story'; ref: string } | null {
  if (f.rule_id !== 'ORPHAN_REFERENCE') return null;
  const m = /references (epic|story) ([A-Za-z0-9-]+),/.exec(f.message);
  if (!m) return null;
  return { field: m[1] === 'epic' ? 'Epic' : 'Story', ref: m[2]! };
}

export interface Placement {
  /** Absolute path of the file (or, with `folder`, the sdlc-studio folder) the finding is shown on. */
  absPath: string;
  folder: boolean;
  finding: HealthFinding;
  /** The affected document at that path; null for a project-level finding. */
  doc: AffectedDocumentAt | null;
  /** Header field to highlight (null: the title line). */
  field: string | null;
}

/**
 * The project-level file: its PRD, else its TRD, else its first document (by path); null when it
 * has none (the finding then sits on the sdlc-studio folder).
 */
export function projectFileOf(docs: readonly { type: string; file_path: string }[]): string | null {
  const byPath = [...docs].sort((a, b) => (a.file_path < b.file_path ? -1 : a.file_path > b.file_path ? 1 : 0));
  return byPath.find((d) => d.type === 'prd')?.file_path ?? byPath.find((d) => d.type === 'trd')?.file_path ?? byPath[0]?.file_path ?? null;
}

/** The absolute path a document's diagnostics are placed on (FileDiagnostics.absPath): `relPath` is '/'-separated, relative to the folder. */
export const placedPath = (sdlcPath: string, relPath: string): string => path.resolve(sdlcPath, ...relPath.split('/'));

/** A '/'-separated relative path of plain segments (no '', '.', '..', '\\' or ':'), as the sync stores them. */
const PLAIN_REL = /^(?:\.?[^/\\.:][^/\\:]*)(?:\/\.?[^/\\.:][^/\\:]*)*$/;

/**
 * placedPath for the paths a report names, without path.resolve/relative per path where it cannot
 * differ: a plain relative path under a normalized absolute folder is the folder, the separator and
 * the path (at 11.7k documents 5,000 placements: ~40 of the ~130 ms a computation took).
 */
function plainPlacer(sdlcPath: string): ((relPath: string) => string | null) | null {
  if (!path.isAbsolute(sdlcPath) || path.normalize(sdlcPath) !== sdlcPath || sdlcPath.endsWith(path.sep)) return null;
  const prefix = sdlcPath + path.sep;
  return (rel) => (PLAIN_REL.test(rel) ? prefix + (path.sep === '/' ? rel : rel.split('/').join(path.sep)) : null);
}

/** Every place a report's findings are shown: one per affected document, one per project-level finding. */
export function placements(report: HealthReport, sdlcPath: string, projectFile: string | null): Placement[] {
  const out: Placement[] = [];
  const plain = plainPlacer(sdlcPath);
  for (const f of report.findings) {
    const field = orphanOf(f)?.field ?? RULE_FIELD[f.rule_id] ?? null;
    const docs = f.affected_documents;
    const fast = plain && docs.length ? docs.map((d) => plain(d.file_path)) : null;
    if (fast?.every((abs) => abs !== null)) {
      docs.forEach((doc, i) => out.push({ absPath: fast[i]!, folder: false, finding: f, doc, field }));
      continue;
    }
    for (const { doc, at } of locate(f, { sdlcPath, baseDir: sdlcPath, projectFile })) {
      const absPath = at.folder ? sdlcPath : placedPath(sdlcPath, at.relPath);
      out.push({ absPath, folder: at.folder, finding: f, doc, field });
    }
  }
  return out;
}

/** The diagnostic's text: the finding's message and its specific fix. */
export function diagnosticMessage(f: HealthFinding): string {
  const title = ruleById(f.rule_id)?.title;
  return `${f.message}${f.suggested_fix ? ` Fix: ${f.suggested_fix}` : ''}${title ? ` (${title})` : ''}`;
}

/** One diagnostic, placed. */
export interface PlacedDiagnostic extends LineSpan {
  rule_id: string;
  severity: Severity;
  message: string;
  /** The header field it covers (null: the title line), to re-place it in an editor's unsaved text. */
  field: string | null;
}

/** One file's diagnostics; `sig` changes exactly when they do. */
export interface FileDiagnostics {
  absPath: string;
  /** The sdlc-studio folder itself (a project-level finding of a project without documents). */
  folder: boolean;
  sig: string;
  diagnostics: PlacedDiagnostic[];
}

export type HealthDiagnosticsResult =
  | { unchanged: true; hash: string; reads: number }
  | { unchanged: false; hash: string; reads: number; report: HealthReport; projectFile: string | null; files: FileDiagnostics[] };

/** Which files' diagnostics an answer carries: every file's, or those at these absolute paths. */
export type FileSelection = 'all' | readonly string[];

/** The diagnostics of a computation's files; `stale` when the hash is not the latest computation's. */
export type HealthFilesResult = { stale: false; files: FileDiagnostics[] } | { stale: true };

/** The files of `files` that `which` selects. */
export function selectFiles(files: FileDiagnostics[], which: FileSelection): FileDiagnostics[] {
  if (which === 'all') return files;
  const wanted = new Set(which);
  return files.filter((f) => wanted.has(f.absPath));
}

const sha = (s: string) => createHash('sha1').update(s).digest('base64').slice(0, 22);

/**
 * Files placed between two turns of the event loop. A computation at 11.7k documents (3,200 files)
 * held the engine's thread 130–400 ms in one piece, and a tree row asked right after a saved file's
 * sync waited behind it (saved file → row 300–600 ms in half the runs); a slice is a few ms.
 */
export const PLACE_SLICE = 250;

/**
 * The lines of the file at `abs` (`size` bytes) that its spans need: its head (`headBytes`, grown ×4)
 * once decidingHeadLines finds the head decides them, else the whole file. Read whole, the files of a
 * health computation after a cold sync of 11.7k documents (3,200 of them) were decoded and split
 * into ~45 MB of strings the engine's thread then collected.
 */
function spanLines(abs: string, size: number, headBytes: number): string[] {
  const fd = fs.openSync(abs, 'r');
  try {
    for (let want = headBytes; want < size; want *= 4) {
      const buf = Buffer.allocUnsafe(want);
      const n = fs.readSync(fd, buf, 0, want, 0);
      const lines = decidingHeadLines(buf.subarray(0, n));
      if (lines) return lines;
      if (n < want) break; // the file is shorter than its stat said: read it whole
    }
    return splitLines(fs.readFileSync(fd, 'utf8'));
  } finally {
    fs.closeSync(fd);
  }
}

/** Spans of a file's fields, kept while the file's stat is unchanged. */
export class SpanCache {
  private readonly files = new Map<string, { stat: string; lines: string[] | null; spans: Map<string, LineSpan> }>();
  /** Files read (not served from the cache) so far; a test hook. */
  reads = 0;

  /** `headBytes`: how much of a file's head is read first (tests shrink it). */
  constructor(private readonly headBytes = HEAD_BYTES) {}

  /** Spans of `fields` (null: the title) in one file, or null when it cannot be read. */
  spans(abs: string, fields: Iterable<string | null>): Map<string, LineSpan> | null {
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      this.files.delete(abs);
      return null;
    }
    const stat = `${st.size}:${st.mtimeMs}:${st.ino}`;
    let entry = this.files.get(abs);
    if (!entry || entry.stat !== stat) {
      entry = { stat, lines: null, spans: new Map() };
      this.files.set(abs, entry);
    }
    for (const field of fields) {
      const key = field ?? '';
      if (entry.spans.has(key)) continue;
      if (!entry.lines) {
        try {
          entry.lines = spanLines(abs, st.size, this.headBytes);
          this.reads++;
        } catch {
          this.files.delete(abs);
          return null;
        }
      }
      entry.spans.set(key, fieldOrTitleSpan(entry.lines, field));
    }
    entry.lines = null; // spans are kept, the text is not
    return entry.spans;
  }

  /** Forgets files no longer shown. */
  retain(keep: ReadonlySet<string>): void {
    for (const k of [...this.files.keys()]) if (!keep.has(k)) this.files.delete(k);
  }
}

/** A report placed: its diagnostics per file and the hash of all of it. */
type PlacedReport = Extract<HealthDiagnosticsResult, { unchanged: false }>;

/**
 * Diagnostics of a report, per file, with their spans, and a hash that changes exactly when the
 * report's findings, the project file or a span does. `reads` counts the files read for this answer
 * (unchanged files are not).
 */
export async function placeDiagnostics(report: HealthReport, sdlcPath: string, projectFile: string | null, cache: SpanCache): Promise<PlacedReport> {
  const readsBefore = cache.reads;
  const byFile = new Map<string, { folder: boolean; places: Placement[] }>();
  for (const p of placements(report, sdlcPath, projectFile)) {
    const f = byFile.get(p.absPath) ?? { folder: p.folder, places: [] };
    f.places.push(p);
    byFile.set(p.absPath, f);
  }
  const files: FileDiagnostics[] = [];
  for (const [absPath, { folder, places }] of byFile) {
    if (files.length % PLACE_SLICE === 0) await nextTurn(); // the thread answers other requests meanwhile
    const spans = folder ? null : cache.spans(absPath, new Set(places.map((p) => p.field)));
    const diagnostics = places.map((p): PlacedDiagnostic => {
      const span = spans?.get(p.field ?? '') ?? { line: 0, start: 0, end: 0 };
      return {
        line: span.line,
        start: span.start,
        end: Math.max(span.end, span.start),
        rule_id: p.finding.rule_id,
        severity: p.finding.severity,
        message: diagnosticMessage(p.finding),
        field: p.field,
      };
    });
    files.push({ absPath, folder, sig: sha(JSON.stringify(diagnostics)), diagnostics });
  }
  cache.retain(new Set(byFile.keys()));
  const { checked_at: _when, ...stable } = report;
  const hash = sha(JSON.stringify([stable, projectFile, files.map((f) => [f.absPath, f.sig])]));
  return { unchanged: false, hash, reads: cache.reads - readsBefore, report, projectFile, files };
}

/**
 * placeDiagnostics per project, keeping each project's latest placed files (in the engine's
 * thread), so that a caller takes only the files it shows, when it shows them (healthFiles): the
 * extension's Problems panel holds the open files' findings by default, and the whole set crossed
 * to the extension host's thread on every computation (at 11.7k documents 3,200 files, 2.4 MB of
 * the answer's 4.9 MB serialized, ~4 MB of objects on a thread every extension shares).
 */
export class DiagnosticsPlacer {
  private readonly spans: SpanCache;
  private readonly latest = new Map<string, { hash: string; files: FileDiagnostics[] }>();

  constructor(headBytes = HEAD_BYTES) {
    this.spans = new SpanCache(headBytes);
  }

  /**
   * placeDiagnostics for `slug`, kept as its latest; the answer carries the files `which` selects (all
   * by default), or only the hash when it is `since` (the one the caller already shows).
   */
  async place(slug: string, report: HealthReport, sdlcPath: string, projectFile: string | null, since?: string, which: FileSelection = 'all'): Promise<HealthDiagnosticsResult> {
    const all = await placeDiagnostics(report, sdlcPath, projectFile, this.spans);
    this.latest.set(slug, { hash: all.hash, files: all.files });
    if (since === all.hash) return { unchanged: true, hash: all.hash, reads: all.reads };
    return { ...all, files: selectFiles(all.files, which) };
  }

  /** The files `which` selects of `slug`'s latest computation, when it is the one of `hash`. */
  files(slug: string, hash: string, which: FileSelection): HealthFilesResult {
    const last = this.latest.get(slug);
    return last && last.hash === hash ? { stale: false, files: selectFiles(last.files, which) } : { stale: true };
  }

  /** A project without a folder, or removed: nothing kept. */
  forget(slug: string): void {
    this.latest.delete(slug);
  }
}
