// Document links, hover, Go to Definition and Find All References on document ids in any
// markdown file. All engine work happens in the worker; each provider honours its cancel token.
import * as vscode from 'vscode';
import type { ResolvedRef } from '../../core/engine-api';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import { hoverMarkdown, OPEN_COMMAND, openCommandLink } from './hoverText';
import type { LinkResolver } from './resolver';

const fileUri = (r: ResolvedRef) => (r.abs_path ? vscode.Uri.file(r.abs_path) : undefined);

export class IdLinkProvider implements vscode.DocumentLinkProvider {
  constructor(private readonly resolver: LinkResolver) {}

  async provideDocumentLinks(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.DocumentLink[]> {
    const { matches, resolved } = await this.resolver.forDocument(doc);
    if (token.isCancellationRequested) return [];
    const links: vscode.DocumentLink[] = [];
    for (const m of matches) {
      const r = resolved[m.ref];
      const target = r && fileUri(r);
      if (!r || !target) continue; // an id with no document is not a link
      const link = new vscode.DocumentLink(new vscode.Range(doc.positionAt(m.start), doc.positionAt(m.end)), target);
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
    const text = new vscode.MarkdownString(hoverMarkdown(hit.ref, uri ? openCommandLink(uri.toJSON()) : null));
    text.supportHtml = false;
    text.supportThemeIcons = false;
    text.isTrusted = { enabledCommands: [OPEN_COMMAND] };
    return new vscode.Hover(text, hit.range);
  }
}

export class IdDefinitionProvider implements vscode.DefinitionProvider {
  constructor(private readonly resolver: LinkResolver) {}

  async provideDefinition(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Location | undefined> {
    const hit = await this.resolver.at(doc, position);
    const uri = hit && fileUri(hit.ref);
    if (!uri || token.isCancellationRequested) return undefined;
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
