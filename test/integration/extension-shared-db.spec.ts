// Several VS Code windows (and the CLI) share one database in globalStorage: a write by another
// process-like engine on the same folder reaches this window's tree and status bar.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Engine } from '../../src/core/engine';
import { children, copyCorpus, EXTENSION_ID, labelOf, lens, nextChange, removeAllProjects, stateWhere } from './support/lens';

describe('extension: shared database', function () {
  this.timeout(60_000);
  let api: Awaited<ReturnType<typeof lens>>;
  let other: Engine | undefined;

  before(async () => {
    api = await lens();
    await removeAllProjects(api);
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    other = await Engine.open({ dataDir: path.dirname(api.dbPath!), wasmPath: path.join(ext.extensionPath, 'dist', 'sql-wasm.wasm') });
  });
  after(async () => {
    await other?.close();
    await removeAllProjects(api);
  });

  it('reloads when another window writes the database, and the tree and status bar follow', async () => {
    const reloaded = nextChange(api.engine, (c) => c.kind === 'reloaded', 15_000);
    const p = await other!.registerProject({ name: 'From Elsewhere', sdlc_path: copyCorpus('sample', 'elsewhere') });
    const started = await other!.startSync(p.slug);
    const outcome = await started.done;
    assert.equal(outcome.sync_status, 'synced');
    await reloaded;
    const state = await stateWhere(api, (s) => s.projects.some((x) => x.slug === p.slug && x.sync_status === 'synced'));
    assert.ok(state);
    const roots = await children(api);
    assert.deepEqual(roots.map((r) => labelOf(r.item)), ['From Elsewhere']);
    assert.equal(api.statusBar.item.text, `$(check) SDLC: ${outcome.document_count} docs`);
  });

  it('Refresh picks up another window\'s write at once and redraws the whole tree', async () => {
    const [p] = await other!.listProjects();
    const fired: unknown[] = [];
    const sub = api.tree.onDidChangeTreeData((n) => fired.push(n ?? 'all'));
    try {
      await other!.updateProject(p.slug, { name: 'Renamed Elsewhere' });
      await vscode.commands.executeCommand('sdlcLens.refresh');
      await api.tree.changesSent(); // held while the view reads the tree (changeGate.ts)
      assert.ok(fired.includes('all'), 'the whole tree was redrawn');
      const roots = await children(api);
      assert.deepEqual(roots.map((r) => labelOf(r.item)), ['Renamed Elsewhere'], 'the root reads the other window\'s name right after Refresh');
    } finally {
      sub.dispose();
    }
  });
});
