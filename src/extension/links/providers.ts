// Document links, hover, Go to Definition and Find All References on document ids in any
// markdown file. All engine work happens in the worker; each provider honours its cancel token.
import * as vscode from 'vscode';
import type { ResolvedRef } from '../../core/engine-api';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import { ambiguousHoverMarkdown, chooseCommandLink, choiceItems, CHOOSE_COMMAND, hoverMarkdown, OPEN_COMMAND, openCommandLink } from './hoverText';
import type { LinkResolver } from './resolver';

const fileUri = (r: ResolvedRef) => (r.abs_path ? vscode.Uri.file(r.abs_path) : undefined);

/** Several projects have the id and none is the file's own: the documents to choose from. */
const choices = (r: ResolvedRef): ResolvedRef[] | undefined => (r.candidates && r.candidates.length > 1 ? r.candidates : undefined);

export class IdLinkProvider implements vscode.DocumentLinkProvider {
  constructor(private readonly resolver: LinkResolver) {}

  async provideDocumentLinks(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.DocumentLink[]> {
    const { matches, resolved } = await this.resolver.forDocument(doc);
    if (token.isCancellationRequested) return [];
    const links: vscode.DocumentLink[] = [];
    for (const m of matches) {
      const r = resolved[m.ref];
      const range = new vscode.Range(doc.positionAt(m.start), doc.positionAt(m.end));
      const several = r && choices(r);
      if (several) {
        // an id several projects have: the link offers them all
        const link = new vscode.DocumentLink(range, vscode.Uri.parse(chooseCommandLink(choiceItems(several, (c) => fileUri(c)!.toJSON()))));
        link.tooltip = `${m.ref} is in ${several.length} projects: choose one`;
        links.push(link);
        continue;
      }
      const target = r && fileUri(r);
      if (!r || !target) continue; // an id with no document is not a link
      const link = new vscode.DocumentLink(range, target);
      link.tooltip = `Open ${r.title}`;
      links.push(link);
    }
    return links;
  }
}

export class IdHoverProvider implements vscode.HoverProvider {
  constructor(private readonly resolver: LinkResolver) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const hit = await this.resolver.at(doc, position);
    if (!hit || token.isCancellationRequested) return undefined;
    const uri = fileUri(hit.ref);
    const several = choices(hit.ref);
    const markdown = several
      ? ambiguousHoverMarkdown(several, (c) => {
          const u = fileUri(c);
          return u ? openCommandLink(u.toJSON()) : null;
        })
      : hoverMarkdown(hit.ref, uri ? openCommandLink(uri.toJSON()) : null);
    const text = new vscode.MarkdownString(markdown);
    text.supportHtml = false;
    text.supportThemeIcons = false;
    text.isTrusted = { enabledCommands: [OPEN_COMMAND] };
    return new vscode.Hover(text, hit.range);
  }
}

export class IdDefinitionProvider implements vscode.DefinitionProvider {
  constructor(private readonly resolver: LinkResolver) {}

  async provideDefinition(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Location | vscode.Location[] | undefined> {
    const hit = await this.resolver.at(doc, position);
    if (!hit || token.isCancellationRequested) return undefined;
    const several = choices(hit.ref);
    if (several) return several.flatMap((c) => (c.abs_path ? [new vscode.Location(vscode.Uri.file(c.abs_path), new vscode.Position(0, 0))] : []));
    const uri = fileUri(hit.ref);
    if (!uri) return undefined;
    return new vscode.Location(uri, new vscode.Position(0, 0));
  }
}

export class IdReferenceProvider implements vscode.ReferenceProvider {
  constructor(
    private readonly resolver: LinkResolver,
    private readonly engine: AsyncLensEngine,
  ) {}

  async provideReferences(
    doc: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.ReferenceContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.Location[]> {
    const hit = await this.resolver.at(doc, position);
    if (!hit || token.isCancellationRequested) return [];
    const fromPath = hit.ref.abs_path ?? (doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined);
    const refs = await this.engine.referencesTo(hit.ref.ref, fromPath);
    if (token.isCancellationRequested) return [];
    const out: vscode.Location[] = [];
    const self = fileUri(hit.ref);
    if (context.includeDeclaration && self) out.push(new vscode.Location(self, new vscode.Position(0, 0)));
    for (const r of refs) {
      if (!r.abs_path) continue;
      const uri = vscode.Uri.file(r.abs_path);
      if (r.mentions.length === 0) out.push(new vscode.Location(uri, new vscode.Position(0, 0)));
      for (const m of r.mentions) out.push(new vscode.Location(uri, new vscode.Range(m.line, m.character, m.line, m.character + m.length)));
    }
    return out;
  }
}

/** The pick an ambiguous id's link opens: its documents, one per project; the chosen one opens. */
export async function chooseDocument(items: unknown): Promise<void> {
  if (!Array.isArray(items)) return;
  const picks = items
    .filter((i): i is { label: string; description: string; uri: { scheme: string; path: string; authority?: string; query?: string; fragment?: string } } => !!i && typeof i === 'object' && typeof i.label === 'string' && !!i.uri)
    .map((i) => ({ label: i.label, description: String(i.description ?? ''), uri: vscode.Uri.from(i.uri) }));
  if (!picks.length) return;
  const chosen = await vscode.window.showQuickPick(picks, { title: 'Open Document', placeHolder: 'This id is in several projects: choose one', matchOnDescription: true });
  if (chosen) await vscode.window.showTextDocument(chosen.uri, { preview: true });
}

export { CHOOSE_COMMAND };
