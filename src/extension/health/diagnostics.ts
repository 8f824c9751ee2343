// Findings in the Problems panel: one Diagnostic per affected document (project-level ones on the
// PRD/TRD). Two sources publish through this one class: the lens's health check (source "SDLC Lens",
// code = rule id linking to its explanation) and sdlc-studio's own checks (source "sdlc-studio", code
// = the script's rule or kind; see skillChecks.ts). Both follow `sdlcLens.health.diagnostics` (the
// documents open in an editor, every document, or none) and `sdlcLens.health.minimumSeverity`.
// The engine's worker has already read the files and placed every diagnostic (src/core/health/
// placement.ts) and keeps them: a publication asks for the open files' only (or every file's, with
// the "workspace" scope); only the files whose diagnostics changed are re-published, in slices that
// yield to the event loop, so a large report never holds the extension host.
import * as vscode from 'vscode';
import { severityRank } from '../../core/health';
import type { FileDiagnostics, FileSelection, PlacedDiagnostic } from '../../core/health/placement';
import { fieldOrTitleSpan, splitLines } from '../../core/health/text';
import { messageOf } from '../../core/errors';
import type { ExtensionLog } from '../log';
import { readHealthConfig } from './config';
import type { HealthModel, ProjectHealth } from './model';
import type { OpenFiles } from './openFiles';
import { DIAGNOSTIC_SOURCE, editorSeverity, ruleDocUrl } from './placement';

/** Files published per slice before yielding to the event loop. */
export const DIAGNOSTIC_SLICE = 200;

const DIRTY = '\0dirty';
const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What one project publishes: its folder (for the settings' scope) and its placed diagnostics. */
export interface PublishTarget {
  sdlcPath: string;
  /** The placed diagnostics of (at least) the files `which` selects; undefined: a newer report follows. */
  files(which: FileSelection): Promise<readonly FileDiagnostics[] | undefined>;
}

export interface DiagnosticSourceOptions {
  /** The DiagnosticCollection's name. */
  collection: string;
  /** Diagnostic.source. */
  source: string;
  /** The code's link (undefined: a plain code). */
  codeTarget?: (code: string) => vscode.Uri | undefined;
  /** Re-place diagnostics in an editor's unsaved text by their header field (the health check's). */
  replaceInUnsaved: boolean;
}

const HEALTH_SOURCE: DiagnosticSourceOptions = {
  collection: 'sdlcLens.health',
  source: DIAGNOSTIC_SOURCE,
  codeTarget: (rule) => vscode.Uri.parse(ruleDocUrl(rule)),
  replaceInUnsaved: true,
};

export class DiagnosticsPublisher implements vscode.Disposable {
  readonly collection: vscode.DiagnosticCollection;
  /** The files each project's diagnostics were published on, with the signature published. */
  private readonly published = new Map<string, Map<string, string>>();
  /** Bumped per publication, so an older publication still in its slices stops. */
  private readonly generation = new Map<string, number>();
  /** Test hook: files (re)published so far. */
  totalPublished = 0;
  private disposed = false;

  constructor(
    protected readonly openFiles: Pick<OpenFiles, 'has' | 'paths'>,
    private readonly options: DiagnosticSourceOptions,
  ) {
    this.collection = vscode.languages.createDiagnosticCollection(options.collection);
  }

  dispose(): void {
    this.disposed = true;
    this.collection.dispose();
  }

  /**
   * Publishes (or clears, with no target) one project's diagnostics, within the settings' scope.
   * `openFilesChanged`: called because editors opened or closed, which outside the "openFiles" scope
   * changes only the files placed in an editor's unsaved text (a closed one reverts to the file's);
   * with none, nothing is asked of the worker (it would send every file's again).
   */
  async publish(slug: string, target: PublishTarget | undefined, openFilesChanged = false): Promise<void> {
    const cfg = target ? readHealthConfig(vscode.Uri.file(target.sdlcPath)) : undefined;
    if (openFilesChanged && cfg?.diagnostics !== 'openFiles' && !this.showsUnsavedText(slug)) return;
    const gen = (this.generation.get(slug) ?? 0) + 1;
    this.generation.set(slug, gen);
    if (!target || !cfg || cfg.diagnostics === 'off') {
      this.clear(slug);
      return;
    }
    const floor = severityRank(cfg.minimumSeverity);
    const onlyOpen = cfg.diagnostics === 'openFiles';
    const which: FileSelection = onlyOpen ? this.openFiles.paths() : 'all';
    const files = which === 'all' || which.length ? await target.files(which) : [];
    if (this.disposed || this.generation.get(slug) !== gen || !files) return; // a newer report is being (or will be) published
    // What the collection holds for this project, kept exact as files are set (a publication that
    // stops for a newer one leaves it true).
    const shown = this.published.get(slug) ?? new Map<string, string>();
    this.published.set(slug, shown);
    const wanted = new Set<string>();
    const open = this.options.replaceInUnsaved ? dirtyDocuments() : new Map<string, vscode.TextDocument>();
    const changed: [vscode.Uri, string, PlacedDiagnostic[], string, vscode.TextDocument | undefined][] = [];
    for (const f of files) {
      if (onlyOpen && (f.folder || !this.openFiles.has(f.absPath))) continue;
      const diagnostics = f.diagnostics.filter((d) => severityRank(d.severity) <= floor);
      if (!diagnostics.length) continue;
      const uri = vscode.Uri.file(f.absPath);
      const key = uri.toString();
      const sig = `${f.sig}|${cfg.minimumSeverity}`;
      const dirty = f.folder ? undefined : open.get(uri.fsPath);
      wanted.add(key);
      if (shown.get(key) !== sig || dirty) changed.push([uri, key, diagnostics, sig, dirty]);
    }
    for (const key of [...shown.keys()]) {
      if (wanted.has(key)) continue;
      this.collection.delete(vscode.Uri.parse(key));
      shown.delete(key);
    }
    for (let i = 0; i < changed.length; i++) {
      if (i > 0 && i % DIAGNOSTIC_SLICE === 0) {
        await yieldTurn();
        if (this.disposed || this.generation.get(slug) !== gen) return; // a newer report is being published
      }
      const [uri, key, diagnostics, sig, dirty] = changed[i]!;
      const lines = dirty ? splitLines(dirty.getText()) : null;
      this.collection.set(uri, diagnostics.map((d) => this.toDiagnostic(d, lines)));
      shown.set(key, dirty ? DIRTY : sig);
      this.totalPublished++;
    }
  }

  /** Whether some of a project's files show diagnostics placed in an editor's unsaved text. */
  private showsUnsavedText(slug: string): boolean {
    for (const sig of this.published.get(slug)?.values() ?? []) if (sig === DIRTY) return true;
    return false;
  }

  /** Removes one project's diagnostics (and stops a publication of them in progress). */
  clear(slug: string): void {
    this.generation.set(slug, (this.generation.get(slug) ?? 0) + 1);
    for (const key of this.published.get(slug)?.keys() ?? []) this.collection.delete(vscode.Uri.parse(key));
    this.published.delete(slug);
  }

  /** A placed diagnostic as the editor's; with `lines` (an editor's unsaved text) re-placed in them. */
  private toDiagnostic(p: PlacedDiagnostic, lines: string[] | null): vscode.Diagnostic {
    const span = lines ? fieldOrTitleSpan(lines, p.field) : p;
    const d = new vscode.Diagnostic(
      new vscode.Range(span.line, span.start, span.line, Math.max(span.end, span.start)),
      p.message,
      vscode.DiagnosticSeverity[editorSeverity(p.severity)],
    );
    d.source = this.options.source;
    const target = this.options.codeTarget?.(p.rule_id);
    d.code = target ? { value: p.rule_id, target } : p.rule_id;
    return d;
  }
}

/** The health check's findings (source "SDLC Lens"), following the HealthModel. */
export class HealthDiagnostics extends DiagnosticsPublisher {
  constructor(
    private readonly model: HealthModel,
    private readonly log: Pick<ExtensionLog, 'warn'>,
    openFiles: Pick<OpenFiles, 'has' | 'paths'>,
  ) {
    super(openFiles, HEALTH_SOURCE);
  }

  /** Publishes (or clears) one project's diagnostics from its latest report. */
  show(slug: string, health: ProjectHealth | undefined, openFilesChanged = false): Promise<void> {
    return this.publish(slug, health && { sdlcPath: health.project.sdlc_path, files: (which) => this.model.files(slug, which, health) }, openFilesChanged);
  }

  /** Re-publishes every project the model knows (after a settings change, or, `openFilesChanged`, editors opened or closed). */
  async showAll(slugs: Iterable<string>, openFilesChanged = false): Promise<void> {
    await Promise.all(
      [...slugs].map(async (slug) => {
        try {
          await this.show(slug, await this.model.get(slug), openFilesChanged);
        } catch (e) {
          this.log.warn(`showing the health findings of ${slug} failed: ${messageOf(e)}`);
        }
      }),
    );
  }
}

/** Editors with unsaved changes, by file path: their text, not the file's, places the diagnostics. */
function dirtyDocuments(): Map<string, vscode.TextDocument> {
  const out = new Map<string, vscode.TextDocument>();
  for (const d of vscode.workspace.textDocuments) if (d.isDirty && d.uri.scheme === 'file') out.set(d.uri.fsPath, d);
  return out;
}
