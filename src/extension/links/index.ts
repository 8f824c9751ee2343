// Links between documents in every markdown file of the workspace (also outside sdlc-studio).
import * as vscode from 'vscode';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import { chooseDocument, CHOOSE_COMMAND, IdDefinitionProvider, IdHoverProvider, IdLinkProvider, IdReferenceProvider } from './providers';
import { LinkResolver } from './resolver';

const MARKDOWN: vscode.DocumentSelector = { language: 'markdown' };

export function registerLinks(ctx: { engine: AsyncLensEngine }): vscode.Disposable[] {
  const resolver = new LinkResolver(ctx.engine);
  return [
    resolver,
    vscode.workspace.onDidCloseTextDocument((d) => resolver.forget(d)),
    vscode.languages.registerDocumentLinkProvider(MARKDOWN, new IdLinkProvider(resolver)),
    vscode.languages.registerHoverProvider(MARKDOWN, new IdHoverProvider(resolver)),
    vscode.languages.registerDefinitionProvider(MARKDOWN, new IdDefinitionProvider(resolver)),
    vscode.languages.registerReferenceProvider(MARKDOWN, new IdReferenceProvider(resolver, ctx.engine)),
    vscode.commands.registerCommand('sdlcLens.openDocumentChoice' satisfies typeof CHOOSE_COMMAND, (items?: unknown) => chooseDocument(items)),
  ];
}
