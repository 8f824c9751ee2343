// Requests node:http handles before any route (issue 11, gaps found while proving): a CONNECT
// request and a request without a Host header both get the error envelope (api.md §1.1) over a
// real socket, never a dropped connection or an empty 400.
import assert from 'node:assert/strict';
import { startApiServer, type ApiServer } from '../../../src/core/api/server';
import type { Engine } from '../../../src/core/engine';
import { sendRaw, type FuzzReply } from './api-gen';
import { Lab } from './support';

function envelope(reply: FuzzReply | 'reset'): { status: number; code: string; message: string } {
  assert.notEqual(reply, 'reset', 'the connection was dropped without an answer');
  const r = reply as FuzzReply;
  assert.equal(r.contentType, 'application/json; charset=utf-8');
  const body = JSON.parse(r.text) as { error: { code: string; message: string } };
  assert.deepEqual(Object.keys(body), ['error']);
  return { status: r.status, code: body.error.code, message: body.error.message };
}

describe('reliability: requests answered before routing', () => {
  let lab: Lab;
  let engine: Engine;
  let server: ApiServer;
  before(async () => {
    lab = new Lab();
    engine = await lab.engine();
    server = await startApiServer({ engine, port: 0, logger: lab.logger() });
  });
  after(async () => {
    await server.close();
    await lab.dispose();
  });

  it('CONNECT gets 405 with the envelope, and the server keeps answering', async () => {
    const host = `127.0.0.1:${server.port}`;
    for (const target of [host, 'example.com:443', '/api/v1/projects']) {
      const reply = await sendRaw(server.port, { method: 'CONNECT', path: target, headers: { host }, raw: true, oversized: false }, 10_000);
      assert.deepEqual(envelope(reply), { status: 405, code: 'METHOD_NOT_ALLOWED', message: 'Method CONNECT not allowed' });
    }
    const ok = await sendRaw(server.port, { method: 'GET', path: '/api/v1/projects', headers: { host }, raw: true, oversized: false }, 10_000);
    assert.equal((ok as FuzzReply).status, 200);
  });

  it('a request without a Host header gets the 403 envelope, not an empty 400', async () => {
    for (const method of ['GET', 'POST', 'DELETE']) {
      const reply = await sendRaw(server.port, { method, path: '/api/v1/projects', headers: {}, raw: true, oversized: false }, 10_000);
      assert.deepEqual(envelope(reply), { status: 403, code: 'FORBIDDEN', message: 'Host not allowed' });
    }
  });
});
