// api.md §1.2 (revised): loopback only, Host and Origin guards, no CORS headers; the token: with
// one every request needs it, and mutations always need one (a server without a token is read-only).
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { call } from './http-client';
import { expectEnvelope, openHarness, type Harness } from './harness';

describe('API posture', () => {
  let h: Harness;
  before(async () => {
    h = await openHarness({ token: null }); // reads need no token here: raw requests test the guards
  });
  after(async () => h.close());

  it('listens on 127.0.0.1 only and reports its URL', () => {
    assert.match(h.server.url, /^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    assert.ok(h.port > 0);
  });

  it('is not reachable on another interface address (or the machine has loopback only)', async () => {
    const interfaces = Object.values(require('node:os').networkInterfaces() as Record<string, { family: string; address: string; internal: boolean }[]>).flat();
    const other = interfaces.find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!other) {
      // loopback only: then nothing but loopback can reach any listener; the server's own address says where it listens
      assert.ok(interfaces.every((i) => i.internal), 'every interface is loopback');
      const refused = await new Promise<boolean>((resolve) => {
        const s = net.connect({ host: '127.0.0.2', port: h.port }); // another loopback address: not bound
        s.once('connect', () => (s.destroy(), resolve(false)));
        s.once('error', () => resolve(true));
      });
      assert.equal(refused, true, 'not listening on 0.0.0.0 (127.0.0.2 would reach that)');
      return;
    }
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: other.address, port: h.port });
      s.once('connect', () => (s.destroy(), resolve(false)));
      s.once('error', () => resolve(true));
    });
    assert.equal(refused, true);
  });

  for (const host of ['127.0.0.1', 'localhost', '[::1]', 'LOCALHOST']) {
    it(`accepts Host ${host}:PORT`, async () => {
      const r = await call(h.port, 'GET', '/api/v1/projects', { headers: { host: `${host}:${h.port}` } });
      assert.equal(r.status, 200);
    });
  }

  for (const host of ['evil.example', 'evil.example:PORT', 'localhost', '127.0.0.1', '127.0.0.1:1', 'localhost.evil.example:PORT', '0.0.0.0:PORT', '']) {
    it(`rejects Host "${host}" with 403 FORBIDDEN`, async () => {
      const r = await call(h.port, 'GET', '/api/v1/projects', { headers: { host: host.replace('PORT', String(h.port)) } });
      expectEnvelope(r, 403, 'FORBIDDEN');
    });
  }

  it('checks Host before routing (unknown path is 403 too)', async () => {
    expectEnvelope(await call(h.port, 'GET', '/nope', { headers: { host: 'evil.example' } }), 403, 'FORBIDDEN');
  });

  it('accepts its own origin', async () => {
    for (const origin of [`http://127.0.0.1:${h.port}`, `http://localhost:${h.port}`]) {
      const r = await call(h.port, 'GET', '/api/v1/projects', { headers: { origin } });
      assert.equal(r.status, 200, origin);
    }
  });

  for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1:1', 'https://127.0.0.1:PORT', 'http://localhost:PORT.evil.example']) {
    it(`rejects Origin "${origin}" with 403, even for a well-formed mutation`, async () => {
      const o = origin.replace('PORT', String(h.port));
      expectEnvelope(await call(h.port, 'GET', '/api/v1/projects', { headers: { origin: o } }), 403, 'FORBIDDEN');
      const r = await call(h.port, 'POST', '/api/v1/projects', { headers: { origin: o }, body: { name: 'x', sdlc_path: h.root } });
      expectEnvelope(r, 403, 'FORBIDDEN');
      const list = await h.api.get('/projects');
      assert.deepEqual(list.json, []);
    });
  }

  it('without a token the server serves reads only: every mutating method is 401 and changes nothing', async () => {
    for (const [method, p] of [['POST', '/api/v1/projects'], ['PUT', '/api/v1/projects/x'], ['PATCH', '/api/v1/projects/x'], ['DELETE', '/api/v1/projects/x'], ['post', '/api/v1/projects']]) {
      const r = await call(h.port, method, p, { body: { name: 'x', sdlc_path: h.root } });
      const message = expectEnvelope(r, 401, 'UNAUTHORIZED');
      assert.match(message, /without a token.*reads only/, method);
    }
    assert.deepEqual((await h.api.get('/projects')).json, []);
  });

  it('sends no CORS headers, not even to a preflight', async () => {
    const r = await call(h.port, 'OPTIONS', '/api/v1/projects', {
      headers: { origin: `http://localhost:${h.port}`, 'access-control-request-method': 'POST' },
    });
    expectEnvelope(r, 405, 'METHOD_NOT_ALLOWED');
    const g = await h.api.get('/projects');
    for (const reply of [r, g]) {
      assert.equal(Object.keys(reply.headers).filter((k) => k.startsWith('access-control-')).length, 0);
    }
  });
});

describe('API bearer token', () => {
  let h: Harness;
  const token = 's3cret-token-value';
  before(async () => {
    h = await openHarness({ token });
  });
  after(async () => h.close());

  it('serves requests carrying the token', async () => {
    assert.equal((await h.api.get('/projects')).status, 200);
    assert.equal((await h.api.get('/system/health')).status, 200);
  });

  for (const [label, header] of [
    ['no Authorization header', undefined],
    ['a wrong token', 'Bearer wrong'],
    ['a token prefix', `Bearer ${token.slice(0, -1)}`],
    ['a longer token', `Bearer ${token}x`],
    ['another scheme', `Basic ${token}`],
    ['the bare token', token],
  ] as const) {
    it(`answers 401 UNAUTHORIZED with WWW-Authenticate for ${label}`, async () => {
      for (const path of ['/api/v1/projects', '/api/v1/system/health', '/api/v1/unknown', '/elsewhere']) {
        const r = await call(h.port, 'GET', path, { headers: header ? { authorization: header } : {} });
        expectEnvelope(r, 401, 'UNAUTHORIZED');
        assert.equal(r.headers['www-authenticate'], 'Bearer');
      }
    });
  }

  it('also takes the token as X-SDLC-Lens-Token', async () => {
    const r = await call(h.port, 'POST', '/api/v1/projects', { headers: { 'x-sdlc-lens-token': token }, body: { name: 'Via Header', sdlc_path: h.root } });
    assert.equal(r.status, 201);
    const wrong = await call(h.port, 'DELETE', '/api/v1/projects/via-header', { headers: { 'x-sdlc-lens-token': 'wrong' } });
    expectEnvelope(wrong, 401, 'UNAUTHORIZED');
    assert.equal((await h.api.del('/projects/via-header')).status, 204);
  });

  it('requires the token on mutations too', async () => {
    const r = await call(h.port, 'POST', '/api/v1/projects', { body: { name: 'x', sdlc_path: h.root } });
    expectEnvelope(r, 401, 'UNAUTHORIZED');
    assert.deepEqual((await h.api.get('/projects')).json, []);
  });

  it('still checks Host first (403 beats 401)', async () => {
    const r = await call(h.port, 'GET', '/api/v1/projects', { headers: { host: 'evil.example' } });
    expectEnvelope(r, 403, 'FORBIDDEN');
  });
});
