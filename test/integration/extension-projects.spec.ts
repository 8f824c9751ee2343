// Project commands inside the real extension host: register (arguments and prompt), detect (quick pick
// and pickAll), rename, remove, and the tree's project nodes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Project } from '../../src/core/types';
import { children, copyCorpus, iconOf, labelOf, lens, register, removeAllProjects, runAccepting, within } from './support/lens';

describe('extension: projects', function () {
  this.timeout(60_000);
  let api: Awaited<ReturnType<typeof lens>>;

  before(async () => {
    api = await lens();
    await removeAllProjects(api);
  });
  after(async () => removeAllProjects(api));

  it('activates with its database in globalStorage and a hidden status item', async () => {
    assert.equal((await api.engine.health()).status, 'healthy');
    assert.match(api.dbPath ?? '', /sdlc-lens\.sdlc-lens/);
    assert.equal(api.client.running, true, 'the engine runs in its worker thread');
    assert.notEqual(api.client.threadId, undefined);
    assert.equal(api.statusBar.view?.visible, false);
  });

  it('shows the welcome view (no tree items) when no project is registered', async () => {
    assert.deepEqual(await api.tree.getChildren(), []);
  });

  it('registers a folder with uri + name and no prompt, as a never-synced tree node', async () => {
    const folder = copyCorpus('sample', 'alpha');
    const p = await register(folder, 'Alpha');
    assert.ok(p, 'returns the project');
    assert.equal(p.name, 'Alpha');
    assert.equal(p.sdlc_path, folder);
    assert.equal(p.sync_status, 'never_synced');
    const roots = await children(api);
    assert.equal(roots.length, 1);
    const { item } = roots[0];
    assert.equal(labelOf(item), 'Alpha');
    assert.equal(item.id, `project/${p.slug}`);
    assert.equal(item.contextValue, 'project.never_synced');
    assert.deepEqual(iconOf(item), { id: 'circle-outline', color: undefined });
    assert.equal(item.description, 'never synced');
    assert.ok(item.tooltip instanceof vscode.MarkdownString);
    assert.match((item.tooltip as vscode.MarkdownString).value, new RegExp(folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    // the status item appears with the first project
    assert.equal(api.statusBar.view?.text, '$(circle-outline) SDLC: not synced', 'never "0 docs" before a sync');
    assert.equal(api.statusBar.item.text, '$(circle-outline) SDLC: not synced');
    assert.deepEqual(api.statusBar.view?.command, { id: 'sdlcLens.syncProject', title: 'Sync Project', args: [p.slug] });
  });

  it('is idempotent for the same folder and name; refuses a duplicate name and a missing folder', async () => {
    const alpha = (await api.engine.listProjects()).find((p) => p.name === 'Alpha')!;
    const again = await register(alpha.sdlc_path!, 'Alpha');
    assert.equal(again?.slug, alpha.slug);
    const other = copyCorpus('sample', 'other');
    assert.equal(await register(other, 'alpha'), undefined, 'duplicate name (same slug) is refused');
    assert.equal(await register(path.join(os.tmpdir(), 'no-such-folder-lens'), 'Ghost'), undefined, 'missing folder is refused');
    const file = path.join(other, 'prd.md');
    assert.equal(await register(file, 'A File'), undefined, 'a file is not a folder');
    assert.equal((await api.engine.listProjects()).length, 1);
  });

  it('registers through the name prompt when only the folder is given', async () => {
    const folder = copyCorpus('sample', 'promptly');
    const p = await runAccepting<Project | undefined>('sdlcLens.registerProject', vscode.Uri.file(folder));
    assert.equal(p?.name, 'promptly', 'the prompt defaults to the parent folder name');
    await vscode.commands.executeCommand('sdlcLens.removeProject', p!.slug, { confirm: false });
  });

  it('renames a project (arguments) and the tree label follows', async () => {
    const alpha = (await api.engine.listProjects()).find((p) => p.name === 'Alpha')!;
    const updated = await vscode.commands.executeCommand<Project>('sdlcLens.renameProject', alpha.slug, 'Alpha Renamed');
    assert.equal(updated.name, 'Alpha Renamed');
    assert.equal(updated.slug, alpha.slug, 'the slug stays');
    const roots = await children(api);
    assert.equal(labelOf(roots[0].item), 'Alpha Renamed');
    assert.equal(roots[0].item.id, `project/${alpha.slug}`, 'stable id across the rename');
  });

  it('removes a project (tree node argument, no confirmation) and the tree empties', async () => {
    const [root] = await api.tree.getChildren();
    const removed = await vscode.commands.executeCommand<boolean>('sdlcLens.removeProject', root, { confirm: false });
    assert.equal(removed, true);
    assert.deepEqual(await api.tree.getChildren(), []);
    assert.equal(api.statusBar.view?.visible, false, 'status item hidden again');
  });

  it('detects the workspace sdlc-studio folder through the multi-select quick pick (pre-picked)', async () => {
    const ws = vscode.workspace.workspaceFolders?.[0];
    assert.ok(ws && fs.existsSync(path.join(ws.uri.fsPath, 'sdlc-studio')), 'the harness workspace holds sdlc-studio/');
    let shown!: (pick: vscode.QuickPick<vscode.QuickPickItem>) => void;
    const showing = new Promise<vscode.QuickPick<vscode.QuickPickItem>>((resolve) => (shown = resolve));
    const result = vscode.commands.executeCommand<Project[]>('sdlcLens.detectProjects', { onDidShow: shown });
    const pick = await within(showing, 10_000, 'the detect prompt');
    assert.equal(pick.canSelectMany, true);
    assert.deepEqual(pick.selectedItems.map((i) => i.label), [path.basename(ws.uri.fsPath)], 'shown with its folder checked');
    // Enter at once: what is shown checked is registered
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const added = await within(Promise.resolve(result), 10_000, 'detectProjects to finish after Enter');
    assert.equal(added.length, 1);
    assert.equal(added[0].sdlc_path, fs.realpathSync(path.join(ws.uri.fsPath, 'sdlc-studio')));
    assert.equal(added[0].name, path.basename(ws.uri.fsPath));
  });

  it('does not offer a folder that is already registered', async () => {
    const again = await vscode.commands.executeCommand<Project[]>('sdlcLens.detectProjects', { pickAll: true });
    assert.deepEqual(again, []);
    assert.equal((await api.engine.listProjects()).length, 1);
  });

  it('registers every detected folder with { pickAll: true }', async () => {
    await removeAllProjects(api);
    const added = await vscode.commands.executeCommand<Project[]>('sdlcLens.detectProjects', { pickAll: true });
    assert.equal(added.length, 1);
    assert.equal((await api.tree.getChildren()).length, 1);
  });
});
