// Thin adapter: renders statusModel.renderStatus(state) into the one status bar item.
import * as vscode from 'vscode';
import type { UiState } from './state';
import { renderStatus, type StatusView } from './statusModel';

export class StatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly sub: { dispose(): void };
  private last: StatusView | undefined;

  constructor(store: UiState) {
    this.item = vscode.window.createStatusBarItem('sdlcLens.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'SDLC Lens';
    this.sub = store.onDidChange((s) => this.render(renderStatus(s)));
    this.render(renderStatus(store.state));
  }

  /** The view last rendered (for tests). */
  get view(): StatusView | undefined {
    return this.last;
  }

  private render(v: StatusView): void {
    this.last = v;
    if (!v.visible) {
      this.item.hide();
      return;
    }
    this.item.text = v.text;
    this.item.tooltip = v.tooltip;
    this.item.backgroundColor = v.backgroundColor === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.command = v.command ? { command: v.command.id, title: v.command.title, arguments: v.command.args } : undefined;
    this.item.accessibilityInformation = { label: v.text.replace(/\$\([^)]*\)\s*/g, '') };
    this.item.show();
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }
}
