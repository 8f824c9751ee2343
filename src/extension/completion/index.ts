// Completion in markdown files: a typed id (`US00`, `EP-01K`, `BG`) offers the matching documents with
// their title and status (one capped worker call); in an sdlc-studio document whose header writes
// references as links, a header field gets the link form with the right relative path; the value of
// a header Status field offers the type's statuses in lifecycle order. The line's text decides first,
// so typing prose costs no worker call.
import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import { displayId } from '../../core/parse/ids';
import { typeLabel } from '../../core/parse/labels';
import { classifyPath } from '../../core/parse/paths';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import type { ExtensionLog } from '../log';
import { completionContext, headerLinkStyle, isHeaderFieldLine, linkTo } from './context';

/** Ids offered per call; more typed characters narrow them (the list says it is incomplete). */
const LIMIT = 30;
/** Lines read for the header's link style. */
const HEAD_LINES = 40;

type CompletionEngine = Pick<AsyncLensEngine, 'completeIds' | 'locate' | 'statusChoices'>;

export class IdCompletionProvider implements vscode.CompletionItemProvider {
  constructor(
    private readonly engine: CompletionEngine,
    private readonly log: Pick<ExtensionLog, 'warn'>,
  ) {}

  async provideCompletionItems(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.CompletionList | undefined> {
    const line = doc.lineAt(pos.line).text;
    const ctx = completionContext(line.slice(0, pos.character));
    if (!ctx) return undefined;
    try {
      if (ctx.kind === 'status') return await this.statuses(doc, new vscode.Range(pos.line, ctx.start, pos.line, pos.character), token);
      const range = new vscode.Range(pos.line, ctx.start, pos.line, pos.character);
      const fromPath = doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
      const found = await this.engine.completeIds(ctx.prefix, fromPath, LIMIT);
      if (token.isCancellationRequested) return undefined;
      const style = fromPath && isHeaderFieldLine(line) && /(^|[\\/])sdlc-studio[\\/]/.test(fromPath) ? headerLinkStyle(headLines(doc)) : null;
      const items = found.map((d, i) => {
        const id = displayId(d.doc_id);
        const item = new vscode.CompletionItem({ label: id, detail: ` ${d.title}`, description: d.status ?? 'no status' }, vscode.CompletionItemKind.Reference);
        item.range = range;
        item.filterText = id;
        item.sortText = String(i).padStart(3, '0');
        item.insertText = style && d.abs_path && fromPath ? linkTo(id, d.title, fromPath, d.abs_path, style) : id;
        item.documentation = new vscode.MarkdownString().appendText(`${typeLabel(d.type)} · ${d.status ?? 'no status'}\n${d.file_path}`);
        return item;
      });
      return new vscode.CompletionList(items, found.length >= LIMIT);
    } catch (e) {
      this.log.warn(`completion: ${messageOf(e)}`);
      return undefined;
    }
  }

  private async statuses(doc: vscode.TextDocument, range: vscode.Range, token: vscode.CancellationToken): Promise<vscode.CompletionList | undefined> {
    if (doc.uri.scheme !== 'file') return undefined;
    const at = await this.engine.locate(doc.uri.fsPath);
    if (!at) return undefined;
    // a new file not synced yet: its type from where it lies
    const type = at.type ?? classifyPath(at.file_path)?.docType;
    if (!type) return undefined;
    const choices = (await this.engine.statusChoices(at.slug, type)).map((c) => c.status);
    if (token.isCancellationRequested || !choices.length) return undefined;
    return new vscode.CompletionList(
      choices.map((s, i) => {
        const item = new vscode.CompletionItem({ label: s, description: typeLabel(type) }, vscode.CompletionItemKind.EnumMember);
        item.range = range;
        item.sortText = String(i).padStart(3, '0');
        return item;
      }),
    );
  }
}

function headLines(doc: vscode.TextDocument): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.min(HEAD_LINES, doc.lineCount); i++) out.push(doc.lineAt(i).text);
  return out;
}

/** Characters that open the list where no word is being typed (`EP-`, `**Status:** `). */
const TRIGGERS = ['-', ' '];

/**
 * Opens the list while an id (or a Status value) is typed. Markdown has no quick suggestions by
 * default, and VS Code ignores trigger characters at the end of a word (that is the quick-suggest
 * case), so letters and digits cannot be trigger characters: a typed character whose line now asks
 * for a completion opens it instead. The check is the line rule alone (no worker call).
 */
function suggestWhileTyping(e: vscode.TextDocumentChangeEvent): void {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document !== e.document || e.document.languageId !== 'markdown' || e.contentChanges.length !== 1) return;
  const c = e.contentChanges[0]!;
  if (c.text.length !== 1 || c.rangeLength !== 0 || !/[\p{L}\p{N}]/u.test(c.text)) return;
  const at = c.range.start.character + 1;
  if (completionContext(e.document.lineAt(c.range.start.line).text.slice(0, at))) void vscode.commands.executeCommand('editor.action.triggerSuggest');
}

export function registerCompletion(ctx: { engine: CompletionEngine; log: Pick<ExtensionLog, 'warn'> }): vscode.Disposable[] {
  return [
    vscode.languages.registerCompletionItemProvider({ language: 'markdown' }, new IdCompletionProvider(ctx.engine, ctx.log), ...TRIGGERS),
    vscode.workspace.onDidChangeTextDocument(suggestWhileTyping),
  ];
}
