// Security (api.md §1.2, sync.md §12 BG-01KX8B82/BG-01KX95WX/BG-01KX8BJY): Host and Origin checks,
// the bearer token, no file served by URL path, escaped search snippets, and no secret in any log.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { startApiServer, type ApiServer } from '../../../src/core/api/server';
import { tokenMatches } from '../../../src/core/api/posture';
import type { Engine } from '../../../src/core/engine';
import { Lab } from './support';

const TOKEN = 'S3cr3t-t0ken-9f8e7d6c5b4a';
const REPO = path.resolve(__dirname, '../../..');

/** A raw request: what goes on the wire is exactly what the test wrote. */
function raw(port: number, lines: string[], body = ''): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', reject);
    sock.on('close', () => {
      const all = Buffer.concat(chunks).toString('utf8');
      const cut = all.indexOf('\r\n\r\n');
      resolve({ status: Number(all.slice(9, 12)), headers: all.slice(0, cut), body: all.slice(cut + 4) });
    });
    sock.write([...lines, 'Connection: close', `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n'));
  });
}

function envelope(r: { status: number; body: string }, status: number, code: string): void {
  assert.equal(r.status, status, r.body);
  const j = JSON.parse(r.body);
  assert.deepEqual(Object.keys(j), ['error']);
  assert.equal(j.error.code, code);
}

describe('reliability: security', function () {
  this.timeout(60_000);
  let lab: Lab;
  let engine: Engine;
  let server: ApiServer;
  let dir: string;
  const get = (p: string, headers: Record<string, string> = {}) => {
    const h = { Host: `127.0.0.1:${server.port}`, Authorization: `Bearer ${TOKEN}`, ...headers };
    return raw(server.port, [`GET ${p} HTTP/1.1`, ...Object.entries(h).filter(([, v]) => v !== '').map(([k, v]) => `${k}: ${v}`)]);
  };

  before(async () => {
    lab = new Lab();
    dir = lab.sample('harbor');
    fs.writeFileSync(
      path.join(dir, 'stories', 'US0666-hostile-markup.md'),
      '# US0666: Hostile markup\n\n> **Status:** Draft\n\nzebrafish <script>alert(1)</script> and <img src=x onerror=alert(2)> & "quotes" \'apos\' zebrafish\n',
    );
    engine = await lab.engine();
    await engine.registerProject({ name: 'harbor', sdlc_path: dir });
    await (await engine.startSync('harbor')).done;
    const logger = lab.logger();
    server = await startApiServer({ engine, port: 0, token: TOKEN, logger });
  });
  after(async () => {
    await server?.close();
    await lab?.dispose();
  });

  it('Host: only 127.0.0.1/localhost/[::1] with the server port pass; everything else is 403', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `LOCALHOST:${server.port}`, `[::1]:${server.port}`]) {
      assert.equal((await get('/api/v1/projects', { Host: host })).status, 200, host);
    }
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, `localhost.evil.example:${server.port}`, `127.0.0.1.nip.io:${server.port}`, '0.0.0.0', `127.0.0.2:${server.port}`]) {
      envelope(await get('/api/v1/projects', { Host: host }), 403, 'FORBIDDEN');
    }
    // No Host header at all: the posture check refuses it with the envelope (no longer node's empty 400).
    envelope(await get('/api/v1/projects', { Host: '' }), 403, 'FORBIDDEN');
  });

  it('Origin: a cross-origin caller is refused (403) even for GET; the server\'s own origin passes; no CORS headers', async () => {
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${server.port + 1}`, `https://127.0.0.1:${server.port}`]) {
      const r = await get('/api/v1/projects', { Origin: origin });
      envelope(r, 403, 'FORBIDDEN');
      assert.doesNotMatch(r.headers, /access-control-allow/i);
    }
    const ok = await get('/api/v1/projects', { Origin: `http://127.0.0.1:${server.port}` });
    assert.equal(ok.status, 200);
    assert.doesNotMatch(ok.headers, /access-control-allow/i);
  });

  it('token: missing, wrong, near-miss and malformed bearer values are 401 with WWW-Authenticate; only the token passes', async () => {
    for (const auth of ['', 'Bearer', `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.toUpperCase()}`, `Basic ${TOKEN}`, `Bearer ${TOKEN} extra`, `Bearer  ${'x'.repeat(10_000)}`, TOKEN]) {
      const r = await get('/api/v1/system/health', { Authorization: auth });
      envelope(r, 401, 'UNAUTHORIZED');
      assert.match(r.headers, /www-authenticate: Bearer/i);
    }
    assert.equal((await get('/api/v1/system/health', { Authorization: `bearer ${TOKEN}` })).status, 200);
    // constant-time compare over digests: any length compares without throwing
    assert.equal(tokenMatches('', TOKEN), false);
    assert.equal(tokenMatches('x'.repeat(100_000), TOKEN), false);
    assert.equal(tokenMatches(TOKEN, TOKEN), true);
  });

  it('no file is ever served by URL path (traversal, encoded, doubled, backslashes, absolute)', async () => {
    const targets = [
      '/../../etc/passwd', '/api/v1/../../etc/passwd', '/api/v1/%2e%2e/%2e%2e/etc/passwd', '/api/v1/..%2f..%2f..%2fetc%2fpasswd',
      '/api/v1/%252e%252e%252fetc%252fpasswd', '/api/v1/..\\..\\etc\\passwd', '/etc/passwd', '//etc/passwd', '/api/v1//etc/passwd',
      '/api/v1/projects/harbor/documents/story/..%2f..%2f..%2f..%2fetc%2fpasswd', '/api/v1/projects/harbor/documents/..%2f..%2fprd.md',
      '/api/v1/projects/harbor/../../data/sdlc-lens.db', `/api/v1/${encodeURIComponent(dir)}/prd.md`, '/api/v1/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
      '/api/v1/projects/harbor/documents/story/US0001-browse-rooms-by-floor.md', '/sdlc-lens.db', '/api/v1/sdlc-lens.db', '/index.html', '/',
    ];
    const secret = fs.readFileSync('/etc/passwd', 'utf8').split('\n')[0];
    for (const t of targets) {
      const r = await get(t);
      assert.ok(r.status >= 400 && r.status < 500, `${t} → ${r.status}`);
      assert.doesNotMatch(r.headers, /content-type: (?!application\/json)/i, t);
      assert.ok(!r.body.includes(secret) && !r.body.includes('SQLite format'), `${t} leaked a file`);
      envelope(r, r.status, JSON.parse(r.body).error.code);
    }
  });

  it('search snippets escape document text; only <mark> is markup (BG-01KX95WX)', async () => {
    await engine.whenIndexed();
    const r = await get('/api/v1/search?q=zebrafish');
    assert.equal(r.status, 200, r.body);
    const items = JSON.parse(r.body).items as { doc_id: string; snippet: string }[];
    const hit = items.find((i) => i.doc_id === 'US0666-hostile-markup');
    assert.ok(hit, r.body);
    assert.match(hit.snippet, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(hit.snippet, /&lt;img src=x onerror=alert\(2\)&gt;/);
    assert.equal(hit.snippet.replace(/<\/?mark>/g, '').includes('<'), false, hit.snippet);
    assert.match(hit.snippet, /<mark>zebrafish<\/mark>/i);
  });

  it('the token never appears in the engine/server log or the CLI\'s output', async () => {
    // in-process: every request above (including 401s with near-miss tokens) was logged by now
    await get(`/api/v1/projects/${TOKEN}`);
    await get('/api/v1/nope', { Authorization: `Bearer ${TOKEN}-wrong` });
    const inProcess = lab.logged.map((l) => l.message);
    assert.ok(inProcess.length > 0);
    assert.deepEqual(inProcess.filter((l) => l.includes(TOKEN)), []);

    // the CLI: `serve` with the token from the environment; syncs, bad requests, shutdown
    const data = path.join(lab.root, 'cli-data');
    const child = spawn(process.execPath, ['--import', require.resolve('tsx'), path.join(REPO, 'src/cli/main.ts'), 'serve', '--port', '0', '--data-dir', data], {
      env: { ...process.env, SDLC_LENS_TOKEN: TOKEN },
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout.on('data', () => {
          const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
      });
      const call = (method: string, p: string, auth: string, body = '') =>
        raw(port, [`${method} ${p} HTTP/1.1`, `Host: 127.0.0.1:${port}`, `Authorization: ${auth}`, 'Content-Type: application/json'], body);
      assert.equal((await call('POST', '/api/v1/projects', `Bearer ${TOKEN}`, JSON.stringify({ name: 'cli', sdlc_path: dir }))).status, 201);
      assert.equal((await call('POST', '/api/v1/projects/cli/sync', `Bearer ${TOKEN}`)).status, 202);
      assert.equal((await call('GET', '/api/v1/projects/cli', `Bearer ${TOKEN.slice(2)}`)).status, 401);
      assert.equal((await call('GET', `/api/v1/${TOKEN}`, `Bearer ${TOKEN}`)).status, 404);
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      child.kill('SIGINT');
      assert.equal(await exited, 0);
      assert.match(out, /listening on/);
      assert.equal(out.includes(TOKEN), false, out);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL'); // a failed assertion must not leave the server running
    }
  });
});
