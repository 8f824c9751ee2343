// The files open in an editor (a tab of any editor group), for `sdlcLens.health.diagnostics:
// "openFiles"`: the Problems panel then holds the findings of those files only, as ESLint and
// TypeScript do. Tabs, not `workspace.textDocuments`: a document stays loaded for a while after its
// tab is closed, and other extensions load documents no editor shows. Changes are batched into one
// event per turn of the event loop, so opening many editors at once re-publishes once.
import * as vscode from 'vscode';

/** The file paths (fsPath) of every text tab, diff tabs' both sides included. */
export function openFilePaths(): Set<string> {
  const out = new Set<string>();
  const add = (uri: vscode.Uri) => {
    if (uri.scheme === 'file') out.add(uri.fsPath);
  };
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      const input = tab.input;
      if (input instanceof vscode.TabInputText) add(input.uri);
      else if (input instanceof vscode.TabInputTextDiff) {
        add(input.original);
        add(input.modified);
      }
    }
  }
  // an editor shown without a tab (e.g. a preview in a restricted layout) still counts
  for (const e of vscode.window.visibleTextEditors) add(e.document.uri);
  return out;
}

export class OpenFiles implements vscode.Disposable {
  private current = openFilePaths();
  private pending: NodeJS.Immediate | undefined;
  private readonly emitter = new vscode.EventEmitter<void>();
  /** The set of open files changed. */
  readonly onDidChange = this.emitter.event;
  private readonly subs: vscode.Disposable[];

  constructor() {
    const changed = () => this.schedule();
    this.subs = [
      vscode.window.tabGroups.onDidChangeTabs(changed),
      vscode.window.tabGroups.onDidChangeTabGroups(changed),
      vscode.window.onDidChangeVisibleTextEditors(changed),
      vscode.workspace.onDidCloseTextDocument(changed),
    ];
  }

  has(fsPath: string): boolean {
    return this.current.has(fsPath);
  }

  /** Every open file's path (fsPath). */
  paths(): string[] {
    return [...this.current];
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = setImmediate(() => {
      this.pending = undefined;
      const next = openFilePaths();
      const same = next.size === this.current.size && [...next].every((p) => this.current.has(p));
      this.current = next;
      if (!same) this.emitter.fire();
    });
  }

  dispose(): void {
    if (this.pending) clearImmediate(this.pending);
    for (const s of this.subs) s.dispose();
    this.emitter.dispose();
  }
}
