// `sdlc-lens serve` end to end: the bundled CLI in a child process, its one ready line, real
// requests, and a clean exit 0 on SIGTERM/SIGINT that leaves no project `syncing`.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../../src/core/engine';
import { call, clientFor } from './http-client';
import { expectEnvelope, SAMPLE, SAMPLE_DOCS } from './harness';

const REPO = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const READY = /^SDLC Lens API listening on http:\/\/127\.0\.0\.1:(\d+)\/api\/v1$/;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) newest = Math.max(newest, fs.statSync(path.join(e.parentPath ?? e.path, e.name)).mtimeMs);
  }
  return newest;
}

/** Builds dist/cli.js when it is missing or older than the sources. */
function ensureBuilt(): void {
  if (fs.existsSync(CLI) && fs.statSync(CLI).mtimeMs >= newestMtime(path.join(REPO, 'src'))) return;
  execFileSync(process.execPath, ['esbuild.js'], { cwd: REPO, stdio: 'ignore' });
}

const TOKEN_LINE = /^API token: (\S+) \(send it as "Authorization: Bearer <token>"\)$/;

interface Served {
  child: ChildProcess;
  port: number;
  /** the token the server printed (it generated one), or undefined */
  token: Promise<string | undefined>;
  stdout: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        const m = READY.exec(line);
        if (m) resolve(Number(m[1]));
        else reject(new Error(`unexpected first line: ${line}`));
      }
    });
    void exit.then(({ code }) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  const token = (async () => {
    for (let i = 0; i < 1000 && !args.includes('--token') && !env.SDLC_LENS_TOKEN && out.split('\n').length < 3; i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    return TOKEN_LINE.exec(out.split('\n')[1] ?? '')?.[1];
  })();
  return { child, port, token, stdout: () => out, exit };
}

describe('sdlc-lens serve (CLI, end to end)', function () {
  this.timeout(60_000);
  let root: string;
  before(() => ensureBuilt());
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-serve-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('without a token it generates one and prints it on a second line; serves the API with it; exits 0 on SIGTERM', async () => {
    const s = await serve(['--port', '0', '--data-dir', path.join(root, 'data')]);
    const token = await s.token;
    assert.match(token ?? '', /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
    expectEnvelope(await clientFor(s.port).post('/projects', { name: 'x', sdlc_path: root }), 401, 'UNAUTHORIZED');
    const health = await clientFor(s.port, { authorization: `Bearer ${token}` }).get('/system/health');
    assert.equal(health.status, 200);
    assert.equal(health.json.status, 'healthy');
    s.child.kill('SIGTERM');
    assert.deepEqual(await s.exit, { code: 0, signal: null });
    assert.equal(s.stdout().split('\n').filter(Boolean).length, 2);
    const again = await serve(['--port', '0', '--data-dir', path.join(root, 'data')]);
    assert.notEqual(await again.token, token, 'a new token at each launch');
    again.child.kill('SIGTERM');
    await again.exit;
  });

  it('SIGINT during a sync: the run stops at a safe point, is persisted, nothing is left syncing, exit 0', async () => {
    const dataDir = path.join(root, 'data');
    const big = path.join(root, 'big', 'sdlc-studio');
    fs.mkdirSync(path.join(big, 'stories'), { recursive: true });
    for (let i = 1; i <= 1500; i++) fs.writeFileSync(path.join(big, 'stories', `US${String(i).padStart(4, '0')}-s.md`), `# US${i}: S\n\n${'text '.repeat(300)}`);
    const small = path.join(root, 'small', 'sdlc-studio');
    fs.cpSync(SAMPLE, small, { recursive: true });
    const s = await serve(['--port', '0', '--data-dir', dataDir]);
    const api = clientFor(s.port, { authorization: `Bearer ${await s.token}` });
    assert.equal((await api.post('/projects', { name: 'Small', sdlc_path: small })).status, 201);
    assert.equal((await api.post('/projects/small/sync')).status, 202);
    for (let i = 0; i < 10_000 && (await api.get('/projects/small')).json.sync_status === 'syncing'; i++);
    assert.equal((await api.post('/projects', { name: 'Big', sdlc_path: big })).status, 201);
    assert.equal((await api.post('/projects/big/sync')).status, 202);
    s.child.kill('SIGINT');
    assert.deepEqual(await s.exit, { code: 0, signal: null });
    const engine = await Engine.open({ dataDir });
    try {
      const statuses = Object.fromEntries(engine.listProjects().map((p) => [p.slug, p.sync_status]));
      assert.equal(statuses.small, 'synced');
      assert.notEqual(statuses.big, 'syncing');
      assert.equal(engine.getProject('small').document_count, SAMPLE_DOCS);
    } finally {
      await engine.close();
    }
  });

  it('requires the token from --token or SDLC_LENS_TOKEN', async () => {
    for (const [args, env] of [
      [['--token', 'flag-token'], {}],
      [[], { SDLC_LENS_TOKEN: 'flag-token' }],
    ] as const) {
      const s = await serve(['--port', '0', '--data-dir', path.join(root, 'data'), ...args], env);
      try {
        const denied = await call(s.port, 'GET', '/api/v1/projects');
        assert.equal(denied.status, 401);
        assert.equal(denied.json.error.code, 'UNAUTHORIZED');
        const ok = await call(s.port, 'GET', '/api/v1/projects', { headers: { authorization: 'Bearer flag-token' } });
        assert.equal(ok.status, 200);
        assert.equal(s.stdout().split('\n').filter(Boolean).length, 1, 'a given token is never printed');
        assert.doesNotMatch(s.stdout(), /flag-token/);
      } finally {
        s.child.kill('SIGTERM');
        assert.equal((await s.exit).code, 0);
      }
    }
  });

  it('rejects a bad --port with exit 2 and a message on stderr', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, [CLI, 'serve', '--port', 'abc', '--data-dir', path.join(root, 'data')], { stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number }).status;
      stderr = String((e as { stderr: Buffer }).stderr);
    }
    assert.equal(status, 2);
    assert.match(stderr, /--port/);
  });
});
