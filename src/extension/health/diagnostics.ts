// Health findings in the Problems panel: one Diagnostic per affected document (project-level ones on
// the PRD/TRD), source "SDLC Lens", code = rule id linking to its explanation. Follows the HealthModel;
// cleared for a removed project and entirely while `sdlcLens.health.diagnostics` is off.
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import type { ExtensionLog } from '../log';
import { messageOf } from '../../core/errors';
import { readHealthConfig } from './config';
import type { HealthModel, ProjectHealth } from './model';
import { DIAGNOSTIC_SOURCE, diagnosticMessage, editorSeverity, placements, ruleDocUrl } from './placement';
import { fieldOrTitleSpan, splitLines } from './text';

export class HealthDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('sdlcLens.health');
  /** The files each project's diagnostics were published on. */
  private readonly published = new Map<string, Set<string>>();
  /** Bumped per publication, so a slow file read never overwrites a newer result. */
  private readonly generation = new Map<string, number>();

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
    if (!health || !readHealthConfig(health ? vscode.Uri.file(health.project.sdlc_path) : undefined).diagnostics) {
      this.clear(slug);
      return;
    }
    const byFile = new Map<string, vscode.Diagnostic[]>();
    const texts = new Map<string, Promise<string[] | null>>();
    const lines = (abs: string) => {
      let p = texts.get(abs);
      if (!p) texts.set(abs, (p = readLines(abs)));
      return p;
    };
    for (const place of placements(health.report, health.project.sdlc_path, health.projectFile)) {
      const text = place.folder ? null : await lines(place.absPath);
      const span = text ? fieldOrTitleSpan(text, place.field) : { line: 0, start: 0, end: 0 };
      const d = new vscode.Diagnostic(
        new vscode.Range(span.line, span.start, span.line, Math.max(span.end, span.start)),
        diagnosticMessage(place.finding),
        vscode.DiagnosticSeverity[editorSeverity(place.finding.severity)],
      );
      d.source = DIAGNOSTIC_SOURCE;
      d.code = { value: place.finding.rule_id, target: vscode.Uri.parse(ruleDocUrl(place.finding.rule_id)) };
      const key = vscode.Uri.file(place.absPath).toString();
      const list = byFile.get(key) ?? [];
      list.push(d);
      byFile.set(key, list);
    }
    if (this.generation.get(slug) !== gen) return; // a newer report is being published
    const before = this.published.get(slug) ?? new Set<string>();
    for (const key of before) if (!byFile.has(key)) this.collection.delete(vscode.Uri.parse(key));
    for (const [key, list] of byFile) this.collection.set(vscode.Uri.parse(key), list);
    this.published.set(slug, new Set(byFile.keys()));
  }

  /** Removes one project's diagnostics. */
  clear(slug: string): void {
    for (const key of this.published.get(slug) ?? []) this.collection.delete(vscode.Uri.parse(key));
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

/** The lines of a file: the open editor's text when there is one, else the file on disk; null if unreadable. */
async function readLines(abs: string): Promise<string[] | null> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === abs);
  if (open) return splitLines(open.getText());
  try {
    return splitLines(await fs.readFile(abs, 'utf8'));
  } catch {
    return null;
  }
}
