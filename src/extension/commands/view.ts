// Show Log, Reveal Active File, Refresh, and the API server commands.
import * as vscode from 'vscode';
import type { CommandContext } from './context';

export function showLog(ctx: CommandContext): void {
  ctx.log.show();
}

/** Selects the active editor's document in the Projects tree; true when found. */
export async function revealActiveFile(ctx: CommandContext): Promise<boolean> {
  const uri = vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== 'file') {
    void vscode.window.showInformationMessage('Open a document of a registered project first.');
    return false;
  }
  const node = await ctx.tree.nodeForFile(uri.fsPath);
  if (!node) {
    void vscode.window.showInformationMessage(
      'The active file is not a synced document of a registered project.',
      { detail: 'Register its sdlc-studio folder, or sync it first.' } as vscode.MessageOptions,
    );
    return false;
  }
  // VS Code drops a reveal that races a refresh of one of its ancestors (a sync's health update, the
  // skill's checks ending), or rejects it ("Data tree node not found") while the ancestor's rows are
  // being asked again: when the row did not end up selected, reveal again after the next refresh.
  for (let attempt = 0; ; attempt++) {
    const revealed = await ctx.treeView.reveal(node, { select: true, focus: true, expand: true }).then(() => true, () => false);
    if (ctx.treeView.selection[0]?.id === node.id) return true;
    if (attempt >= 3) {
      if (!revealed) void vscode.window.showWarningMessage('The Projects view is refreshing; run Reveal Active File again in a moment.');
      return revealed;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 500);
      const sub = ctx.tree.onDidChangeTreeData(done);
      function done(): void {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  }
}

export async function refresh(ctx: CommandContext): Promise<void> {
  await ctx.engine.catchUp();
  ctx.store.setProjects(await ctx.engine.listProjects());
  ctx.tree.refreshAll();
}

export function startApiServer(ctx: CommandContext): Promise<string | undefined> {
  return ctx.api.start();
}

/** Stops the server; says so when none was running. Resolves to whether one was stopped. */
export async function stopApiServer(ctx: CommandContext): Promise<boolean> {
  const stopped = await ctx.api.stop();
  if (!stopped) void vscode.window.showInformationMessage('The API server is not running.');
  return stopped;
}

/** Copies the API URL and its token; returns the URL (undefined when the server is not running). */
export async function copyApiUrl(ctx: CommandContext): Promise<string | undefined> {
  const url = ctx.api.url;
  if (!url) {
    void vscode.window.showInformationMessage('The API server is not running.', 'Start API Server').then((c) => {
      if (c) void vscode.commands.executeCommand('sdlcLens.startApiServer');
    });
    return undefined;
  }
  const token = ctx.api.token;
  await vscode.env.clipboard.writeText(token ? `${url}\nAuthorization: Bearer ${token}\n` : url);
  vscode.window.setStatusBarMessage(`$(copy) Copied ${url} and its token`, 3000);
  return url;
}
