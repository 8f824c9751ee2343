// Register, detect, rename, remove a project; reveal its folder; clear its documents.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isLensError, messageOf } from '../../core/errors';
import type { Project } from '../../core/types';
import { findSdlcFolders, samePath, SDLC_DIR } from '../detect';
import { defaultProjectName, uniqueName, validateProjectName } from '../names';
import { resolveProject, type CommandContext } from './context';

/** A clear message for each error the engine's registerProject can throw. */
function registerError(e: unknown, folder: string, name: string): string {
  if (isLensError(e)) {
    switch (e.code) {
      case 'PATH_NOT_FOUND':
        return `"${folder}" is not an existing folder.`;
      case 'CONFLICT':
        return `a project named "${name}" already exists. Choose another name.`;
      case 'VALIDATION_ERROR':
        return e.message;
    }
  }
  return messageOf(e);
}

async function isDirectory(p: string): Promise<boolean> {
  return fs.stat(p).then((s) => s.isDirectory(), () => false);
}

function alreadyRegistered(projects: readonly Project[], folder: string): Project | undefined {
  return projects.find((p) => p.sdlc_path && samePath(p.sdlc_path, folder));
}

/** sdlcLens.registerProject(uri?, name?) — with both arguments, no prompt; returns the Project. */
export async function registerProject(ctx: CommandContext, uri?: vscode.Uri | string, name?: string): Promise<Project | undefined> {
  const engine = ctx.engine;
  const interactive = !(uri && name);
  let folder = typeof uri === 'string' ? uri : uri?.fsPath;
  if (!folder) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: 'Register',
      title: 'choose an sdlc-studio folder',
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    if (!picked?.[0]) return undefined;
    folder = picked[0].fsPath;
    // Picking the repository instead of its sdlc-studio folder is a common slip: take the child.
    if (path.basename(folder) !== SDLC_DIR && (await isDirectory(path.join(folder, SDLC_DIR)))) folder = path.join(folder, SDLC_DIR);
  }
  if (interactive && !(await isDirectory(folder))) {
    void vscode.window.showErrorMessage(`"${folder}" is not an existing folder.`);
    return undefined;
  }
  const existing = alreadyRegistered(await engine.listProjects(), folder);
  if (existing) {
    if (!interactive && existing.name === name?.trim()) return existing; // idempotent for scripted setups
    void vscode.window.showWarningMessage(`"${folder}" is already registered as "${existing.name}".`);
    return undefined;
  }
  if (!name) {
    const projects = await engine.listProjects();
    name = await vscode.window.showInputBox({
      title: 'Register Project',
      prompt: `Project name for ${folder}`,
      value: uniqueName(defaultProjectName(folder), projects.map((p) => p.name)),
      validateInput: (v) => validateProjectName(v, projects),
    });
    if (name === undefined) return undefined;
  }
  name = name.trim();
  try {
    const project = await engine.registerProject({ name, sdlc_path: folder });
    ctx.log.info(`Registered project ${project.name} (${project.slug}) at ${project.sdlc_path}`);
    if (interactive) {
      void vscode.window.showInformationMessage(`registered "${project.name}".`, 'Sync Now').then((c) => {
        if (c) void vscode.commands.executeCommand('sdlcLens.syncProject', project.slug);
      });
    }
    return project;
  } catch (e) {
    const message = registerError(e, folder, name);
    ctx.log.warn(`Register ${folder} as "${name}" failed: ${message}`);
    void vscode.window.showErrorMessage(`cannot register the project: ${message}`);
    return undefined;
  }
}

/** Options of sdlcLens.detectProjects. */
export interface DetectOptions {
  /** Register every detected folder without the prompt. */
  pickAll?: boolean;
  /** Called with the prompt once it is shown with its items (all checked); for tests. */
  onDidShow?(pick: vscode.QuickPick<vscode.QuickPickItem>): void;
}

/**
 * The multi-select prompt with every item checked. The items and their selection are set before
 * the pick is shown and the accepted set is read here, so an Enter pressed as soon as the prompt
 * appears registers what it shows checked (showQuickPick sends its items after showing the pick,
 * and an Enter in between accepted nothing).
 */
function pickFolders<T extends vscode.QuickPickItem>(items: readonly T[], onDidShow?: DetectOptions['onDidShow']): Promise<readonly T[] | undefined> {
  const pick = vscode.window.createQuickPick<T>();
  pick.canSelectMany = true;
  pick.title = 'register detected projects';
  pick.placeholder = 'Enter registers the checked folders';
  pick.items = items;
  pick.selectedItems = items;
  pick.show();
  return new Promise((resolve) => {
    let chosen: readonly T[] | undefined;
    const subs = [
      pick.onDidAccept(() => {
        chosen = [...pick.selectedItems];
        pick.hide();
      }),
      pick.onDidHide(() => {
        for (const s of subs) s.dispose();
        pick.dispose();
        resolve(chosen);
      }),
    ];
    onDidShow?.(pick);
  });
}

/**
 * sdlcLens.detectProjects(options?) — offers every unregistered sdlc-studio folder of the workspace
 * (all pre-picked). `{ pickAll: true }` registers them without the prompt. Returns the new projects.
 */
export async function detectProjects(ctx: CommandContext, options?: DetectOptions): Promise<Project[]> {
  const engine = ctx.engine;
  const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  if (roots.length === 0) {
    void vscode.window.showInformationMessage('open a folder first; detection searches the workspace folders.');
    return [];
  }
  const found = await vscode.window.withProgress(
    { location: { viewId: 'sdlcLens.projects' }, title: 'Detecting sdlc-studio folders' },
    async () => Promise.all((await findSdlcFolders(roots)).map((f) => fs.realpath(f).catch(() => f))),
  );
  const known = await engine.listProjects();
  const fresh = found.filter((f) => !alreadyRegistered(known, f));
  if (fresh.length === 0) {
    const msg = found.length === 0
      ? 'no sdlc-studio folder was found in the workspace.'
      : `nothing new found — ${found.length === 1 ? 'the sdlc-studio folder is' : `all ${found.length} sdlc-studio folders are`} already registered.`;
    void vscode.window.showInformationMessage(msg);
    return [];
  }
  const taken = known.map((p) => p.name);
  const items = fresh.map((folder) => {
    const name = uniqueName(defaultProjectName(folder), taken);
    taken.push(name);
    const ws = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(folder));
    return { label: name, description: ws ? path.relative(ws.uri.fsPath, folder) || '.' : folder, detail: folder, folder };
  });
  const chosen = options?.pickAll ? items : await pickFolders(items, options?.onDidShow);
  if (!chosen || chosen.length === 0) return [];
  const registered: Project[] = [];
  for (const item of chosen) {
    const p = await registerProject(ctx, vscode.Uri.file(item.folder), uniqueName(item.label, (await engine.listProjects()).map((x) => x.name)));
    if (p) registered.push(p);
  }
  if (registered.length) {
    const names = registered.map((p) => `"${p.name}"`).join(', ');
    void vscode.window.showInformationMessage(`registered ${names}.`, registered.length === 1 ? 'Sync Now' : 'Sync All').then((c) => {
      if (c === 'Sync Now') void vscode.commands.executeCommand('sdlcLens.syncProject', registered[0].slug);
      if (c === 'Sync All') void vscode.commands.executeCommand('sdlcLens.syncAll');
    });
  }
  return registered;
}

/** sdlcLens.removeProject(target?, { confirm?: false }) — true when removed. */
export async function removeProject(ctx: CommandContext, target?: unknown, options?: { confirm?: boolean }): Promise<boolean> {
  const project = await resolveProject(ctx, target, 'Project to remove');
  if (!project) return false;
  if (options?.confirm !== false) {
    const ok = await vscode.window.showWarningMessage(
      `Remove "${project.name}" from SDLC Lens?`,
      { modal: true, detail: 'Its synced documents are removed from the SDLC Lens database. Files on disk are not touched.' },
      'Remove',
    );
    if (ok !== 'Remove') return false;
  }
  const engine = ctx.engine;
  ctx.runner.cancel(project.slug);
  await engine.deleteProject(project.slug);
  ctx.log.info(`Removed project ${project.name} (${project.slug})`);
  return true;
}

/** sdlcLens.renameProject(target?, newName?) — returns the updated Project. */
export async function renameProject(ctx: CommandContext, target?: unknown, newName?: string): Promise<Project | undefined> {
  const project = await resolveProject(ctx, target, 'Project to rename');
  if (!project) return undefined;
  const engine = ctx.engine;
  const others = await engine.listProjects();
  if (newName === undefined) {
    newName = await vscode.window.showInputBox({
      title: `Rename "${project.name}"`,
      value: project.name,
      validateInput: (v) => validateProjectName(v, others, project.slug),
    });
    if (newName === undefined) return undefined;
  }
  const invalid = validateProjectName(newName, others, project.slug);
  if (invalid) {
    void vscode.window.showErrorMessage(`cannot rename: ${invalid}`);
    return undefined;
  }
  const updated = await engine.updateProject(project.slug, { name: newName.trim() });
  ctx.log.info(`Renamed project ${project.slug}: "${project.name}" → "${updated.name}"`);
  return updated;
}

/** How revealProjectFolder showed the folder (returned for callers and tests). */
export type RevealedIn = 'explorer' | 'os' | 'message';

/**
 * Shows the project's sdlc-studio folder: in the Explorer when it is inside the workspace, else in
 * the OS file manager (desktop), else (the web) a message with its path and Copy Path.
 */
export async function revealProjectFolder(ctx: CommandContext, target?: unknown): Promise<RevealedIn | undefined> {
  const project = await resolveProject(ctx, target, 'Project folder to reveal');
  if (!project?.sdlc_path) return undefined;
  const uri = vscode.Uri.file(project.sdlc_path);
  if (vscode.workspace.getWorkspaceFolder(uri)) {
    await vscode.commands.executeCommand('revealInExplorer', uri);
    return 'explorer';
  }
  if (vscode.env.uiKind === vscode.UIKind.Desktop) {
    try {
      await vscode.commands.executeCommand('revealFileInOS', uri);
      return 'os';
    } catch {
      // a remote window has no OS file manager for this path: fall through to the message
    }
  }
  const path = project.sdlc_path;
  void vscode.window.showInformationMessage(`"${project.name}" is in ${path}`, 'Copy Path').then((c) => {
    if (c) void vscode.env.clipboard.writeText(path);
  });
  return 'message';
}

/** Removes every stored document of a project (sync.md §5: the way past the empty-source guard). */
export async function clearProjectDocuments(ctx: CommandContext, target?: unknown, options?: { confirm?: boolean }): Promise<boolean> {
  const project = await resolveProject(ctx, target, 'Project whose documents to clear');
  if (!project) return false;
  if (options?.confirm !== false) {
    const ok = await vscode.window.showWarningMessage(
      `Clear the ${project.document_count} stored documents of "${project.name}"?`,
      { modal: true, detail: 'Only the SDLC Lens database is changed; files on disk are not touched. Sync again to re-import.' },
      'Clear Documents',
    );
    if (!ok) return false;
  }
  await ctx.engine.clearDocuments(project.slug);
  ctx.log.info(`Cleared the documents of ${project.name} (${project.slug})`);
  return true;
}

/**
 * sdlcLens.changeProjectFolder(target?, folder?) — points a project at another sdlc-studio folder
 * (a folder picker unless `folder` is given), then offers a sync. Returns the updated project.
 */
export async function changeProjectFolder(ctx: CommandContext, target?: unknown, folder?: vscode.Uri | string): Promise<Project | undefined> {
  const project = await resolveProject(ctx, target, 'Project whose folder moved');
  if (!project) return undefined;
  let dir = typeof folder === 'string' ? folder : folder?.fsPath;
  const interactive = !dir;
  if (!dir) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: 'Use This Folder',
      title: `New sdlc-studio folder of "${project.name}"`,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    if (!picked?.[0]) return undefined;
    dir = picked[0].fsPath;
    if (path.basename(dir) !== SDLC_DIR && (await isDirectory(path.join(dir, SDLC_DIR)))) dir = path.join(dir, SDLC_DIR);
  }
  const other = alreadyRegistered(await ctx.engine.listProjects(), dir);
  if (other && other.slug !== project.slug) {
    void vscode.window.showErrorMessage(`"${dir}" is already registered as "${other.name}".`);
    return undefined;
  }
  try {
    const updated = await ctx.engine.updateProject(project.slug, { sdlc_path: dir });
    ctx.log.info(`Project ${project.name} (${project.slug}) now reads ${updated.sdlc_path} (was ${project.sdlc_path ?? 'none'})`);
    if (interactive) {
      void vscode.window.showInformationMessage(`"${project.name}" now reads ${updated.sdlc_path}.`, 'Sync Now').then((c) => {
        if (c) void vscode.commands.executeCommand('sdlcLens.syncProject', project.slug);
      });
    }
    return updated;
  } catch (e) {
    const message = registerError(e, dir, project.name);
    ctx.log.warn(`Change folder of ${project.slug} to ${dir} failed: ${message}`);
    void vscode.window.showErrorMessage(`Cannot change the folder: ${message}`);
    return undefined;
  }
}
