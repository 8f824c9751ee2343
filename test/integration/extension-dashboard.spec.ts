// The dashboard command in the real extension host: a project's dashboard and the all-projects one
// open as webview panels titled from the engine's data; opening again reveals the same panel; a
// removed project's panel closes. (The page itself is checked in the unit tests and end to end.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { copyCorpus, lens, register, removeAllProjects, within } from './support/lens';

const dashboardTabs = () =>
  vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('sdlcLens.dashboard'));

function tabsWhere(pred: () => boolean, what: string, ms = 20_000): Promise<void> {
  if (pred()) return Promise.resolve();
  let sub: vscode.Disposable | undefined;
  const p = new Promise<void>((resolve) => {
    sub = vscode.window.tabGroups.onDidChangeTabs(() => {
      if (pred()) resolve();
    });
  });
  return within(p, ms, what).finally(() => sub?.dispose());
}

describe('extension: dashboard', function () {
  this.timeout(90_000);
  let api: Awaited<ReturnType<typeof lens>>;
  let slug: string;

  before(async () => {
    api = await lens();
    await removeAllProjects(api);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    slug = (await register(copyCorpus('sample', 'harbor-dash'), 'Harbor Dash'))!.slug;
    await vscode.commands.executeCommand('sdlcLens.syncProject', slug);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await removeAllProjects(api);
  });

  it("opens a project's dashboard, titled with the project, and reveals it on a second open", async () => {
    await vscode.commands.executeCommand('sdlcLens.openDashboard', slug);
    await tabsWhere(() => dashboardTabs().some((t) => t.label === 'Dashboard: Harbor Dash'), 'the project dashboard');
    await vscode.commands.executeCommand('sdlcLens.openDashboard', { kind: 'project', slug });
    assert.equal(dashboardTabs().filter((t) => t.label === 'Dashboard: Harbor Dash').length, 1);
  });

  it('opens the all-projects dashboard beside it', async () => {
    await vscode.commands.executeCommand('sdlcLens.openDashboard', null);
    await tabsWhere(() => dashboardTabs().some((t) => t.label === 'Dashboard: All projects'), 'the all-projects dashboard');
    assert.equal(dashboardTabs().length, 2);
  });

  it("closes a project's dashboard when the project is removed; the all-projects one stays", async () => {
    await api.engine.deleteProject(slug);
    await tabsWhere(() => !dashboardTabs().some((t) => t.label === 'Dashboard: Harbor Dash'), 'the project dashboard to close');
    assert.deepEqual(dashboardTabs().map((t) => t.label), ['Dashboard: All projects']);
  });
});
