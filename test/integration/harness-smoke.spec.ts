// Proves the harness runs these suites inside a real VS Code extension host with the packaged extension.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'sdlc-lens.sdlc-lens';

describe('harness smoke: real extension host', () => {
  it('runs against the real vscode API', () => {
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
    if (vscode.env.appName === 'code-server') {
      // The version the harness started (test/harness/vscode-versions.ts).
      assert.equal(vscode.version, process.env.SDLC_LENS_TEST_VSCODE_VERSION);
      assert.equal(vscode.env.uiKind, vscode.UIKind.Web);
    }
  });

  it(`finds and activates ${EXTENSION_ID}`, async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded in the extension host`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers every command the manifest contributes', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    const contributed: string[] = (ext.packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('opens the workspace the harness prepared', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, 'one workspace folder');
    const expected = process.env.SDLC_LENS_TEST_WORKSPACE;
    if (expected) assert.equal(folders[0].uri.fsPath, expected);
  });
});
