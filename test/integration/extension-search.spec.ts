// Search Documents and Open Document by ID in the real extension host, driven through the
// commands' test hooks (the QuickPick they show): items for a query, typed filters, superseded
// queries never shown, Enter opens the document.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ByIdItem } from '../../src/extension/search/openById';
import type { SearchItem } from '../../src/extension/search/searchPick';
import { lens, removeAllProjects, within } from './support/lens';
import { linkedProject, type LinkedProject } from './support/linkedProject';

/** Resolves with the next editor showing `file`. */
function editorFor(file: string): Promise<vscode.TextEditor> {
  if (vscode.window.activeTextEditor?.document.uri.fsPath === file) return Promise.resolve(vscode.window.activeTextEditor);
  let sub: vscode.Disposable | undefined;
  const p = new Promise<vscode.TextEditor>((resolve) => {
    sub = vscode.window.onDidChangeActiveTextEditor((e) => e?.document.uri.fsPath === file && resolve(e));
  });
  return within(p, 10_000, `an editor on ${file}`).finally(() => sub?.dispose());
}

describe('extension: search and open by id', function () {
  this.timeout(60_000);
  let api: Awaited<ReturnType<typeof lens>>;
  let lp: LinkedProject;

  before(async () => {
    api = await lens();
    await removeAllProjects(api);
    lp = await linkedProject(api.engine, 'Searchable');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await removeAllProjects(api);
    fs.rmSync(lp.root, { recursive: true, force: true });
  });

  it('searches as you type: ranked items with id, title, type, status and a plain-text snippet; filters; Enter opens', async () => {
    const applied: { value: string; items: readonly SearchItem[] }[] = [];
    let waiter: { value: string; resolve: () => void } | undefined;
    let pick!: vscode.QuickPick<SearchItem>;
    const shown = new Promise<void>((resolve) => {
      void vscode.commands.executeCommand('sdlcLens.searchDocuments', {
        onDidShow: (p: vscode.QuickPick<SearchItem>) => {
          pick = p;
          resolve();
        },
        onDidApply: (value: string, items: readonly SearchItem[]) => {
          applied.push({ value, items });
          if (waiter && waiter.value === value) waiter.resolve();
        },
      });
    });
    await within(shown, 10_000, 'the search quick pick');
    const answer = (value: string) => {
      const p = new Promise<void>((resolve) => (waiter = { value, resolve }));
      pick.value = value;
      return within(p, 10_000, `the answer for "${value}"`).then(() => applied[applied.length - 1]!.items);
    };
    assert.equal(pick.matchOnDescription, false);
    assert.equal(pick.matchOnDetail, false);

    // typed quickly one after the other: only the newest query's answer is shown
    pick.value = 'epic';
    pick.value = 'broken';
    const items = await answer('gizmo');
    assert.ok(!applied.some((a) => a.value === 'epic' || a.value === 'broken'), JSON.stringify(applied.map((a) => a.value)));
    const labels = items.map((i) => i.label).sort();
    assert.deepEqual(labels, ['BG0001 · Broken Gizmo', 'US0001 · First Story', 'US0002 · Second Story']);
    const first = items.find((i) => i.label === 'US0001 · First Story')!;
    assert.equal(first.description, 'Story · Done');
    assert.ok(first.detail && !/<\/?mark>/.test(first.detail) && first.detail.includes('gizmo'), first.detail);
    assert.ok(first.detail.includes('&lt;b&gt;'), `entities written in the file stay as written: ${first.detail}`);
    assert.equal(first.buttons?.[0]?.tooltip, 'Open to the Side');

    // issue 20: results appear mid-word (the last word gets a * while typing), words are AND-ed
    assert.deepEqual((await answer('gizm')).map((i) => i.label).sort(), ['BG0001 · Broken Gizmo', 'US0001 · First Story', 'US0002 · Second Story']);
    assert.deepEqual((await answer('gi')).map((i) => i.label).length, 3, 'two characters are enough');
    assert.deepEqual((await answer('gizmo brea')).map((i) => i.label), ['BG0001 · Broken Gizmo']);
    assert.deepEqual((await answer('gizmo -breaks')).map((i) => i.label).sort(), ['US0001 · First Story', 'US0002 · Second Story']);

    const bugs = await answer('type:bug status:open gizmo');
    assert.deepEqual(bugs.map((i) => i.label), ['BG0001 · Broken Gizmo']);
    assert.deepEqual((await answer('type:epic gizmo')).map((i) => i.label), ['No matching documents']);

    await answer('gizmo type:story status:draft');
    const target = pick.items.find((i) => i.label === 'US0002 · Second Story')!;
    pick.activeItems = [target];
    const opened = editorFor(lp.file('stories/US0002-second.md'));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await opened;
  });

  it('Open Document by ID lists every document as "ID · Title" and opens the chosen one', async () => {
    let pick!: vscode.QuickPick<ByIdItem>;
    await within(
      new Promise<void>((resolve) => {
        void vscode.commands.executeCommand('sdlcLens.openDocumentById', {
          onDidShow: (p: vscode.QuickPick<ByIdItem>) => {
            pick = p;
            resolve();
          },
        });
      }),
      10_000,
      'the open-by-id quick pick',
    );
    assert.deepEqual(pick.items.map((i) => i.label).sort(), [
      'BG0001 · Broken Gizmo',
      'EP0001 · <img src=x onerror=alert(1)>',
      'PL0001 · Plan',
      'US0001 · First Story',
      'US0002 · Second Story',
    ]);
    const bug = pick.items.find((i) => i.label.startsWith('BG0001'))!;
    assert.equal(bug.description, 'Bug · Open');
    pick.value = 'BG0001';
    pick.activeItems = [bug];
    const opened = editorFor(lp.file('bugs/BG0001-broken.md'));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await opened;
  });
});
