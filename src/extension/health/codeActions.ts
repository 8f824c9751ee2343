// Quick fixes for the health diagnostics whose remedy is mechanical. Each is a WorkspaceEdit the user
// chooses to apply; nothing here (nor the sync) writes a source file on its own.
//   MISSING_STATUS   → insert `> **Status:** Draft` into the header (the file's style and line endings)
//   ORPHAN_REFERENCE → "Change to <id>": the closest existing epics/stories by id
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import { DIAGNOSTIC_SOURCE, orphanOf } from './placement';
import { closestCandidates, insertStatusEdit, replaceReferenceEdit, type TextEdit } from './text';

type FixEngine = Pick<AsyncLensEngine, 'locate' | 'getProject' | 'documentsOfType'>;

export const FIX_KIND = vscode.CodeActionKind.QuickFix;

const ruleOf = (d: vscode.Diagnostic): string | undefined =>
  d.source === DIAGNOSTIC_SOURCE ? (typeof d.code === 'object' ? String(d.code.value) : d.code !== undefined ? String(d.code) : undefined) : undefined;

function toWorkspaceEdit(uri: vscode.Uri, e: TextEdit): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(e.line, e.start, e.line, e.end), e.newText);
  return edit;
}

export class HealthCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [FIX_KIND] };

  /**
   * `published`: the diagnostics this extension holds for a file. The workbench hands a provider the
   * markers it has at the range, and those reach it from the extension host asynchronously: Ctrl+.
   * right after a sync could come before them. Our own are read too, so the fix is there at once.
   */
  constructor(
    private readonly engine: FixEngine,
    private readonly published: (uri: vscode.Uri) => readonly vscode.Diagnostic[] = () => [],
  ) {}

  async provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    const key = (d: vscode.Diagnostic) => `${ruleOf(d)}\u0000${d.range.start.line}:${d.range.start.character}\u0000${d.message}`;
    const seen = new Set(context.diagnostics.map(key));
    const own = this.published(document.uri).filter((d) => d.range.intersection(range) !== undefined && !seen.has(key(d)));
    for (const diag of [...context.diagnostics, ...own]) {
      const rule = ruleOf(diag);
      if (rule === 'MISSING_STATUS') actions.push(this.statusFix(document, diag));
      else if (rule === 'ORPHAN_REFERENCE') actions.push(...(await this.referenceFixes(document, diag)));
      if (token.isCancellationRequested) return [];
    }
    return actions;
  }

  private statusFix(document: vscode.TextDocument, diag: vscode.Diagnostic): vscode.CodeAction {
    const a = new vscode.CodeAction('Add "> **Status:** Draft" to the header', FIX_KIND);
    a.edit = toWorkspaceEdit(document.uri, insertStatusEdit(document.getText()));
    a.diagnostics = [diag];
    a.isPreferred = true;
    return a;
  }

  private async referenceFixes(document: vscode.TextDocument, diag: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
    const orphan = orphanOf({ rule_id: 'ORPHAN_REFERENCE', message: diag.message });
    if (!orphan) return [];
    const hit = await this.engine.locate(document.uri.fsPath);
    if (!hit) return [];
    const project = await this.engine.getProject(hit.slug);
    if (!project.sdlc_path) return [];
    const type = orphan.field === 'Epic' ? 'epic' : 'story';
    const docs = await this.engine.documentsOfType(hit.slug, type);
    const text = document.getText();
    const out: vscode.CodeAction[] = [];
    for (const c of closestCandidates(orphan.ref, docs, type)) {
      const target = path.join(project.sdlc_path, ...c.file_path.split('/'));
      const link = path.relative(path.dirname(document.uri.fsPath), target).split(path.sep).join('/');
      const e = replaceReferenceEdit(text, orphan.field, c.id, link, orphan.ref);
      if (!e) continue;
      const a = new vscode.CodeAction(`Change to ${c.id} · ${c.title}`, FIX_KIND);
      a.edit = toWorkspaceEdit(document.uri, e);
      a.diagnostics = [diag];
      out.push(a);
    }
    return out;
  }
}
