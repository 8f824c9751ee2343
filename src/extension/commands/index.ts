// Every command id → handler. The manifest test checks this list against package.json.
import * as vscode from 'vscode';
import type { CommandContext } from './context';
import { copyId, copyRelativePath, groupBy, openDocument, openPreview, openToSide, revealInExplorer, setHideFinished, setScope } from './documents';
import { changeProjectFolder, clearProjectDocuments, type DetectOptions, detectProjects, registerProject, removeProject, renameProject, revealProjectFolder } from './projects';
import { cancelSync, showProjectError, syncAll, syncProject } from './sync';
import { copyApiUrl, refresh, revealActiveFile, showLog, startApiServer, stopApiServer } from './view';

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  const r = (id: string, fn: (...args: any[]) => unknown) => vscode.commands.registerCommand(id, fn); // eslint-disable-line @typescript-eslint/no-explicit-any
  return [
    r('sdlcLens.registerProject', (uri?: vscode.Uri, name?: string) => registerProject(ctx, uri, name)),
    r('sdlcLens.detectProjects', (options?: DetectOptions) => detectProjects(ctx, options)),
    r('sdlcLens.syncProject', (target?: unknown) => syncProject(ctx, target)),
    r('sdlcLens.syncAll', () => syncAll(ctx)),
    r('sdlcLens.cancelSync', (target?: unknown) => cancelSync(ctx, target)),
    r('sdlcLens.removeProject', (target?: unknown, options?: { confirm?: boolean }) => removeProject(ctx, target, options)),
    r('sdlcLens.renameProject', (target?: unknown, name?: string) => renameProject(ctx, target, name)),
    r('sdlcLens.changeProjectFolder', (target?: unknown, folder?: vscode.Uri) => changeProjectFolder(ctx, target, folder)),
    r('sdlcLens.showLog', () => showLog(ctx)),
    r('sdlcLens.startApiServer', () => startApiServer(ctx)),
    r('sdlcLens.stopApiServer', () => stopApiServer(ctx)),
    r('sdlcLens.copyApiUrl', () => copyApiUrl(ctx)),
    r('sdlcLens.revealActiveFile', () => revealActiveFile(ctx)),
    // Tree-only and status-bar helpers (hidden from the Command Palette).
    r('sdlcLens.openDocument', (target?: unknown) => openDocument(ctx, target)),
    r('sdlcLens.openDocumentToSide', (target?: unknown) => openToSide(ctx, target)),
    r('sdlcLens.openDocumentPreview', (target?: unknown) => openPreview(ctx, target)),
    r('sdlcLens.copyDocumentId', (target?: unknown) => copyId(ctx, target)),
    r('sdlcLens.copyDocumentPath', (target?: unknown) => copyRelativePath(ctx, target)),
    r('sdlcLens.revealDocumentInExplorer', (target?: unknown) => revealInExplorer(ctx, target)),
    // The Projects view's arrangement (kept per workspace).
    r('sdlcLens.groupByType', () => groupBy(ctx, 'type')),
    r('sdlcLens.groupByStatus', () => groupBy(ctx, 'status')),
    r('sdlcLens.groupByEpic', () => groupBy(ctx, 'epic')),
    r('sdlcLens.hideFinished', () => setHideFinished(ctx, true)),
    r('sdlcLens.showFinished', () => setHideFinished(ctx, false)),
    r('sdlcLens.showWorkspaceProjects', () => setScope(ctx, 'workspace')),
    r('sdlcLens.showAllProjects', () => setScope(ctx, 'all')),
    r('sdlcLens.revealProjectFolder', (target?: unknown) => revealProjectFolder(ctx, target)),
    r('sdlcLens.clearProjectDocuments', (target?: unknown, options?: { confirm?: boolean }) => clearProjectDocuments(ctx, target, options)),
    r('sdlcLens.refresh', () => refresh(ctx)),
    r('sdlcLens.showProjectError', (target?: unknown) => showProjectError(ctx, target)),
  ];
}
