// The Projects view in the real extension host: grouping by type / status / epic and the "hide
// finished" filter (children read back from the tree data provider), the scope toggle, the document
// context menu, Change Folder…, context keys, the auto-sync file rule, and a sync started through the
// API server showing in this window's status model.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isTerminal } from '../../src/core/parse';
import type { Project, SyncOutcome } from '../../src/core/types';
import { CONTEXT_KEYS } from '../../src/extension/contextKeys';
import { documentId, PAGE_SIZE, type DocumentNode, type GroupNode, type LensNode } from '../../src/extension/tree/nodes';
import { SYNCING_ROW_DELAY_MS } from '../../src/extension/tree/projectsTree';
import { generateProject } from './support/generate';
import { children, copyCorpus, countDocs, holdDatabaseLock, labelOf, lens, register, removeAllProjects, stateWhere, until, within } from './support/lens';

const config = () => vscode.workspace.getConfiguration('sdlcLens');
const set = (key: string, value: unknown) => config().update(key, value, vscode.ConfigurationTarget.Global);

describe('extension: the Projects view', function () {
  this.timeout(90_000);
  let api: Awaited<ReturnType<typeof lens>>;
  let folder: string;
  let slug: string;

  /** The rows under the project, and under each of them, as labels. */
  async function projectRows(): Promise<{ node: LensNode; item: vscode.TreeItem }[]> {
    const [root] = (await children(api)).filter((r) => r.node.slug === slug);
    return (await children(api, root.node)).filter((r) => r.node.kind === 'group');
  }

  before(async () => {
    api = await lens();
    await removeAllProjects(api);
    folder = copyCorpus('sample', 'harbor-tree');
    slug = (await register(folder, 'Harbor Tree'))!.slug;
    const outcome = await vscode.commands.executeCommand<SyncOutcome>('sdlcLens.syncProject', slug);
    assert.equal(outcome.sync_status, 'synced');
  });
  after(async () => {
    await vscode.commands.executeCommand('sdlcLens.groupByType');
    await vscode.commands.executeCommand('sdlcLens.showFinished');
    await set('autoSync', undefined);
    await set('autoSyncDebounceMs', undefined);
    await removeAllProjects(api);
  });

  it('groups by status and by epic, and back by type; the view description and context keys follow', async () => {
    await vscode.commands.executeCommand('sdlcLens.groupByStatus');
    assert.equal(api.contextKeys.values.get(CONTEXT_KEYS.groupBy), 'status');
    assert.match(api.treeView.description ?? '', /by status/);
    const byStatus = await projectRows();
    const labels = byStatus.map((r) => labelOf(r.item));
    assert.ok(labels.includes('Done') && labels.includes('In Progress') && labels[labels.length - 1] === 'No Status', labels.join(', '));
    const done = byStatus.find((r) => labelOf(r.item) === 'Done')!;
    const doneDocs = await children(api, done.node);
    assert.ok(doneDocs.length >= 4 && doneDocs.every((d) => d.node.kind === 'document' && d.node.doc.status === 'Done'));
    assert.equal(Number(done.item.description), doneDocs.length);

    await vscode.commands.executeCommand('sdlcLens.groupByEpic');
    assert.equal(api.contextKeys.values.get(CONTEXT_KEYS.groupBy), 'epic');
    const byEpic = await projectRows();
    const ep1 = byEpic.find((r) => labelOf(r.item) === 'EP0001')!;
    assert.ok(ep1, byEpic.map((r) => labelOf(r.item)).join(', '));
    assert.equal(ep1.item.contextValue, 'document.group', 'the epic row is its document (context menu, click opens it)');
    const stories = await children(api, ep1.node);
    assert.deepEqual(stories.filter((s) => s.node.kind === 'document' && s.node.doc.type === 'story').map((s) => labelOf(s.item)), ['US0001', 'US0002', 'US0003', 'US0004', 'US0011']);
    const us1 = stories.find((s) => labelOf(s.item) === 'US0001')!;
    assert.equal(us1.item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed, 'a story with a plan opens');
    assert.deepEqual((await children(api, us1.node)).map((c) => labelOf(c.item)), ['PL0001']);
    // reveal walks the same parents the tree returned
    const plan = (await api.tree.getChildren(us1.node))[0];
    assert.equal(api.tree.getParent(plan)?.id, us1.node.id);
    assert.equal(api.tree.getParent(us1.node)?.id, ep1.node.id);

    await vscode.commands.executeCommand('sdlcLens.groupByType');
    assert.deepEqual((await projectRows()).slice(0, 5).map((r) => labelOf(r.item)), ['PRD', 'TRD', 'TSD', 'Epics', 'Stories']);
    assert.equal(api.view.settings.mode, 'type');
  });

  it('hides finished documents while the filter is on, and says so in the view description', async () => {
    await vscode.commands.executeCommand('sdlcLens.hideFinished');
    assert.equal(api.contextKeys.values.get(CONTEXT_KEYS.hideFinished), true);
    assert.match(api.treeView.description ?? '', /finished hidden/);
    const rows = await projectRows();
    const shown = (await Promise.all(rows.map((r) => children(api, r.node)))).flat();
    assert.ok(shown.length > 0);
    for (const d of shown) if (d.node.kind === 'document') assert.equal(isTerminal(d.node.doc.type, d.node.doc.status), false, labelOf(d.item));
    assert.equal(rows.reduce((n, r) => n + Number(r.item.description), 0), shown.length, 'group counts follow the filter');
    assert.ok(shown.length < countDocs(folder));
    await vscode.commands.executeCommand('sdlcLens.showFinished');
    assert.doesNotMatch(api.treeView.description ?? '', /finished/);
    assert.equal((await projectRows()).reduce((n, r) => n + Number(r.item.description), 0), countDocs(folder));
  });

  it('scopes the view to This Workspace (projects inside a workspace folder) or All Projects', async () => {
    const ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const inside = (await vscode.commands.executeCommand<Project[]>('sdlcLens.detectProjects', { pickAll: true }))[0];
    assert.ok(inside, 'the workspace sdlc-studio folder was registered');
    await vscode.commands.executeCommand('sdlcLens.showWorkspaceProjects');
    assert.equal(api.contextKeys.values.get(CONTEXT_KEYS.scope), 'workspace');
    assert.match(api.treeView.description ?? '', /^This Workspace/);
    assert.deepEqual((await children(api)).map((r) => r.node.slug), [inside.slug], `only projects under ${ws}`);
    await vscode.commands.executeCommand('sdlcLens.showAllProjects');
    assert.match(api.treeView.description ?? '', /^All Projects/);
    assert.deepEqual((await children(api)).map((r) => r.node.slug).sort(), [inside.slug, slug].sort());
    await vscode.commands.executeCommand('sdlcLens.removeProject', inside.slug, { confirm: false });
  });

  it('copies a document\'s id and relative path, and opens it to the side, from its row', async () => {
    const stories = (await projectRows()).find((r) => labelOf(r.item) === 'Stories')!;
    const us1 = (await children(api, stories.node)).find((d) => labelOf(d.item) === 'US0001')!;
    assert.equal(await vscode.commands.executeCommand('sdlcLens.copyDocumentId', us1.node), 'US0001');
    assert.equal(await vscode.env.clipboard.readText(), 'US0001');
    const rel = await vscode.commands.executeCommand<string>('sdlcLens.copyDocumentPath', us1.node);
    assert.equal(rel, 'stories/US0001-browse-rooms-by-floor.md', 'outside the workspace: relative to the project folder');
    await vscode.commands.executeCommand('sdlcLens.openDocumentToSide', us1.node);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, path.join(folder, rel));
    assert.equal(editor?.viewColumn, vscode.ViewColumn.Two);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('sets the syncing context key only while a sync runs, and the API keys only while the server runs', async () => {
    let during: unknown;
    const sub = api.runner.onDidStart(() => {
      // the key is set from the state change that follows the start, in the same turn
      during = api.contextKeys.values.get(CONTEXT_KEYS.syncing);
    });
    try {
      await vscode.commands.executeCommand('sdlcLens.syncProject', slug);
    } finally {
      sub.dispose();
    }
    assert.equal(during, true);
    assert.equal(api.contextKeys.values.get(CONTEXT_KEYS.syncing), false);
    await set('api.port', 0);
    try {
      assert.equal(await vscode.commands.executeCommand('sdlcLens.stopApiServer'), false, 'Stop with none running says so');
      await vscode.commands.executeCommand('sdlcLens.startApiServer');
      await until(() => api.contextKeys.values.get(CONTEXT_KEYS.apiRunning) === true, 'apiRunning');
      assert.equal(await vscode.commands.executeCommand('sdlcLens.stopApiServer'), true);
      await until(() => api.contextKeys.values.get(CONTEXT_KEYS.apiRunning) === false, 'apiRunning off');
    } finally {
      await set('api.port', undefined);
    }
  });

  it('re-renders a project row as "syncing" only once its sync has lasted SYNCING_ROW_DELAY_MS, then as synced', async () => {
    await children(api); // the root is read: the project's row exists
    const fires: { at: number; context: string | undefined }[] = [];
    let claimedAt = 0;
    let armed = false;
    const subs = [
      api.tree.onDidChangeTreeData((node) => {
        if (node?.kind !== 'project' || node.slug !== slug) return;
        const at = performance.now();
        void Promise.resolve(api.tree.getTreeItem(node)).then((item) => fires.push({ at, context: item.contextValue }));
      }),
    ];
    const offChange = api.engine.onDidChange((c) => {
      if (armed && c.kind === 'project' && c.slug === slug && !claimedAt) claimedAt = performance.now();
    });
    // Once the run has claimed the project, the write lock is held: the run stays "syncing" on a real
    // condition until the row has shown it, however fast the sync would be.
    let hold: { release(): void } | undefined;
    const started = new Promise<void>((resolve) => {
      subs.push(
        api.runner.onDidStart((s) => {
          if (s !== slug) return;
          hold = holdDatabaseLock(api);
          resolve();
        }),
      );
    });
    let run: Thenable<SyncOutcome> | undefined;
    try {
      armed = true;
      run = vscode.commands.executeCommand<SyncOutcome>('sdlcLens.syncProject', slug);
      await started;
      await until(() => fires.some((f) => f.context === 'project.syncing'), 'the row to show the held sync as syncing', 15_000);
    } finally {
      hold?.release();
    }
    assert.equal((await run!).sync_status, 'synced');
    await until(() => fires[fires.length - 1]?.context === 'project.synced', 'the row to show synced');
    offChange();
    for (const d of subs) d.dispose();
    const first = fires.find((f) => f.context === 'project.syncing')!;
    assert.ok(claimedAt > 0, 'the claim was seen');
    // a timer never fires early; the row would have been re-rendered within a round trip of the claim
    assert.ok(first.at - claimedAt >= SYNCING_ROW_DELAY_MS - 2, `"syncing" shown ${Math.round(first.at - claimedAt)} ms after the claim`);
  });

  it('shows a sync started through the API server as syncing in this window, then synced', async () => {
    const big = generateProject(1500, 'api-started');
    const p = (await register(big.dir, 'API Started'))!;
    await set('api.port', 0);
    const url = await vscode.commands.executeCommand<string>('sdlcLens.startApiServer');
    try {
      const syncing = stateWhere(api, (s) => s.projects.some((x) => x.slug === p.slug && x.sync_status === 'syncing'), 20_000);
      // every mutating route needs the token (api.md §1.2): the running server's, as Copy API URL gives it
      const token = api.api.token;
      assert.ok(token, 'the running server has a token');
      const res = await fetch(`${url}/projects/${p.slug}/sync`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 202);
      const mid = await syncing;
      assert.equal(mid.running.length, 0, 'not started by this window\'s runner');
      assert.match(api.statusModel.renderStatus(mid).text, /^\$\(sync~spin\) SDLC: syncing API Started/);
      const done = await stateWhere(api, (s) => s.projects.some((x) => x.slug === p.slug && x.sync_status === 'synced'), 60_000);
      assert.equal(done.projects.find((x) => x.slug === p.slug)?.document_count, big.total);
      assert.doesNotMatch(api.statusModel.renderStatus(done).text, /syncing/);
    } finally {
      await vscode.commands.executeCommand('sdlcLens.stopApiServer');
      await set('api.port', undefined);
      await vscode.commands.executeCommand('sdlcLens.removeProject', p.slug, { confirm: false });
      fs.rmSync(path.dirname(path.dirname(big.dir)), { recursive: true, force: true });
    }
  });

  it('auto-sync ignores _index.md but reacts to a hidden .draft.md (core\'s file rule)', async () => {
    await set('autoSyncDebounceMs', 100);
    await set('autoSync', true);
    await until(() => api.watcher.slugs.includes(slug), 'the watcher to start');
    assert.equal(await api.watcher.whenReady(slug), true);
    const seen = (name: string) =>
      within(
        new Promise<boolean>((resolve) => {
          const sub = api.watcher.onDidSeeChange((s, file, relevant) => {
            if (s === slug && path.basename(file) === name) {
              sub.dispose();
              resolve(relevant);
            }
          });
        }),
        15_000,
        `the watcher to see ${name}`,
      );
    const index = seen('_index.md');
    fs.writeFileSync(path.join(folder, 'epics', '_index.md'), '# Epics index (changed)\n');
    assert.equal(await index, false);
    assert.equal(api.watcher.isScheduled(slug), false, 'no sync scheduled for _index.md');
    const started = new Promise<Promise<SyncOutcome | undefined> | undefined>((resolve) => {
      const sub = api.runner.onDidStart((s) => s === slug && (sub.dispose(), resolve(api.runner.current(slug))));
    });
    const draft = seen('.draft.md');
    fs.writeFileSync(path.join(folder, 'stories', '.draft.md'), '# US0099: Draft idea\n\n> **Status:** Draft\n');
    assert.equal(await draft, true);
    const outcome = await within(started, 15_000, 'the auto-sync'); // the run's outcome (its promise is adopted)
    // the watcher passed the changed path: the engine's hinted sync considered that one file only
    assert.deepEqual(outcome && [outcome.added, outcome.updated, outcome.skipped, outcome.deleted], [1, 0, 0, 0]);
    const after = await stateWhere(api, (s) => s.running.length === 0 && s.projects.some((x) => x.slug === slug && x.document_count === countDocs(folder)));
    assert.ok(after);
    await set('autoSync', false);
  });

  it('holds a change event while the view reads the tree (VS Code would register the rows twice), then sends it once', async () => {
    await vscode.commands.executeCommand('sdlcLens.showAllProjects');
    try {
      const project = (await children(api)).find((r) => r.node.slug === slug)!.node;
      const fired: (LensNode | undefined)[] = [];
      const sub = api.tree.onDidChangeTreeData((n) => fired.push(n ?? undefined));
      try {
        // the project's groups are being read: the answer comes from the engine's worker, so it is
        // pending when the relative-time ticker re-renders the project rows in the same turn
        const reading = api.tree.getChildren(project);
        const later = new Date(Date.now() + 10 * 60_000); // every row's "… ago" reads differently then
        const rows = api.tree.refreshProjectRows(later);
        assert.ok(rows >= 1);
        assert.equal(api.tree.refreshProjectRows(later), 0, 'a row is re-rendered once until the view renders it again');
        assert.equal(fired.length, 0, 'no change event while getChildren is pending');
        const groups = await reading;
        assert.ok(groups.length > 0);
        const items = Promise.all(groups.map((g) => api.tree.getTreeItem(g))); // what VS Code asks next
        await until(() => fired.length >= rows, 'the held change events');
        await items;
        assert.ok(fired.includes(project), 'the project row is re-rendered');
        assert.ok(fired.every((n) => n?.kind === 'project'), `project rows only: ${fired.map((n) => n?.id).join(', ')}`);
        assert.equal(new Set(fired).size, fired.length, 'each once');
      } finally {
        sub.dispose();
      }
    } finally {
      await vscode.commands.executeCommand('sdlcLens.showWorkspaceProjects');
    }
  });

  it('re-renders only the row of a document edited in place, not its group, after a sync', async () => {
    await vscode.commands.executeCommand('sdlcLens.showAllProjects');
    const project = (await children(api)).find((r) => r.node.slug === slug)!.node; // the view's own (interned) row
    const stories = (await children(api, project)).find((r) => r.node.kind === 'group' && labelOf(r.item) === 'Stories')!;
    const rows = await children(api, stories.node);
    const us2 = rows.find((r) => labelOf(r.item) === 'US0002')!;
    const file = path.join(folder, (us2.node as DocumentNode).doc.file_path);
    const text = fs.readFileSync(file, 'utf8');
    const fired: (LensNode | undefined)[] = [];
    const sub = api.tree.onDidChangeTreeData((n) => fired.push(n ?? undefined));
    try {
      fs.writeFileSync(file, text.replace(/^# (.*)$/m, '# $1 (renamed in place)'));
      const outcome = await vscode.commands.executeCommand<SyncOutcome>('sdlcLens.syncProject', slug);
      assert.equal(outcome.updated, 1);
      await until(() => fired.includes(us2.node), 'the edited row to be re-rendered');
    } finally {
      sub.dispose();
      fs.writeFileSync(file, text);
      await vscode.commands.executeCommand('sdlcLens.showWorkspaceProjects');
    }
    assert.ok(!fired.includes(undefined), 'not the whole tree');
    assert.ok(!fired.some((n) => n?.kind === 'group'), 'no group is re-read');
    assert.ok(fired.every((n) => n === us2.node || n?.kind === 'project'), fired.map((n) => n?.id).join(', '));
    const item = await api.tree.getTreeItem(us2.node);
    assert.match(String(item.description), /\(renamed in place\)$/, 'the row shows the stored title');
    assert.equal((await children(api, stories.node)).length, rows.length, 'the group is unchanged');
    await vscode.commands.executeCommand<SyncOutcome>('sdlcLens.syncProject', slug);
  });

  it('pages a big group: the first rows and "Show N more…", which loads the next page; reveal reaches a document beyond it', async () => {
    // sized so that its largest group (stories, ~30 %) holds between one and two pages
    const big = generateProject(5 * PAGE_SIZE, 'paging');
    const p = (await register(big.dir, 'Paging'))!;
    await vscode.commands.executeCommand('sdlcLens.showAllProjects');
    try {
      assert.equal((await vscode.commands.executeCommand<SyncOutcome>('sdlcLens.syncProject', p.slug)).sync_status, 'synced');
      const project = { kind: 'project', id: `project/${p.slug}`, slug: p.slug } as const;
      const groups = (await children(api, project)).filter((r) => r.node.kind === 'group');
      const group = groups.sort((a, b) => (b.node as GroupNode).count - (a.node as GroupNode).count)[0]!;
      const count = (group.node as GroupNode).count;
      assert.ok(count > PAGE_SIZE && count <= 2 * PAGE_SIZE, `largest group: ${count}`);
      const stored = await api.engine.documentsOfType(p.slug, (group.node as GroupNode).type!);
      assert.equal(stored.length, count);

      const first = await children(api, group.node);
      assert.equal(first.length, PAGE_SIZE + 1, 'a page of rows and a "more" row');
      const more = first[PAGE_SIZE]!;
      assert.equal(more.node.kind, 'more');
      assert.equal(labelOf(more.item), `Show ${count - PAGE_SIZE} more…`);
      assert.equal(more.item.description, `${count - PAGE_SIZE} not shown`);
      assert.equal(api.tree.getParent(more.node)?.id, group.node.id);

      // the sync's health report and sdlc-studio's checks (each may refresh the project's row), then
      // every change earlier steps asked for has gone out
      await api.health()?.model.settled();
      await api.health()?.skill.settled();
      await api.tree.changesSent();
      const fired: (LensNode | undefined)[] = [];
      const sub = api.tree.onDidChangeTreeData((n) => fired.push(n ?? undefined));
      try {
        await vscode.commands.executeCommand(more.item.command!.command, ...(more.item.command!.arguments ?? []));
        await api.tree.changesSent(); // held while the view reads the tree (changeGate.ts)
      } finally {
        sub.dispose();
      }
      assert.deepEqual(fired, [group.node], 'the view is told to read the group again');
      const all = await children(api, group.node);
      assert.equal(all.length, count, 'every row, no "more" row left');
      assert.deepEqual(all.slice(0, PAGE_SIZE).map((r) => r.node.id), first.slice(0, PAGE_SIZE).map((r) => r.node.id), 'the first page unchanged');
      assert.deepEqual(new Set(all.map((r) => (r.node as DocumentNode).doc.file_path)), new Set(stored.map((d) => d.file_path)), 'each stored document once');

      // a fresh view (pages forgotten): reveal of the last row loads the pages up to it
      api.tree.refreshAll();
      await children(api, project);
      assert.equal((await api.tree.getChildren(group.node)).length, PAGE_SIZE + 1);
      const last = all[all.length - 1]!.node as DocumentNode;
      const editor = await vscode.window.showTextDocument(vscode.Uri.file(path.join(big.dir, last.doc.file_path)));
      await vscode.commands.executeCommand('sdlcLens.projects.focus');
      assert.equal(await vscode.commands.executeCommand('sdlcLens.revealActiveFile'), true);
      await until(() => api.treeView.selection[0]?.id === documentId(p.slug, last.doc.file_path), 'the revealed row to be selected');
      assert.equal(api.tree.getParent(api.treeView.selection[0]!)?.id, group.node.id);
      const after = await api.tree.getChildren(group.node);
      assert.ok(after.some((n) => n.id === last.id), 'the group now shows the revealed row');
      void editor;
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('sdlcLens.showWorkspaceProjects');
      await vscode.commands.executeCommand('sdlcLens.removeProject', p.slug, { confirm: false });
      fs.rmSync(path.dirname(path.dirname(big.dir)), { recursive: true, force: true });
    }
  });

  it('changes a moved project\'s folder ("Change Folder…") and syncs it there', async () => {
    const moved = `${folder}-moved`;
    fs.renameSync(folder, moved);
    const failed = await vscode.commands.executeCommand<SyncOutcome>('sdlcLens.syncProject', slug);
    assert.equal(failed.sync_status, 'error');
    const updated = await vscode.commands.executeCommand<Project>('sdlcLens.changeProjectFolder', slug, vscode.Uri.file(moved));
    assert.equal(updated.sdlc_path, fs.realpathSync(moved));
    assert.equal((await api.engine.getProject(slug)).sdlc_path, fs.realpathSync(moved), 'stored');
    const outcome = await vscode.commands.executeCommand<SyncOutcome>('sdlcLens.syncProject', slug);
    assert.equal(outcome.sync_status, 'synced');
    assert.equal(await vscode.commands.executeCommand('sdlcLens.changeProjectFolder', slug, vscode.Uri.file(path.join(moved, 'nope'))), undefined, 'a missing folder is refused');
    assert.equal((await api.engine.getProject(slug)).sdlc_path, fs.realpathSync(moved), 'and nothing changed');
    folder = moved;
  });
});
