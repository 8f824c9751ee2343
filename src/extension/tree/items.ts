// Turns tree nodes into vscode.TreeItems (presentation.ts decides the words and icons).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DocumentSummary } from '../../core/engine-api';
import type { Project } from '../../core/types';
import type { DocumentNode, GroupNode, MoreNode } from './nodes';
import { projectId } from './nodes';
import {
  documentIcon,
  documentRow,
  documentTooltip,
  moreRow,
  PROJECT_ICONS,
  projectDescription,
  projectTooltip,
  type IconSpec,
} from './presentation';

const themeIcon = (spec: IconSpec) =>
  new vscode.ThemeIcon(spec.id, spec.color ? new vscode.ThemeColor(spec.color) : undefined);

function markdown(text: string): vscode.MarkdownString {
  const m = new vscode.MarkdownString(text, true);
  m.isTrusted = false;
  return m;
}

/** A project's row; `now` dates its "5 min ago". */
export function projectItem(p: Project, now = new Date()): vscode.TreeItem {
  const item = new vscode.TreeItem(
    p.name,
    p.document_count > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  item.id = projectId(p.slug);
  item.description = projectDescription(p, now);
  item.iconPath = themeIcon(PROJECT_ICONS[p.sync_status]);
  item.tooltip = markdown(projectTooltip(p, now));
  item.contextValue = `project.${p.sync_status}`;
  item.accessibilityInformation = { label: `${p.name}, ${item.description}` };
  return item;
}

export function groupItem(node: GroupNode, project: Project): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.id;
  item.contextValue = 'group';
  if (node.doc) {
    // "By epic": the row is the epic itself, with its stories below
    const row = documentRow(node.doc);
    item.label = row.label;
    item.description = `${row.description} · ${node.count}`.replace(/^ · /, '');
    item.iconPath = themeIcon(documentIcon(node.doc.status));
    item.contextValue = 'document.group';
    item.resourceUri = documentUri(project, node.doc);
    item.command = { command: 'sdlcLens.openDocument', title: 'Open Document', arguments: [item.resourceUri] };
    item.tooltip = markdown(documentTooltip(node.doc));
  } else {
    item.description = String(node.count);
  }
  item.accessibilityInformation = { label: `${item.label}, ${item.description}` };
  return item;
}

/** Absolute path of a document: file_path is relative to the project's sdlc_path. */
export function documentUri(project: Pick<Project, 'sdlc_path'>, doc: Pick<DocumentSummary, 'file_path'>): vscode.Uri {
  const abs = path.isAbsolute(doc.file_path) ? doc.file_path : path.join(project.sdlc_path ?? '', doc.file_path);
  return vscode.Uri.file(abs);
}

/** A document's tooltip, built only when the user hovers its row (large groups open faster). */
export function documentTooltipOf(node: DocumentNode): vscode.MarkdownString {
  return markdown(documentTooltip(node.doc));
}

export function documentItem(node: DocumentNode, project: Project): vscode.TreeItem {
  const d = node.doc;
  const row = documentRow(d);
  const item = new vscode.TreeItem(row.label, node.children ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = row.description;
  item.iconPath = themeIcon(documentIcon(d.status));
  item.contextValue = 'document'; // the tooltip comes on hover: documentTooltipOf (resolveTreeItem)
  const uri = documentUri(project, d);
  item.resourceUri = uri;
  item.command = { command: 'sdlcLens.openDocument', title: 'Open Document', arguments: [uri] };
  return item;
}

/** The "Show N more…" row of a paged group: a click loads the next page. */
export function moreItem(node: MoreNode, page: number): vscode.TreeItem {
  const row = moreRow(node.remaining, page);
  const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = row.description;
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.contextValue = 'more';
  item.command = { command: SHOW_MORE_COMMAND, title: row.label, arguments: [node] };
  return item;
}

/** The command of a "Show more" row (registered by the ViewController). */
export const SHOW_MORE_COMMAND = 'sdlcLens.showMoreDocuments';
