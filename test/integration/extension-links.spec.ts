// Links between documents in the real extension host: document links, hover (escaped payload),
// Go to Definition, Find All References, and the Related view following the active editor.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { NOT_A_DOCUMENT } from '../../src/extension/related/relatedView';
import { lens, removeAllProjects, until } from './support/lens';
import { linkedProject, PAYLOAD, type LinkedProject } from './support/linkedProject';

/** Asks `probe` again every 50 ms until it answers something (the resolver answering afresh after a change). */
async function eventually<T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const hoverText = (hovers: vscode.Hover[]) =>
  hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');

describe('extension: links between documents', function () {
  this.timeout(60_000);
  let api: Awaited<ReturnType<typeof lens>>;
  let lp: LinkedProject;
  let notes: vscode.TextDocument;
  const at = (doc: vscode.TextDocument, text: string, nth = 0) => {
    let i = -1;
    for (let k = 0; k <= nth; k++) i = doc.getText().indexOf(text, i + 1);
    assert.ok(i >= 0, `${text} in ${doc.uri.fsPath}`);
    return doc.positionAt(i + 2);
  };

  before(async () => {
    api = await lens();
    await removeAllProjects(api);
    lp = await linkedProject(api.engine, 'Linked');
    notes = await vscode.workspace.openTextDocument(lp.notes);
    assert.equal(notes.languageId, 'markdown');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await removeAllProjects(api);
    fs.rmSync(lp.root, { recursive: true, force: true });
  });

  it('turns ids that exist into links to their files, in a markdown file outside sdlc-studio; unknown ids are no links', async () => {
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', notes.uri);
    const ours = links.filter((l) => l.target?.scheme === 'file').map((l) => [notes.getText(l.range), l.target!.fsPath]);
    assert.deepEqual(ours, [
      ['US0001', lp.file('stories/US0001-first.md')],
      ['EP0001', lp.file('epics/EP0001-payload.md')],
    ]);
  });

  it('hover shows title, type, status, epic and owner, with an open link', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', notes.uri, at(notes, 'US0001'));
    const text = hoverText(hovers);
    for (const s of ['US0001 · First Story', 'Type: Story', 'Status: Done', 'Epic: EP0001', 'Owner: Alice', 'command:sdlcLens.openDocument?']) {
      assert.ok(text.includes(s), `${s} in ${text}`);
    }
    const link = /\(command:sdlcLens\.openDocument\?([^)]+)\)/.exec(text)![1]!;
    const [uri] = JSON.parse(decodeURIComponent(link)) as { path: string; scheme: string }[];
    assert.deepEqual([uri!.scheme, uri!.path], ['file', vscode.Uri.file(lp.file('stories/US0001-first.md')).path]);
    assert.equal((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', notes.uri, at(notes, 'US0999'))).length, 0);
  });

  it('hover of a document whose title is an HTML payload shows it escaped (inert text)', async () => {
    const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', notes.uri, at(notes, 'EP0001')));
    assert.ok(text.includes('\\<img src=x onerror=alert\\(1\\)\\>'), text);
    assert.ok(!text.includes(PAYLOAD), 'the raw payload never reaches the hover');
  });

  it('Go to Definition on an id opens its document', async () => {
    const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', notes.uri, at(notes, 'EP0001'));
    const uris = defs.map((d) => ('uri' in d ? d.uri : d.targetUri).fsPath);
    assert.deepEqual(uris, [lp.file('epics/EP0001-payload.md')]);
  });

  it('Find All References lists the documents pointing at it: fields and mentions, at their positions', async () => {
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', notes.uri, at(notes, 'US0001'));
    const got = refs.map((r) => `${r.uri.fsPath.slice(lp.sdlc.length + 1)}:${r.range.start.line}:${r.range.start.character}-${r.range.end.character}`).sort();
    assert.deepEqual(got, [
      'bugs/BG0001-broken.md:3:13-19', // > **Story:** US0001
      'plans/PL0001-plan.md:3:13-19',
      'stories/US0001-first.md:0:0-0', // the declaration
      'stories/US0002-second.md:3:18-24', // > **Depends On:** US0001
      'stories/US0002-second.md:5:8-14', // Follows US0001 closely.
    ]);
  });

  it('the Related view follows the active editor: parents, children, depends on, dependents; a message elsewhere', async () => {
    await vscode.window.showTextDocument(vscode.Uri.file(lp.file('stories/US0001-first.md')));
    await api.related.update();
    const sections = api.related.getChildren();
    const shown = sections.map((s) => [s.kind === 'section' ? s.label : '', api.related.getChildren(s).map((d) => (d.kind === 'doc' ? d.item.doc_id : ''))]);
    assert.deepEqual(shown, [
      ['Parents', ['EP0001-payload']],
      ['Children', ['BG0001-broken', 'PL0001-plan']],
      ['Depends On', []],
      ['Dependents', ['US0002-second']],
    ]);
    const child = api.related.getChildren(sections[1]!)[0]!;
    const item = api.related.getTreeItem(child);
    assert.equal(item.label, 'BG0001 · Broken Gizmo');
    assert.equal(item.command?.command, 'sdlcLens.openDocumentRef');
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, lp.file('bugs/BG0001-broken.md'));
    await until(() => api.related.document?.doc_id === 'BG0001-broken', 'the Related view to follow the opened document');
    assert.equal(api.related.treeView.message, undefined);

    await vscode.window.showTextDocument(notes);
    await api.related.update();
    assert.deepEqual(api.related.getChildren(), []);
    assert.equal(api.related.treeView.message, NOT_A_DOCUMENT);
  });

  describe('an id several projects have (issue 20)', () => {
    let second: LinkedProject;
    before(async () => {
      // a second project with the same ids: outside both, US0001 is ambiguous
      second = await linkedProject(api.engine, 'Twin');
      await vscode.workspace.openTextDocument(lp.notes);
    });
    after(() => fs.rmSync(second.root, { recursive: true, force: true }));

    it('outside the projects, its link opens a pick of both documents and its hover lists each', async () => {
      const outside = await vscode.workspace.openTextDocument(vscode.Uri.file(lp.notes));
      // the engine changed (a new project): wait until the resolver answers afresh
      const ambiguousLink = async () => {
        const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', outside.uri);
        return links.find((l) => outside.getText(l.range) === 'US0001' && l.target?.scheme === 'command');
      };
      const link = await eventually(ambiguousLink, 15_000, 'a choice link on US0001');
      assert.equal(link.target!.path, 'sdlcLens.openDocumentChoice');
      const [items] = JSON.parse(decodeURIComponent(link.target!.query)) as { label: string; description: string }[][];
      assert.deepEqual(items!.map((i) => [i.label, i.description]), [
        ['US0001 · First Story', 'Story · Done · Linked'],
        ['US0001 · First Story', 'Story · Done · Twin'],
      ]);

      const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', outside.uri, at(outside, 'US0001')));
      assert.ok(text.includes('is in 2 projects'), text);
      assert.equal((text.match(/\[Open\]\(command:sdlcLens\.openDocument\?/g) ?? []).length, 2, text);
      for (const p of ['Linked', 'Twin']) assert.ok(text.includes(p), `${p} in ${text}`);

      // the link's command shows the pick; accepting its first item opens that project's file
      let opened: string | undefined;
      const sub = vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e?.document.uri.fsPath.endsWith('US0001-first.md')) opened = e.document.uri.fsPath;
      });
      try {
        void vscode.commands.executeCommand('sdlcLens.openDocumentChoice', JSON.parse(decodeURIComponent(link.target!.query))[0]);
        // Enter on the pick once it is there (its first item is active)
        await eventually(async () => (await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem'), opened), 10_000, 'the chosen file');
      } finally {
        sub.dispose();
      }
      assert.equal(opened, lp.file('stories/US0001-first.md'));
    });

    it('inside a project, the same id resolves to that project first (a plain file link)', async () => {
      const inTwin = await vscode.workspace.openTextDocument(vscode.Uri.file(second.file('stories/US0002-second.md')));
      const links = await eventually(async () => {
        const all = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', inTwin.uri);
        return all.find((l) => inTwin.getText(l.range) === 'US0001' && l.target?.scheme === 'file');
      }, 15_000, 'a file link on US0001');
      assert.equal(links.target!.fsPath, second.file('stories/US0001-first.md'));
    });
  });
});
