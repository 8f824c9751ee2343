// Keeps the Projects view in line with its settings: the description (scope, grouping, filter), the
// context keys its menus read, the relative-time refresh while visible, and the tree on every change.
import * as vscode from 'vscode';
import { contextValues, type ContextKeys } from '../contextKeys';
import type { UiState } from '../state';
import { viewDescription } from './grouping';
import type { LensNode, MoreNode } from './nodes';
import type { ProjectsTree } from './projectsTree';
import { VisibleTicker } from './ticker';
import type { ViewState } from './viewState';

export class ViewController implements vscode.Disposable {
  readonly ticker: VisibleTicker;
  private readonly subs: { dispose(): void }[] = [];

  constructor(
    private readonly treeView: vscode.TreeView<LensNode>,
    tree: ProjectsTree,
    private readonly view: ViewState,
    private readonly store: UiState,
    private readonly keys: ContextKeys,
  ) {
    this.ticker = new VisibleTicker(() => tree.refreshProjectRows());
    this.subs.push(
      view.onDidChange(() => {
        this.render();
        tree.refreshAll();
      }),
      store.onDidChange(() => this.render()),
      treeView.onDidChangeVisibility((e) => this.ticker.setVisible(e.visible)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => tree.refreshAll()),
      // the "Show N more…" row of a paged group (items.ts SHOW_MORE_COMMAND)
      vscode.commands.registerCommand('sdlcLens.showMoreDocuments', (node: MoreNode) => node?.kind === 'more' && tree.showMore(node)),
      this.ticker,
    );
    this.ticker.setVisible(treeView.visible);
    this.render();
  }

  /** Description and context keys from the current settings and state. */
  render(): Promise<void> {
    const s = this.view.settings;
    this.treeView.description = viewDescription(s.scope, s.mode, s.filter);
    return this.keys.apply(contextValues(this.store.state, s));
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
