// Search Documents, Open Document by ID…, and the hidden command that opens a document by reference.
import * as vscode from 'vscode';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import { openDocumentById, type ByIdHooks } from './openById';
import { isDocRef, openDocRef, OPEN_REF_COMMAND } from './open';
import { searchDocuments, type SearchHooks } from './searchPick';

export function registerSearch(ctx: { engine: AsyncLensEngine }): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('sdlcLens.searchDocuments', (hooks?: SearchHooks) => searchDocuments(ctx.engine, hooksOf(hooks))),
    vscode.commands.registerCommand('sdlcLens.openDocumentById', (hooks?: ByIdHooks) => openDocumentById(ctx.engine, hooksOf(hooks))),
    vscode.commands.registerCommand('sdlcLens.openDocumentRef' satisfies typeof OPEN_REF_COMMAND, (ref?: unknown, side?: boolean) =>
      isDocRef(ref) ? openDocRef(ctx.engine, ref, side === true) : undefined,
    ),
  ];
}

/** A command run from a menu gets a tree node or URI as its argument; only a plain hooks object counts. */
function hooksOf<T extends object>(arg: unknown): T {
  return arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) && !('kind' in arg) ? (arg as T) : ({} as T);
}
