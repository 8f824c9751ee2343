// Sync inside the real extension host: Sync Project / Sync All / Cancel Sync, progress, the 409 rule,
// the error path and recovery, the tree's groups and documents, the status bar's states, the log.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SyncOutcome } from '../../src/core/types';
import type { State } from '../../src/extension/statusModel';
import type { LensNode } from '../../src/extension/tree/nodes';
import { generateProject } from './support/generate';
import { children, colorId, copyCorpus, countDocs, holdDatabaseLock, iconOf, labelOf, lens, register, removeAllProjects, until, within } from './support/lens';

describe('extension: sync', function () {
  this.timeout(90_000);
  let api: Awaited<ReturnType<typeof lens>>;
  let folder: string;
  let slug: string;
  let docs: number;

  before(async () => {
    api = await lens();
    await removeAllProjects(api);
    folder = copyCorpus('sample', 'harbor');
    docs = countDocs(folder);
    slug = (await register(folder, 'Harbor'))!.slug;
  });
  after(async () => removeAllProjects(api));

  it('syncs the only project with no argument, showing syncing then synced in the status bar', async () => {
    await api.tree.getChildren(); // the view has shown the project node
    await api.tree.changesSent(); // what earlier steps asked for has gone out
    const states: State[] = [];
    const sub = api.store.onDidChange((s) => states.push(s));
    const fired: (LensNode | undefined)[] = [];
    const treeSub = api.tree.onDidChangeTreeData((n) => fired.push(n ?? undefined));
    let outcome: SyncOutcome | undefined;
    try {
      outcome = await vscode.commands.executeCommand<SyncOutcome>('sdlcLens.syncProject');
      await api.tree.changesSent(); // held while the view reads the tree (changeGate.ts)
    } finally {
      sub.dispose();
      treeSub.dispose();
    }
    assert.ok(outcome);
    assert.equal(outcome.sync_status, 'synced', outcome.sync_error ?? '');
    assert.equal(outcome.added, docs);
    assert.equal(outcome.errors, 0);
    const texts = states.map((s) => api.statusModel.renderStatus(s).text);
    assert.ok(texts.includes('$(sync~spin) SDLC: syncing Harbor'), JSON.stringify(texts));
    assert.ok(states.some((s) => s.running.some((r) => r.total > 0 && r.seen > 0)), 'progress reached the state');
    assert.equal(api.statusBar.item.text, `$(check) SDLC: ${docs} docs`);
    assert.equal(api.statusBar.item.backgroundColor, undefined);
    assert.equal(api.statusBar.item.name, 'SDLC Lens');
    assert.match(String(api.statusBar.item.tooltip), /Harbor — synced/);
    // only this project's node was refreshed, never the whole tree
    assert.ok(fired.length > 0);
    assert.ok(fired.every((n) => n?.kind === 'project' && n.slug === slug), JSON.stringify(fired.map((n) => n?.id)));
  });

  it('shows the synced project with a check, its document count, groups in reading order and documents', async () => {
    const [project] = await children(api);
    assert.deepEqual(iconOf(project.item), { id: 'check', color: 'testing.iconPassed' });
    assert.equal(project.item.contextValue, 'project.synced');
    assert.match(String(project.item.description), new RegExp(`^${docs} docs · `));
    assert.equal(project.item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const groups = (await children(api, project.node)).filter((g) => g.node.kind === 'group');
    const labels = groups.map((g) => labelOf(g.item));
    assert.deepEqual(labels, [
      'PRD', 'TRD', 'TSD', 'Epics', 'Stories', 'Plans', 'Test Specs', 'Bugs', 'Change Requests', 'RFCs', 'Retros',
      'Decisions', 'Personas Overview',
    ]);
    assert.equal(groups.reduce((n, g) => n + Number(g.item.description), 0), docs);
    const stories = groups.find((g) => labelOf(g.item) === 'Stories')!;
    assert.equal(stories.item.description, '16');
    const items = await children(api, stories.node);
    assert.deepEqual(items.slice(0, 3).map((i) => labelOf(i.item)), ['US0000', 'US0001', 'US0002'], 'sequential ids first');
    assert.equal(labelOf(items[items.length - 1].item), 'US-01KZH5K9', 'ULID ids after');
    const first = items.find((i) => labelOf(i.item) === 'US0001');
    assert.ok(first, items.map((i) => labelOf(i.item)).join(', '));
    assert.equal(first.item.description, 'Done · Browse rooms by floor', 'the status comes first');
    assert.ok(typeof first.item.description === 'string');
    assert.ok(iconOf(first.item).id.length > 0);
    assert.equal(first.item.command?.command, 'sdlcLens.openDocument');
    assert.equal(first.item.contextValue, 'document');
    // getParent walks document → group → project with the same ids the tree returned
    const group = api.tree.getParent(first.node)!;
    assert.equal(group.id, stories.node.id);
    assert.equal(api.tree.getParent(group)?.id, project.node.id);
    // icons per status group
    const all = (await Promise.all(groups.map((g) => children(api, g.node)))).flat();
    for (const d of all) {
      const { id, color } = iconOf(d.item);
      const status = d.node.kind === 'document' ? (d.node.doc.status ?? '') : '';
      if (/^(Done|Complete)$/.test(status)) assert.deepEqual({ id, color }, { id: 'pass', color: 'testing.iconPassed' }, status);
      if (/^(Draft|Proposed)$/.test(status)) assert.equal(id, 'circle-outline', status);
      if (status === '') assert.equal(id, 'file');
    }
  });

  it('opens a document from its node, and "Reveal Active File" selects it in the tree', async () => {
    const hit = (await api.engine.documentSummaries(slug)).find((d) => d.doc_id.startsWith('US0001'))!;
    const uri = vscode.Uri.file(path.join(folder, hit.file_path));
    await vscode.commands.executeCommand('sdlcLens.openDocument', uri);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, uri.fsPath);
    await vscode.commands.executeCommand('sdlcLens.projects.focus');
    // the health check that follows a sync refreshes the project's row; VS Code drops a reveal that
    // races a refresh of its ancestors, so reveal once that background work has settled
    await api.health()?.model.settled();
    const revealed = await vscode.commands.executeCommand<boolean>('sdlcLens.revealActiveFile');
    assert.equal(revealed, true);
    // the workbench reports the new selection back to the extension host asynchronously
    await until(() => api.treeView.selection[0]?.id === `doc/${slug}/${hit.file_path}`, 'the revealed document to be selected');
  });

  it('refuses a second sync of a project that is syncing (409 rule) and starts nothing', async () => {
    // The first run is held on the database lock (a real condition), so it is still running when the
    // second request comes, however fast the sync is.
    const hold = holdDatabaseLock(api);
    let first: Thenable<SyncOutcome> | undefined;
    try {
      first = vscode.commands.executeCommand<SyncOutcome>('sdlcLens.syncProject', slug);
      await until(() => api.runner.isRunning(slug), 'the first sync to be running');
      const second = await within(vscode.commands.executeCommand('sdlcLens.syncProject', slug), 10_000, 'the refused sync');
      assert.equal(second, undefined, 'the second request starts nothing');
      assert.equal(api.runner.isRunning(slug), true, 'the first run is still held');
    } finally {
      hold.release();
    }
    const outcome = await first!;
    assert.equal(outcome.sync_status, 'synced');
    assert.equal(outcome.added + outcome.updated + outcome.skipped, docs, 'one run saw every document once');
  });

  it('cancels a running sync with "Cancel Sync": nothing changes, the project ends in error', async () => {
    const big = generateProject(1500, 'big');
    const bigSlug = (await register(big.dir, 'Big'))!.slug;
    // Once the run has claimed the project, the lock is held, so its write waits until the test has
    // cancelled it: the cancel cannot arrive after a fast run has finished.
    let hold: { release(): void } | undefined;
    const cancelled = new Promise<boolean>((resolve) => {
      const sub = api.runner.onDidStart((s) => {
        if (s !== bigSlug) return;
        sub.dispose();
        hold = holdDatabaseLock(api);
        resolve(vscode.commands.executeCommand<boolean>('sdlcLens.cancelSync', bigSlug) as Promise<boolean>);
      });
    });
    const run = vscode.commands.executeCommand<SyncOutcome>('sdlcLens.syncProject', bigSlug);
    assert.equal(await cancelled, true);
    hold!.release();
    const outcome = await run;
    assert.equal(outcome.cancelled, true);
    assert.equal(outcome.sync_status, 'error');
    assert.equal((await api.engine.getProject(bigSlug)).document_count, 0, 'a cancelled run writes no document');
    assert.equal(api.runner.isRunning(bigSlug), false);
    assert.equal(await vscode.commands.executeCommand('sdlcLens.cancelSync', bigSlug), false, 'nothing left to cancel');
    await vscode.commands.executeCommand('sdlcLens.removeProject', bigSlug, { confirm: false });
    fs.rmSync(path.dirname(path.dirname(big.dir)), { recursive: true, force: true });
  });

  it('shows the error state when the folder is gone: error icon, error background, message', async () => {
    const away = `${folder}.away`;
    fs.renameSync(folder, away);
    try {
      const outcome = await vscode.commands.executeCommand<SyncOutcome>('sdlcLens.syncProject', slug);
      assert.equal(outcome.sync_status, 'error');
      assert.match(outcome.sync_error ?? '', /not found|does not exist|missing/i);
      const [project] = await children(api);
      assert.deepEqual(iconOf(project.item), { id: 'error', color: 'errorForeground' });
      assert.equal(project.item.contextValue, 'project.error');
      assert.match((project.item.tooltip as vscode.MarkdownString).value, /not found|does not exist|missing/i);
      assert.equal(api.statusBar.item.text, '$(error) SDLC: 1 error');
      assert.ok(api.statusBar.item.backgroundColor instanceof vscode.ThemeColor);
      assert.equal(colorId(api.statusBar.item.backgroundColor), 'statusBarItem.errorBackground');
      assert.deepEqual(api.statusBar.view?.command, { id: 'sdlcLens.showProjectError', title: 'Show Sync Error', args: [slug] });
      assert.equal((await api.engine.getProject(slug)).document_count, docs, 'documents are preserved');
      // the status bar's click: that project's error (with Retry)
      const shown = await vscode.commands.executeCommand<string>('sdlcLens.showProjectError', slug);
      assert.equal(shown, (await api.engine.getProject(slug)).sync_error);
    } finally {
      fs.renameSync(away, folder);
    }
  });

  it('recovers with a sync once the folder is back', async () => {
    const outcome = await vscode.commands.executeCommand<SyncOutcome>('sdlcLens.syncProject', slug);
    assert.equal(outcome.sync_status, 'synced');
    assert.equal(api.statusBar.item.text, `$(check) SDLC: ${docs} docs`);
    assert.equal(api.statusBar.item.backgroundColor, undefined);
  });

  it('syncs every project with "Sync All Projects"', async () => {
    const second = copyCorpus('sample', 'second');
    const s2 = (await register(second, 'Second'))!.slug;
    fs.writeFileSync(path.join(folder, 'stories', 'US0099-new-story.md'), '# US0099: New Story\n\n> **Status:** Draft\n');
    const outcomes = await vscode.commands.executeCommand<SyncOutcome[]>('sdlcLens.syncAll');
    assert.deepEqual(outcomes.map((o) => [o.slug, o.sync_status]).sort(), [[slug, 'synced'], [s2, 'synced']].sort());
    assert.equal(outcomes.find((o) => o.slug === slug)?.added, 1);
    assert.match(api.log.recent.join('\n'), new RegExp(`Sync All \\(2 projects\\): 2 synced — ${docs + 1} added, 0 updated, 0 deleted\\.`), 'one summary with counts');
    assert.equal(api.statusBar.item.text, `$(check) SDLC: ${docs * 2 + 1} docs`);
    await vscode.commands.executeCommand('sdlcLens.removeProject', s2, { confirm: false });
  });

  it('writes one line per sync start and end to the "SDLC Lens" log channel', async () => {
    await vscode.commands.executeCommand('sdlcLens.showLog');
    const recent = api.log.recent.join('\n');
    // each run writes exactly one "sync started" and one "sync ended" line (the engine's), nothing more
    const ended = new RegExp(`${slug}: sync ended (?:synced|error)`);
    const runs = recent.split(ended).slice(0, -1);
    assert.ok(runs.length >= 3);
    for (const r of runs) assert.equal(r.match(new RegExp(`${slug}: sync started`, 'g'))?.length, 1, r.slice(-400));
    assert.doesNotMatch(recent, /Sync (?:started|finished): Harbor/);
    assert.match(recent, new RegExp(`${slug}: sync ended synced`));
    assert.match(recent, new RegExp(`${slug}: sync ended error`));
    // and the real channel's file receives the lines (the log service flushes asynchronously)
    const deadline = Date.now() + 10_000;
    let text = '';
    while (Date.now() < deadline) {
      text = fs.existsSync(api.logFile.fsPath) ? fs.readFileSync(api.logFile.fsPath, 'utf8') : '';
      if (new RegExp(`${slug}: sync ended synced`).test(text)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(text, new RegExp(`\\[info\\] ${slug}: sync started`));
  });

  it('clears a project\'s stored documents on request (files untouched), and a sync brings them back', async () => {
    assert.equal(await vscode.commands.executeCommand('sdlcLens.clearProjectDocuments', slug, { confirm: false }), true);
    assert.equal((await api.engine.getProject(slug)).document_count, 0);
    assert.ok(fs.existsSync(path.join(folder, 'prd.md')));
    const outcome = await vscode.commands.executeCommand<SyncOutcome>('sdlcLens.syncProject', slug);
    assert.equal(outcome.added, docs + 1);
  });

  it('reveals a project folder: outside the workspace, the OS file manager (desktop) or its path (web)', async () => {
    const how = await vscode.commands.executeCommand<string>('sdlcLens.revealProjectFolder', slug);
    assert.equal(how, vscode.env.uiKind === vscode.UIKind.Desktop ? 'os' : 'message');
  });

  it('reveals a project folder inside the workspace in the Explorer', async () => {
    const ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const inside = (await register(path.join(ws, 'sdlc-studio'), 'In Workspace'))!.slug;
    try {
      assert.equal(await vscode.commands.executeCommand<string>('sdlcLens.revealProjectFolder', inside), 'explorer');
    } finally {
      await vscode.commands.executeCommand('sdlcLens.removeProject', inside, { confirm: false });
    }
  });
});
