// api.md §1.1: the envelope on every non-2xx — 404, 405, 413, 415, 422, 500 — and JSON headers everywhere.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { request } from 'node:http';
import type { LensEngine } from '../../../src/core/engine-api';
import { call } from './http-client';
import { expectEnvelope, HARNESS_AUTH, openHarness, type Harness } from './harness';

describe('API error envelope', () => {
  let h: Harness;
  let explode = false;
  before(async () => {
    h = await openHarness({
      wrap: (engine) =>
        new Proxy(engine, {
          get(target, key) {
            const v = Reflect.get(target, key, target) as unknown;
            if (key === 'listProjects' && explode) {
              return () => {
                throw new Error('SQLITE_CORRUPT: secret /home/user/db internals');
              };
            }
            return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
          },
        }) as LensEngine,
    });
  });
  after(async () => h.close());

  it('404 NOT_FOUND for an unknown /api path, naming the path', async () => {
    for (const p of ['/api/v1/nope', '/api/v1', '/api/v1/', '/api/v2/projects', '/api/v1/projects/x/y', '/api/v1/projects/', '/api/v1/searches', '/api/v1/stats/x']) {
      const message = expectEnvelope(await call(h.port, 'GET', p, { headers: HARNESS_AUTH }), 404, 'NOT_FOUND');
      assert.equal(message, `Resource not found: ${p}`);
    }
  });

  it('404 envelope outside /api too; never serves files', async () => {
    for (const p of ['/', '/index.html', '/package.json', '/../../etc/passwd', '/api/v1/../../package.json', '/%2e%2e/package.json']) {
      expectEnvelope(await call(h.port, 'GET', p, { headers: HARNESS_AUTH }), 404, 'NOT_FOUND');
    }
  });

  it('405 METHOD_NOT_ALLOWED with an Allow header for a known path', async () => {
    const cases: [string, string, string][] = [
      ['DELETE', '/api/v1/projects', 'GET, POST'],
      ['PATCH', '/api/v1/projects/x', 'GET, PUT, DELETE'],
      ['GET', '/api/v1/projects/x/sync', 'POST'],
      ['POST', '/api/v1/system/health', 'GET'],
      ['HEAD', '/api/v1/projects', 'GET, POST'],
    ];
    for (const [method, p, allow] of cases) {
      const r = await call(h.port, method, p, { headers: HARNESS_AUTH });
      assert.equal(r.status, 405, `${method} ${p}`);
      assert.equal(r.headers.allow, allow);
      if (method !== 'HEAD') expectEnvelope(r, 405, 'METHOD_NOT_ALLOWED');
    }
  });

  it('413 PAYLOAD_TOO_LARGE for a declared body over 1 MB', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024), sdlc_path: '/tmp' });
    const r = await call(h.port, 'POST', '/api/v1/projects', { raw: big, headers: { ...HARNESS_AUTH, 'content-type': 'application/json' } });
    expectEnvelope(r, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('413 for a chunked body that grows past 1 MB, reading stops', async () => {
    const reply = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: h.port, method: 'POST', path: '/api/v1/projects', headers: { ...HARNESS_AUTH, 'content-type': 'application/json', host: `127.0.0.1:${h.port}` } },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        // keep sending until the server answers; it must not wait for the end of the body
        while (sent < 4 * 1024 * 1024 && req.write(chunk)) sent += chunk.length;
        if (sent < 4 * 1024 * 1024) req.once('drain', pump);
      };
      pump();
    });
    assert.equal(reply.status, 413);
    assert.equal(JSON.parse(reply.text).error.code, 'PAYLOAD_TOO_LARGE');
  });

  it('415 UNSUPPORTED_MEDIA_TYPE for a body that is not application/json', async () => {
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', undefined]) {
      const headers: Record<string, string> = ct ? { 'content-type': ct } : {};
      const r = await call(h.port, 'POST', '/api/v1/projects', { raw: '{"name":"a","sdlc_path":"/tmp"}', headers: { ...HARNESS_AUTH, ...headers } });
      expectEnvelope(r, 415, 'UNSUPPORTED_MEDIA_TYPE');
      const u = await call(h.port, 'PUT', '/api/v1/projects/a', { raw: '{"name":"a"}', headers: { ...HARNESS_AUTH, ...headers } });
      expectEnvelope(u, 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
    assert.deepEqual((await h.api.get('/projects')).json, []);
  });

  it('accepts application/json with a charset parameter, any case', async () => {
    const r = await call(h.port, 'POST', '/api/v1/projects', { raw: '{"name":"x"}', headers: { ...HARNESS_AUTH, 'content-type': 'Application/JSON; charset=UTF-8' } });
    expectEnvelope(r, 422, 'VALIDATION_ERROR'); // got past the media-type check
  });

  it('422 VALIDATION_ERROR for malformed JSON and non-object bodies', async () => {
    for (const raw of ['', '{', '{"name": }', 'null', '[]', '"text"', '42', Buffer.from([0x7b, 0xff, 0x7d])]) {
      const r = await call(h.port, 'POST', '/api/v1/projects', { raw, headers: { ...HARNESS_AUTH, 'content-type': 'application/json' } });
      expectEnvelope(r, 422, 'VALIDATION_ERROR');
    }
  });

  it('500 INTERNAL without internals for an unexpected failure; the detail is logged; the server lives on', async () => {
    explode = true;
    try {
      const r = await h.api.get('/projects');
      const message = expectEnvelope(r, 500, 'INTERNAL');
      assert.equal(message, 'Internal server error');
      assert.ok(!r.text.includes('SQLITE') && !r.text.includes('/home'));
      assert.ok(h.logged.some((l) => l.level === 'error' && l.message.includes('SQLITE_CORRUPT')));
    } finally {
      explode = false;
    }
    assert.equal((await h.api.get('/projects')).status, 200);
  });

  it('400 envelope for a malformed HTTP request', async () => {
    const text = await new Promise<string>((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port: h.port }, () => s.write('GARBAGE\r\n\r\n'));
      let out = '';
      s.on('data', (d) => (out += d));
      s.on('end', () => resolve(out));
      s.on('error', reject);
    });
    assert.match(text, /^HTTP\/1\.1 400/);
    assert.equal(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)).error.code, 'BAD_REQUEST');
  });

  it('every JSON response is application/json; charset=utf-8', async () => {
    const r = await h.api.get('/projects');
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.headers['cache-control'], 'no-store');
  });
});
