// Acting on documents in the real extension host (issue 15): Set Status without the skill changes
// one line on disk and the tree, the diagnostics and the board follow; a dirty buffer gets the edit
// in the buffer (undoable, the file untouched); through the shared sdlc-studio skill copy the index
// follows and a refusal's reason is what is shown; the board's model follows an external edit and a
// move; completion offers ids, link forms and statuses.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StatusOutcome } from '../../src/extension/status/flow';
import type { BoardModel } from '../../src/extension/board/model';
import type { LensNode } from '../../src/extension/tree/nodes';
import { copyCorpus, lens, register, removeAllProjects, within } from './support/lens';
import { hasSkill, installSkill } from './support/skill';

type Api = Awaited<ReturnType<typeof lens>>;

/** Polls an async condition (every 25 ms) until it holds; returns the ms it took. */
async function eventually(pred: () => Promise<boolean> | boolean, what: string, ms: number): Promise<number> {
  const t0 = performance.now();
  while (!(await pred())) {
    if (performance.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return performance.now() - t0;
}

/**
 * Reads the status the Projects tree shows for a document: its type group is found once, then each
 * read is one getChildren of that group (the polling itself must not load the worker).
 */
async function treeStatusReader(api: Api, slug: string, type: string, filePath: string): Promise<() => Promise<string | null | undefined>> {
  const project = (await api.tree.getChildren()).find((n) => n.kind === 'project' && n.slug === slug);
  assert.ok(project, 'the project in the tree');
  const group = (await api.tree.getChildren(project)).find((g) => g.kind === 'group' && g.type === type);
  assert.ok(group, `the ${type} group`);
  return async () => {
    const hit = (await api.tree.getChildren(group)).find((d: LensNode) => d.kind === 'document' && d.doc.file_path === filePath);
    return hit && hit.kind === 'document' ? hit.doc.status : undefined;
  };
}

const lensDiagnostics = (file: string, rule: string) =>
  vscode.languages.getDiagnostics(vscode.Uri.file(file)).filter((d) => d.source === 'SDLC Lens' && (d.code as { value?: unknown })?.value === rule);

const setStatus = (target: unknown, status: string, options?: object) =>
  vscode.commands.executeCommand<StatusOutcome>('sdlcLens.setStatus', target, status, options);

async function boardModel(api: Api, slug: string, pred: (m: BoardModel) => boolean, what: string, ms = 15_000): Promise<BoardModel> {
  let found: BoardModel | undefined;
  await eventually(() => {
    const m = api.board()?.models.get(slug);
    if (m && pred(m)) found = m;
    return !!found;
  }, what, ms);
  return found!;
}

const column = (m: BoardModel, key: string) => m.cards.find((c) => c.key === key)?.status;

/**
 * The dirty-buffer tests need buffers that stay unsaved: VS Code for the web (the harness's
 * code-server) saves them after a second by default (`files.autoSave: afterDelay`).
 */
const autoSave = (value: string | undefined) => vscode.workspace.getConfiguration('files').update('autoSave', value, vscode.ConfigurationTarget.Global);

describe('extension: set status, board and completion (without the skill)', function () {
  this.timeout(120_000);
  let api: Api;
  let slug: string;
  let sdlc: string;
  const US5 = 'stories/US0005-book-a-free-slot.md';
  const EP2 = 'epics/EP0002-booking-flow.md';

  before(async () => {
    api = await lens();
    await removeAllProjects(api);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    sdlc = copyCorpus('sample', 'harbor-status');
    slug = (await register(sdlc, 'Harbor Status'))!.slug;
    await vscode.commands.executeCommand('sdlcLens.syncProject', slug);
    await api.health()?.model.settled();
    await autoSave('off');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await autoSave(undefined);
    await removeAllProjects(api);
  });

  it('changes one line on disk; the tree follows within a second', async () => {
    const file = path.join(sdlc, US5);
    const before = fs.readFileSync(file, 'utf8');
    const treeStatus = await treeStatusReader(api, slug, 'story', US5);
    const outcome = await setStatus(vscode.Uri.file(file), 'Review');
    assert.equal(outcome.outcome, 'changed', outcome.message);
    assert.equal(outcome.outcome === 'changed' && outcome.result.writer, 'sdlc-lens');
    const after = fs.readFileSync(file, 'utf8');
    const a = before.split('\n');
    const b = after.split('\n');
    assert.equal(a.length, b.length);
    const diff = a.map((l, i) => [l, b[i]]).filter(([x, y]) => x !== y);
    assert.deepEqual(diff, [['> **Status:** In Progress', '> **Status:** Review']]);
    const ms = await eventually(async () => (await treeStatus()) === 'Review', 'the tree to show Review', 5_000);
    assert.ok(ms <= 1_000, `the tree followed in ${ms.toFixed(0)} ms`);
  });

  it('the diagnostics follow within a second (an epic set Done with unfinished stories)', async () => {
    const file = path.join(sdlc, EP2);
    // the Problems panel shows the findings of open documents (sdlcLens.health.diagnostics: openFiles)
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    assert.equal(lensDiagnostics(file, 'STATUS_MISMATCH').length, 0);
    const outcome = await setStatus(vscode.Uri.file(file), 'Done');
    assert.equal(outcome.outcome, 'changed', outcome.message);
    const ms = await eventually(() => lensDiagnostics(file, 'STATUS_MISMATCH').length > 0, 'a STATUS_MISMATCH diagnostic on the epic', 10_000);
    assert.ok(ms <= 1_000, `the diagnostics followed in ${ms.toFixed(0)} ms`);
    assert.equal((await setStatus(vscode.Uri.file(file), 'In Progress')).outcome, 'changed');
    await eventually(() => lensDiagnostics(file, 'STATUS_MISMATCH').length === 0, 'the diagnostic to go', 10_000);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('refuses a status the type does not know, and changes nothing', async () => {
    const file = path.join(sdlc, US5);
    const before = fs.readFileSync(file, 'utf8');
    const outcome = await setStatus(vscode.Uri.file(file), 'Banana Split');
    assert.equal(outcome.outcome, 'error');
    assert.match(outcome.message, /Banana Split|status/i);
    assert.equal(fs.readFileSync(file, 'utf8'), before);
  });

  it('a dirty buffer gets the edit in the buffer (the file stays), and undo restores it', async () => {
    const file = path.join(sdlc, 'stories/US0006-cancel-a-booking.md');
    const onDisk = fs.readFileSync(file, 'utf8');
    const doc = await vscode.workspace.openTextDocument(file);
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.insert(new vscode.Position(doc.lineCount, 0), '\nAn unsaved line.\n'));
    const dirty = doc.getText();
    assert.ok(doc.isDirty);
    const outcome = await setStatus(vscode.Uri.file(file), 'In Progress');
    assert.equal(outcome.outcome, 'buffer', outcome.message);
    assert.equal(doc.getText(), dirty.replace('> **Status:** Ready', '> **Status:** In Progress'));
    assert.equal(fs.readFileSync(file, 'utf8'), onDisk, 'the file on disk is untouched');
    assert.ok(doc.isDirty, 'left for the user to save');
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), dirty, 'undo takes the status edit back');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it("the board's model: lifecycle columns, cards, and it follows an external edit and a move", async () => {
    await api.health()!.model.settled();
    await vscode.commands.executeCommand('sdlcLens.openBoard', slug);
    const m = await boardModel(api, slug, (x) => x.cards.some((c) => c.health), 'the board model with its health markers');
    assert.equal(m.type, 'story');
    // each card counts the findings on its document (the report's, read apart from the board's files)
    const perFile = new Map<string, number>();
    for (const f of (await api.engine.healthCheck(slug)).findings) for (const d of f.affected_documents) perFile.set(d.file_path, (perFile.get(d.file_path) ?? 0) + 1);
    for (const c of m.cards) assert.equal(c.health?.count ?? 0, perFile.get(c.key) ?? 0, c.key);
    assert.deepEqual(m.columns.slice(0, 5).map((c) => c.key), ['Proposed', 'Draft', 'Ready', 'Planned', 'In Progress']);
    assert.ok(m.columns.some((c) => c.key === 'Needs Design' && !c.lifecycle), 'a status found in the project has its column');
    const us1 = m.cards.find((c) => c.id === 'US0001')!;
    assert.deepEqual([us1.status, us1.epic, us1.owner !== null], ['Done', 'EP0001', true]);
    // an external edit (another tool), then a sync as the watcher would run it
    const file = path.join(sdlc, 'stories/US0001-browse-rooms-by-floor.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('> **Status:** Done', '> **Status:** Ready'));
    await vscode.commands.executeCommand('sdlcLens.syncProject', slug);
    await boardModel(api, slug, (x) => column(x, us1.key) === 'Ready', 'the card to follow the external edit');
    // a move from the page: Set Status through the writer, then the new model, then the answer
    const reply = await api.board()!.handle(slug, { type: 'move', key: us1.key, to: 'Done', seq: 1 });
    assert.deepEqual(reply, { type: 'moved', key: us1.key, seq: 1, ok: true, reason: undefined, buffer: undefined });
    assert.equal(column(api.board()!.models.get(slug)!, us1.key), 'Done', 'the model already shows the move');
    assert.match(fs.readFileSync(file, 'utf8'), /^> \*\*Status:\*\* Done$/m);
    // the type switch
    await api.board()!.handle(slug, { type: 'setType', docType: 'bug' });
    const bugs = await boardModel(api, slug, (x) => x.type === 'bug', 'the bug board');
    assert.deepEqual(bugs.columns.slice(0, 3).map((c) => c.key), ['Open', 'In Progress', 'Fixed']);
  });

  it('completion offers ids with title and status, the link form in a linked header, and statuses', async () => {
    const file = path.join(sdlc, 'stories/US0007-weekly-repeating-bookings.md');
    const doc = await vscode.workspace.openTextDocument(file);
    const editor = await vscode.window.showTextDocument(doc);
    const lineOf = (re: RegExp) => doc.getText().split('\n').findIndex((l) => re.test(l));
    const items = async (pos: vscode.Position) =>
      (await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos)).items;
    const labelOf = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
    // in the body: a plain id
    const body = doc.lineCount;
    await editor.edit((e) => e.insert(new vscode.Position(body, 0), '\nSee US00'));
    const ids = await items(new vscode.Position(body + 1, 'See US00'.length));
    const us2 = ids.find((i) => labelOf(i) === 'US0002');
    assert.ok(us2, ids.map(labelOf).join(', '));
    assert.deepEqual([(us2.label as vscode.CompletionItemLabel).detail?.trim(), (us2.label as vscode.CompletionItemLabel).description], ['US0002: Room detail page', 'Done']);
    assert.equal(us2.insertText, 'US0002');
    // in the header, which writes its epic as a link: the link form, relative to this file
    const epicLine = lineOf(/^> \*\*Epic:\*\*/) + 1;
    await editor.edit((e) => e.insert(new vscode.Position(epicLine, 0), '> **Related:** EP000\n'));
    const eps = await items(new vscode.Position(epicLine, '> **Related:** EP000'.length));
    assert.equal(eps.find((i) => labelOf(i) === 'EP0001')?.insertText, '[EP0001: Room Directory](../epics/EP0001-room-directory.md)');
    // a header Status value: the type's statuses in lifecycle order
    const statusLine = lineOf(/^> \*\*Status:\*\*/);
    await editor.edit((e) => e.replace(doc.lineAt(statusLine).range, '> **Status:** '));
    const statuses = (await items(new vscode.Position(statusLine, '> **Status:** '.length))).filter((i) => i.kind === vscode.CompletionItemKind.EnumMember);
    assert.deepEqual(statuses.slice(0, 4).map(labelOf), ['Proposed', 'Draft', 'Ready', 'Planned']);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

if (hasSkill()) {
  describe('extension: set status through the sdlc-studio skill', function () {
    this.timeout(120_000);
    let api: Api;
    let slug: string;
    let sdlc: string;

    before(async () => {
      api = await lens();
      await removeAllProjects(api);
      sdlc = copyCorpus('sample', 'harbor-skill');
      installSkill(path.dirname(sdlc));
      slug = (await register(sdlc, 'Harbor Skill'))!.slug;
      await vscode.commands.executeCommand('sdlcLens.syncProject', slug);
      await autoSave('off');
    });
    after(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await autoSave(undefined);
      await removeAllProjects(api);
    });

    it("goes through the skill's writer: the file and its _index.md follow; the tree follows within a second", async () => {
      const file = path.join(sdlc, 'stories/US0005-book-a-free-slot.md');
      const index = path.join(sdlc, 'stories/_index.md');
      const indexBefore = fs.readFileSync(index, 'utf8');
      const treeStatus = await treeStatusReader(api, slug, 'story', 'stories/US0005-book-a-free-slot.md');
      const outcome = await setStatus(vscode.Uri.file(file), 'Done');
      assert.equal(outcome.outcome, 'changed', outcome.message);
      assert.equal(outcome.outcome === 'changed' && outcome.result.writer, 'sdlc-studio');
      assert.match(fs.readFileSync(file, 'utf8'), /^> \*\*Status:\*\* Done$/m);
      assert.notEqual(fs.readFileSync(index, 'utf8'), indexBefore, "the skill kept _index.md in step");
      const ms = await eventually(async () => (await treeStatus()) === 'Done', 'the tree to show Done', 5_000);
      assert.ok(ms <= 1_000, `the tree followed in ${ms.toFixed(0)} ms`);
    });

    it("shows a refusal's reason and changes nothing; the board snaps the card back with it", async () => {
      const rel = 'stories/US0010-two-way-calendar-sync.md';
      const file = path.join(sdlc, rel);
      const before = fs.readFileSync(file, 'utf8');
      const outcome = await setStatus(vscode.Uri.file(file), 'Done', { offerForce: false });
      assert.equal(outcome.outcome, 'refused');
      assert.match(outcome.message, /blocked.*acceptance criteria/s, 'the skill’s own reason');
      assert.equal(fs.readFileSync(file, 'utf8'), before);
      await vscode.commands.executeCommand('sdlcLens.openBoard', slug);
      await boardModel(api, slug, (m) => column(m, rel) === 'Needs Design', 'the board');
      const reply = await api.board()!.handle(slug, { type: 'move', key: rel, to: 'Done', seq: 7 });
      assert.ok(reply && reply.type === 'moved' && !reply.ok, JSON.stringify(reply));
      assert.match(reply.reason ?? '', /acceptance criteria/);
      assert.equal(column(api.board()!.models.get(slug)!, rel), 'Needs Design');
      assert.equal(fs.readFileSync(file, 'utf8'), before);
    });

    it('with the skill, a dirty buffer is a conflict: save first', async () => {
      const file = path.join(sdlc, 'stories/US0006-cancel-a-booking.md');
      const onDisk = fs.readFileSync(file, 'utf8');
      const doc = await vscode.workspace.openTextDocument(file);
      const editor = await vscode.window.showTextDocument(doc);
      await editor.edit((e) => e.insert(new vscode.Position(doc.lineCount, 0), '\nUnsaved.\n'));
      const text = doc.getText();
      const outcome = await within(setStatus(vscode.Uri.file(file), 'In Progress'), 30_000, 'Set Status');
      assert.equal(outcome.outcome, 'conflict');
      assert.match(outcome.message, /unsaved changes.*Save it first/);
      assert.ok(doc.getText() === text, `the buffer is untouched: ${JSON.stringify(doc.getText().slice(0, 200))}`);
      assert.ok(fs.readFileSync(file, 'utf8') === onDisk, `the file is untouched: ${JSON.stringify(fs.readFileSync(file, "utf8").slice(-150))} vs ${JSON.stringify(onDisk.slice(-150))}`);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });
  });
}
