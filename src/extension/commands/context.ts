// What command handlers get from the composition root.
import * as vscode from 'vscode';
import { syncStatusText } from '../../core/projects';
import type { Project } from '../../core/types';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import type { ApiController } from '../apiController';
import type { ExtensionLog } from '../log';
import type { UiState } from '../state';
import type { SyncRunner } from '../syncRunner';
import type { LensNode } from '../tree/nodes';
import { slugOf } from '../tree/nodes';
import type { ProjectsTree } from '../tree/projectsTree';
import type { ViewState } from '../tree/viewState';

export interface CommandContext {
  /** The engine in its worker thread: every call is async and never blocks the host. */
  engine: AsyncLensEngine;
  tree: ProjectsTree;
  treeView: vscode.TreeView<LensNode>;
  runner: SyncRunner;
  api: ApiController;
  log: ExtensionLog;
  store: UiState;
  /** The Projects view's grouping, filter and scope (kept per workspace). */
  view: ViewState;
}

export type Handler = (ctx: CommandContext, ...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any


/**
 * The project a command is about: the argument (slug or tree node), the only project, or one the
 * user picks. Undefined when there is none or the pick was dismissed.
 */
export async function resolveProject(
  ctx: CommandContext,
  arg: unknown,
  placeHolder: string,
  filter: (p: Project) => boolean = () => true,
): Promise<Project | undefined> {
  const engine = ctx.engine;
  const slug = slugOf(arg);
  if (slug) {
    try {
      return await engine.getProject(slug);
    } catch {
      void vscode.window.showErrorMessage(`No project "${slug}" is registered.`);
      return undefined;
    }
  }
  const all = await engine.listProjects();
  if (all.length === 0) {
    const choice = await vscode.window.showInformationMessage('No project is registered yet.', 'Register Project', 'Detect Projects');
    if (choice === 'Register Project') void vscode.commands.executeCommand('sdlcLens.registerProject');
    if (choice === 'Detect Projects') void vscode.commands.executeCommand('sdlcLens.detectProjects');
    return undefined;
  }
  const candidates = all.filter(filter);
  if (candidates.length === 1 && all.length === 1) return candidates[0];
  if (candidates.length === 0) return undefined;
  const picked = await vscode.window.showQuickPick(
    candidates.map((p) => ({
      label: p.name,
      description: `${syncStatusText(p.sync_status)} · ${p.document_count} docs`,
      detail: p.sdlc_path ?? undefined,
      project: p,
    })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.project;
}
