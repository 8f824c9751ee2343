// The Related view: parents, children, depends on and dependents (documents.md §7) of the document
// in the active editor, from the engine's relatedDocuments in its worker. Click opens the document.
import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import { typeLabel } from '../../core/parse';
import type { RelatedDocumentItem, RelatedDocuments } from '../../core/types';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import { OPEN_REF_COMMAND } from '../search/open';
import { documentIcon, documentLabel } from '../tree/presentation';

export type RelatedKind = 'parents' | 'children' | 'depends_on' | 'dependents';

const SECTIONS: [RelatedKind, string][] = [
  ['parents', 'Parents'],
  ['children', 'Children'],
  ['depends_on', 'Depends On'],
  ['dependents', 'Dependents'],
];

export const NOT_A_DOCUMENT = 'The active file is not a synced document of a registered project.';
export const NO_EDITOR = 'Open a document of a registered project to see its related documents.';

export type RelatedNode =
  | { kind: 'section'; section: RelatedKind; label: string; items: RelatedDocumentItem[] }
  | { kind: 'doc'; section: RelatedKind; item: RelatedDocumentItem };

export class RelatedView implements vscode.TreeDataProvider<RelatedNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly treeView: vscode.TreeView<RelatedNode>;
  private readonly subs: vscode.Disposable[] = [];
  private current: { slug: string; related: RelatedDocuments } | undefined;
  private seq = 0;
  /** Settles once the view shows the active editor's document (tests wait on it). */
  ready: Promise<void> = Promise.resolve();

  constructor(private readonly engine: AsyncLensEngine) {
    this.treeView = vscode.window.createTreeView('sdlcLens.related', { treeDataProvider: this });
    const off = engine.onDidChange(() => this.update());
    this.subs.push(
      this.treeView,
      this.changed,
      { dispose: off },
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      this.treeView.onDidChangeVisibility((e) => e.visible && this.update()),
    );
    this.update();
  }

  /** The document the view follows now, if any. */
  get document(): RelatedDocuments | undefined {
    return this.current?.related;
  }

  /** Reads the active editor's document and its relations again; only the newest answer is shown. */
  update(): Promise<void> {
    const mine = ++this.seq;
    this.ready = this.load(mine);
    return this.ready;
  }

  private async load(mine: number): Promise<void> {
    const uri = vscode.window.activeTextEditor?.document.uri;
    let next: typeof this.current;
    let message: string | undefined;
    try {
      const at = uri?.scheme === 'file' ? await this.engine.locate(uri.fsPath) : null;
      if (!uri) message = NO_EDITOR;
      else if (!at?.type || !at.doc_id) message = NOT_A_DOCUMENT;
      else next = { slug: at.slug, related: await this.engine.relatedDocuments(at.slug, at.type, at.doc_id) };
    } catch (e) {
      message = `Cannot read the related documents: ${messageOf(e)}`;
    }
    if (mine !== this.seq) return;
    this.current = next;
    this.treeView.message = message ?? (next ? undefined : NOT_A_DOCUMENT);
    this.treeView.description = next ? documentLabel(next.related) : undefined;
    this.changed.fire();
  }

  getChildren(node?: RelatedNode): RelatedNode[] {
    const cur = this.current;
    if (!cur) return [];
    if (!node) return SECTIONS.map(([section, label]) => ({ kind: 'section', section, label, items: cur.related[section] }));
    if (node.kind === 'section') return node.items.map((item) => ({ kind: 'doc', section: node.section, item }));
    return [];
  }

  getTreeItem(node: RelatedNode): vscode.TreeItem {
    if (node.kind === 'section') {
      const item = new vscode.TreeItem(node.label, node.items.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
      item.description = String(node.items.length);
      item.id = `related/${node.section}`;
      item.contextValue = 'relatedSection';
      return item;
    }
    const d = node.item;
    const item = new vscode.TreeItem(documentLabel(d), vscode.TreeItemCollapsibleState.None);
    item.description = [typeLabel(d.type), d.status ?? ''].filter(Boolean).join(' · ');
    const icon = documentIcon(d.status);
    item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    item.id = `related/${node.section}/${d.type}/${d.doc_id}`;
    item.contextValue = 'relatedDocument';
    item.command = { command: OPEN_REF_COMMAND, title: 'Open Document', arguments: [{ slug: this.current!.slug, type: d.type, doc_id: d.doc_id }] };
    return item;
  }

  dispose(): void {
    for (const s of this.subs.splice(0)) s.dispose();
  }
}
