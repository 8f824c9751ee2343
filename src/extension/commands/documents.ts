// A document row's context menu (Open, Open to the Side, Open Preview, Copy ID, Copy Relative Path,
// Reveal in Explorer Side Bar) and the Projects view's grouping, filter and scope commands.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DocumentSummary } from '../../core/engine-api';
import { displayId } from '../../core/parse';
import type { GroupMode, Scope } from '../tree/grouping';
import { documentUri } from '../tree/items';
import type { CommandContext } from './context';

/** The document a command is about: a tree node (document, or an epic row), or a file Uri. */
async function target(ctx: CommandContext, arg: unknown): Promise<{ uri: vscode.Uri; doc?: DocumentSummary; root?: string } | undefined> {
  if (arg instanceof vscode.Uri) return { uri: arg };
  const node = arg as { slug?: string; doc?: DocumentSummary } | undefined;
  if (node?.slug && node.doc) {
    const project = await ctx.engine.getProject(node.slug);
    return { uri: documentUri(project, node.doc), doc: node.doc, root: project.sdlc_path ?? undefined };
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  return active ? { uri: active } : undefined;
}

export async function openDocument(ctx: CommandContext, arg?: unknown, options: vscode.TextDocumentShowOptions = { preview: true }): Promise<void> {
  const uri = arg instanceof vscode.Uri ? arg : ((arg as { resourceUri?: vscode.Uri })?.resourceUri ?? (await target(ctx, arg))?.uri);
  if (uri) await vscode.window.showTextDocument(uri, options);
}

export const openToSide = (ctx: CommandContext, arg?: unknown) => openDocument(ctx, arg, { preview: true, viewColumn: vscode.ViewColumn.Beside });

export async function openPreview(ctx: CommandContext, arg?: unknown): Promise<void> {
  const t = await target(ctx, arg);
  if (t) await vscode.commands.executeCommand('markdown.showPreview', t.uri);
}

/** Copies the document's id (`US0001`); returns it. */
export async function copyId(ctx: CommandContext, arg?: unknown): Promise<string | undefined> {
  const t = await target(ctx, arg);
  const doc = t?.doc ?? (t ? (await ctx.engine.locate(t.uri.fsPath)) ?? undefined : undefined);
  const id = doc && 'doc_id' in doc && doc.doc_id ? displayId(doc.doc_id) : undefined;
  if (!id) return undefined;
  await vscode.env.clipboard.writeText(id);
  vscode.window.setStatusBarMessage(`$(copy) Copied ${id}`, 3000);
  return id;
}

/** Copies the path relative to the workspace folder (else to the project's folder); returns it. */
export async function copyRelativePath(ctx: CommandContext, arg?: unknown): Promise<string | undefined> {
  const t = await target(ctx, arg);
  if (!t) return undefined;
  const ws = vscode.workspace.getWorkspaceFolder(t.uri);
  const base = ws?.uri.fsPath ?? t.root ?? path.dirname(t.uri.fsPath);
  const rel = path.relative(base, t.uri.fsPath).split(path.sep).join('/');
  await vscode.env.clipboard.writeText(rel);
  vscode.window.setStatusBarMessage(`$(copy) Copied ${rel}`, 3000);
  return rel;
}

export async function revealInExplorer(ctx: CommandContext, arg?: unknown): Promise<void> {
  const t = await target(ctx, arg);
  if (!t) return;
  if (!vscode.workspace.getWorkspaceFolder(t.uri)) {
    void vscode.window.showInformationMessage('This document is outside the open workspace.', { modal: false, detail: t.uri.fsPath } as vscode.MessageOptions);
    return;
  }
  await vscode.commands.executeCommand('revealInExplorer', t.uri);
}

export const groupBy = (ctx: CommandContext, mode: GroupMode) => ctx.view.setMode(mode);
export const setHideFinished = (ctx: CommandContext, hide: boolean) => ctx.view.setHideFinished(hide);
export const setScope = (ctx: CommandContext, scope: Scope) => ctx.view.setScope(scope);
