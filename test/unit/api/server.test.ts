// startApiServer's lifecycle: port 0, close() ending keep-alive connections without touching the
// engine, a busy port, and reads that pick up writes made by another process's engine.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../../src/core/engine';
import { startApiServer } from '../../../src/core/api/server';
import { LensError } from '../../../src/core/errors';
import { clientFor } from './http-client';
import { SAMPLE } from './harness';

function keepAliveGet(agent: Agent, port: number, p: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: p, agent, headers: { host: `127.0.0.1:${port}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('API server lifecycle', () => {
  let root: string;
  let engine: Engine;
  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-api-life-'));
    engine = await Engine.open({ dataDir: path.join(root, 'data') });
  });
  afterEach(async () => {
    await engine.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('port 0 picks a free port; close() ends keep-alive connections and leaves the engine open', async () => {
    const server = await startApiServer({ engine, port: 0 });
    assert.equal(server.url, `http://127.0.0.1:${server.port}/api/v1`);
    const agent = new Agent({ keepAlive: true });
    assert.equal(await keepAliveGet(agent, server.port, '/api/v1/projects'), 200);
    const socket = Object.values(agent.freeSockets).flat()[0];
    assert.ok(socket, 'a kept-alive socket');
    const socketClosed = new Promise<void>((resolve) => socket!.once('close', () => resolve()));
    await server.close();
    await socketClosed;
    await assert.rejects(keepAliveGet(new Agent(), server.port, '/api/v1/projects'), /ECONNREFUSED/);
    assert.equal(engine.health().status, 'healthy');
    await server.close(); // idempotent
    agent.destroy();
  });

  it('refuses a port that is already in use, and an invalid port', async () => {
    const first = await startApiServer({ engine, port: 0 });
    try {
      await assert.rejects(startApiServer({ engine, port: first.port }), (e: unknown) => e instanceof LensError && /already in use/.test(e.message));
      await assert.rejects(startApiServer({ engine, port: 70000 }), LensError);
      await assert.rejects(startApiServer({ engine, port: 1.5 }), LensError);
    } finally {
      await first.close();
    }
  });

  it('reads pick up projects registered by another engine on the same data folder', async () => {
    const server = await startApiServer({ engine, port: 0, token: 'tok' });
    const other = await Engine.open({ dataDir: path.join(root, 'data') });
    try {
      const api = clientFor(server.port, { authorization: 'Bearer tok' });
      assert.deepEqual((await api.get('/projects')).json, []);
      const dir = path.join(root, 'p', 'sdlc-studio');
      fs.cpSync(SAMPLE, dir, { recursive: true });
      await other.registerProject({ name: 'Elsewhere', sdlc_path: dir });
      assert.deepEqual((await api.get('/projects')).json.map((p: { slug: string }) => p.slug), ['elsewhere']);
      assert.equal((await api.post('/projects/elsewhere/sync')).status, 202);
    } finally {
      await server.close();
      await other.close();
    }
  });
});
