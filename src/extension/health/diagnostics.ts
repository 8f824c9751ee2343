// Health findings in the Problems panel: one Diagnostic per affected document (project-level ones on
// the PRD/TRD), source "SDLC Lens", code = rule id linking to its explanation. Follows the HealthModel;
// cleared for a removed project and entirely while `sdlcLens.health.diagnostics` is off.
// The engine's worker has already read the files and placed every diagnostic (src/core/health/
// placement.ts); here only the files whose diagnostics changed are re-published, in slices that yield
// to the event loop, so a large report never holds the extension host.
import * as vscode from 'vscode';
import type { FileDiagnostics, PlacedDiagnostic } from '../../core/health/placement';
import { fieldOrTitleSpan, splitLines } from '../../core/health/text';
import { messageOf } from '../../core/errors';
import type { ExtensionLog } from '../log';
import { readHealthConfig } from './config';
import type { HealthModel, ProjectHealth } from './model';
import { DIAGNOSTIC_SOURCE, editorSeverity, ruleDocUrl } from './placement';

/** Files published per slice before yielding to the event loop. */
export const DIAGNOSTIC_SLICE = 200;

const DIRTY = '\0dirty';
const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class HealthDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('sdlcLens.health');
  /** The files each project's diagnostics were published on, with the signature published. */
  private readonly published = new Map<string, Map<string, string>>();
  /** Bumped per publication, so an older publication still in its slices stops. */
  private readonly generation = new Map<string, number>();
  /** Test hook: files (re)published so far. */
  totalPublished = 0;

  constructor(
    private readonly model: HealthModel,
    private readonly log: Pick<ExtensionLog, 'warn'>,
  ) {}

  dispose(): void {
    this.collection.dispose();
  }

  /** Publishes (or clears) one project's diagnostics from its latest report. */
  async show(slug: string, health: ProjectHealth | undefined): Promise<void> {
    const gen = (this.generation.get(slug) ?? 0) + 1;
    this.generation.set(slug, gen);
    if (!health || !readHealthConfig(vscode.Uri.file(health.project.sdlc_path)).diagnostics) {
      this.clear(slug);
      return;
    }
    // What the collection holds for this project, kept exact as files are set (a publication that
    // stops for a newer one leaves it true).
    const shown = this.published.get(slug) ?? new Map<string, string>();
    this.published.set(slug, shown);
    const wanted = new Set<string>();
    const open = dirtyDocuments();
    const changed: [vscode.Uri, string, FileDiagnostics, vscode.TextDocument | undefined][] = [];
    for (const f of health.files) {
      const uri = vscode.Uri.file(f.absPath);
      const key = uri.toString();
      const dirty = f.folder ? undefined : open.get(uri.fsPath);
      wanted.add(key);
      if (shown.get(key) !== f.sig || dirty) changed.push([uri, key, f, dirty]);
    }
    for (const key of [...shown.keys()]) {
      if (wanted.has(key)) continue;
      this.collection.delete(vscode.Uri.parse(key));
      shown.delete(key);
    }
    for (let i = 0; i < changed.length; i++) {
      if (i > 0 && i % DIAGNOSTIC_SLICE === 0) {
        await yieldTurn();
        if (this.generation.get(slug) !== gen) return; // a newer report is being published
      }
      const [uri, key, f, dirty] = changed[i]!;
      const lines = dirty ? splitLines(dirty.getText()) : null;
      this.collection.set(uri, f.diagnostics.map((d) => toDiagnostic(d, lines)));
      shown.set(key, dirty ? DIRTY : f.sig);
      this.totalPublished++;
    }
  }

  /** Removes one project's diagnostics. */
  clear(slug: string): void {
    for (const key of this.published.get(slug)?.keys() ?? []) this.collection.delete(vscode.Uri.parse(key));
    this.published.delete(slug);
  }

  /** Re-publishes every project the model knows (after a settings change). */
  async showAll(slugs: Iterable<string>): Promise<void> {
    await Promise.all(
      [...slugs].map(async (slug) => {
        try {
          await this.show(slug, await this.model.get(slug));
        } catch (e) {
          this.log.warn(`showing the health findings of ${slug} failed: ${messageOf(e)}`);
        }
      }),
    );
  }
}

/** A placed diagnostic as the editor's; with `lines` (an editor's unsaved text) re-placed in them. */
function toDiagnostic(p: PlacedDiagnostic, lines: string[] | null): vscode.Diagnostic {
  const span = lines ? fieldOrTitleSpan(lines, p.field) : p;
  const d = new vscode.Diagnostic(
    new vscode.Range(span.line, span.start, span.line, Math.max(span.end, span.start)),
    p.message,
    vscode.DiagnosticSeverity[editorSeverity(p.severity)],
  );
  d.source = DIAGNOSTIC_SOURCE;
  d.code = { value: p.rule_id, target: vscode.Uri.parse(ruleDocUrl(p.rule_id)) };
  return d;
}

/** Editors with unsaved changes, by file path: their text, not the file's, places the diagnostics. */
function dirtyDocuments(): Map<string, vscode.TextDocument> {
  const out = new Map<string, vscode.TextDocument>();
  for (const d of vscode.workspace.textDocuments) if (d.isDirty && d.uri.scheme === 'file') out.set(d.uri.fsPath, d);
  return out;
}
