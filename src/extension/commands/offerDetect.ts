// When a workspace with unregistered sdlc-studio/ folders opens, offer once (remembered per workspace
// in workspaceState, whatever the answer) to register them.
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { findSdlcFolders, samePath } from '../detect';
import type { MementoLike } from '../tree/viewState';
import type { CommandContext } from './context';

export const OFFERED_KEY = 'sdlcLens.offeredDetect';

/** Resolves to the unregistered folders it offered (empty when it did not ask). */
export async function offerDetectOnce(ctx: CommandContext, memento: MementoLike): Promise<string[]> {
  if (memento.get<boolean>(OFFERED_KEY)) return [];
  const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  if (roots.length === 0) return [];
  const found = await Promise.all((await findSdlcFolders(roots)).map((f) => fs.realpath(f).catch(() => f)));
  const known = await ctx.engine.listProjects();
  const fresh = found.filter((f) => !known.some((p) => p.sdlc_path && samePath(p.sdlc_path, f)));
  if (fresh.length === 0) return [];
  await memento.update(OFFERED_KEY, true); // asked once, whatever the answer
  const what = fresh.length === 1 ? 'an sdlc-studio folder' : `${fresh.length} sdlc-studio folders`;
  void vscode.window.showInformationMessage(`This workspace has ${what} not registered in SDLC Lens.`, 'Register', 'Not Now').then((c) => {
    if (c === 'Register') void vscode.commands.executeCommand('sdlcLens.detectProjects');
  });
  return fresh;
}
