// The API server inside the real extension host: commands, settings (restart without reload),
// port-in-use errors; and auto-sync (debounced watcher) through the same runner.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { copyCorpus, countDocs, lens, nextChange, register, removeAllProjects, stateWhere, until } from './support/lens';

const config = () => vscode.workspace.getConfiguration('sdlcLens');
const set = (key: string, value: unknown) => config().update(key, value, vscode.ConfigurationTarget.Global);

/** The running server's token, as "Copy API URL" puts it on the clipboard (URL line, then the header). */
async function copiedToken(): Promise<string> {
  await vscode.commands.executeCommand('sdlcLens.copyApiUrl');
  const m = /^Authorization: Bearer (\S+)$/m.exec(await vscode.env.clipboard.readText());
  assert.ok(m, 'the clipboard holds the token');
  return m[1]!;
}

async function health(url: string): Promise<number> {
  const res = await fetch(`${url}/system/health`, { headers: { authorization: `Bearer ${await copiedToken()}` } });
  await res.text();
  return res.status;
}

describe('extension: API server and auto-sync', function () {
  this.timeout(60_000);
  let api: Awaited<ReturnType<typeof lens>>;

  before(async () => {
    api = await lens();
    await removeAllProjects(api);
    await set('api.port', 0); // a free port: the suite must not clash with anything on 7878
  });
  after(async () => {
    await vscode.commands.executeCommand('sdlcLens.stopApiServer');
    await set('api.enabled', undefined);
    await set('api.port', undefined);
    await set('autoSync', undefined);
    await set('autoSyncDebounceMs', undefined);
    await removeAllProjects(api);
  });

  it('runs in a trusted workspace (the harness disables trust prompts)', () => {
    assert.equal(vscode.workspace.isTrusted, true);
  });

  it('starts with "Start API Server", serves this window\'s engine, copies its URL, stops', async () => {
    const folder = copyCorpus('sample', 'served');
    const p = (await register(folder, 'Served'))!;
    const url = await vscode.commands.executeCommand<string>('sdlcLens.startApiServer');
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    assert.equal(await health(url), 200);
    assert.equal(await vscode.commands.executeCommand('sdlcLens.copyApiUrl'), url);
    const token = await copiedToken();
    assert.equal(await vscode.env.clipboard.readText(), `${url}\nAuthorization: Bearer ${token}\n`, 'Copy API URL copies the URL and the token');
    assert.match(token, /^[A-Za-z0-9_-]{43}$/, 'generated (no sdlcLens.api.token set) and kept in SecretStorage');
    const listed = (await (await fetch(`${url}/projects`, { headers: { authorization: `Bearer ${token}` } })).json()) as unknown;
    assert.match(JSON.stringify(listed), new RegExp(`"slug":"${p.slug}"`), 'the API sees the extension\'s own database');
    const anonymous = await fetch(`${url}/projects`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', sdlc_path: folder }) });
    assert.equal(anonymous.status, 401, 'a mutation without the token is refused');
    await anonymous.text();
    assert.match(api.statusBar.view?.tooltip ?? '', /API server: http/);
    await vscode.commands.executeCommand('sdlcLens.stopApiServer');
    assert.equal(api.store.state.api.status, 'stopped');
    await assert.rejects(health(url));
    assert.equal(await vscode.commands.executeCommand('sdlcLens.copyApiUrl'), undefined, 'nothing to copy when stopped');
  });

  it('follows sdlcLens.api.enabled and restarts on a port change without a reload', async () => {
    await set('api.enabled', true);
    const running = await stateWhere(api, (s) => s.api.status === 'running');
    const url1 = running.api.status === 'running' ? running.api.url : '';
    assert.equal(await health(url1), 200);

    const free = await freePort();
    await set('api.port', free);
    const moved = await stateWhere(api, (s) => s.api.status === 'running' && s.api.port === free);
    assert.equal(moved.api.status === 'running' && moved.api.url, `http://127.0.0.1:${free}/api/v1`);
    assert.equal(await health(`http://127.0.0.1:${free}/api/v1`), 200);

    await set('api.enabled', false);
    await stateWhere(api, (s) => s.api.status === 'stopped');
    await assert.rejects(health(`http://127.0.0.1:${free}/api/v1`));
  });

  it('reports a port that is already in use clearly', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await set('api.port', port);
      const url = await vscode.commands.executeCommand<string | undefined>('sdlcLens.startApiServer');
      assert.equal(url, undefined);
      const s = api.store.state.api;
      assert.equal(s.status, 'error');
      assert.match(s.status === 'error' ? s.message : '', new RegExp(`port ${port} is already in use`));
    } finally {
      await vscode.commands.executeCommand('sdlcLens.stopApiServer');
      await set('api.port', 0);
      blocker.close();
    }
  });

  it('auto-syncs a project after its files change when sdlcLens.autoSync is on, and stops watching when off', async () => {
    const folder = copyCorpus('sample', 'watched');
    const p = (await register(folder, 'Watched'))!;
    await set('autoSyncDebounceMs', 200);
    await set('autoSync', true);
    await until(() => api.watcher.slugs.includes(p.slug), 'the watcher to start');
    assert.equal(await api.watcher.whenReady(p.slug), true);
    const docs = countDocs(folder);
    const changed = nextChange(api.engine, (c) => c.kind === 'documents' && c.slug === p.slug, 20_000);
    fs.writeFileSync(path.join(folder, 'stories', 'US0042-auto.md'), '# US0042: Auto\n\n> **Status:** Draft\n');
    await changed;
    await stateWhere(api, (s) => s.projects.some((x) => x.slug === p.slug && x.sync_status === 'synced' && x.document_count === docs + 1));
    assert.match(api.log.recent.join('\n'), new RegExp(`${p.slug}: sync started`));
    await set('autoSync', false);
    await until(() => api.watcher.slugs.length === 0, 'every watcher to stop');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
