// Seed edge case "backend restart during sync": a process dies mid-run (SIGKILL), leaving the stored
// status at `syncing`. The next trigger takes the stale run over (202); a fresh start resets it to error.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { Engine } from '../../../src/core/engine';
import { startApiServer } from '../../../src/core/api/server';
import { clientFor } from './http-client';
import { openHarness, type Harness } from './harness';

const ENGINE = path.resolve(__dirname, '../../../src/core/engine.ts');

/** Starts a sync of `slug` in a child process over `dataDir` and SIGKILLs it once the run has begun. */
async function crashDuringSync(dataDir: string, slug: string): Promise<void> {
  const script = `
    const { Engine } = require(${JSON.stringify(ENGINE)});
    (async () => {
      const engine = await Engine.open({ dataDir: ${JSON.stringify(dataDir)} });
      await engine.startSync(${JSON.stringify(slug)});
      process.stdout.write('started\\n');
      setInterval(() => undefined, 1000);
    })().catch((e) => { console.error(e); process.exit(3); });`;
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, sig) => resolve(sig ?? code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('started')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`child exited ${code} before starting: ${stderr}`)));
  });
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
}

describe('API after a backend restart during sync (US0003 edge case)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness();
  });
  afterEach(async () => h.close());

  it('the stale `syncing` is visible, and the next trigger resets it and proceeds (202 → synced)', async () => {
    const slug = await h.register('homelabcmd', h.bigCorpus('homelabcmd', 1500));
    await crashDuringSync(h.dataDir, slug);
    assert.equal((await h.api.get(`/projects/${slug}`)).json.sync_status, 'syncing');
    const r = await h.api.post(`/projects/${slug}/sync`);
    assert.equal(r.status, 202);
    assert.deepEqual(r.json, { slug, sync_status: 'syncing', message: 'Sync started' });
    const outcome = await h.syncDone(slug);
    assert.equal(outcome.sync_status, 'synced');
    const p = (await h.api.get(`/projects/${slug}`)).json;
    assert.equal(p.sync_status, 'synced');
    assert.equal(p.document_count, 1500);
  });

  it('a server started after the crash reports the run as interrupted (error), and re-sync works', async () => {
    const slug = await h.register('homelabcmd', h.bigCorpus('homelabcmd', 1500));
    await crashDuringSync(h.dataDir, slug);
    const engine = await Engine.open({ dataDir: h.dataDir });
    const server = await startApiServer({ engine, port: 0, token: 'tok' });
    try {
      const api = clientFor(server.port, { authorization: 'Bearer tok' });
      const p = (await api.get(`/projects/${slug}`)).json;
      assert.equal(p.sync_status, 'error');
      assert.match(p.sync_error, /interrupted/);
      assert.equal((await api.post(`/projects/${slug}/sync`)).status, 202);
      for (let i = 0; i < 10_000; i++) {
        const s = (await api.get(`/projects/${slug}`)).json;
        if (s.sync_status !== 'syncing') {
          assert.equal(s.sync_status, 'synced');
          assert.equal(s.sync_error, null);
          return;
        }
      }
      assert.fail('still syncing');
    } finally {
      await server.close();
      await engine.close();
    }
  });
});
