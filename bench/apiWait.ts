// The engine thread's longest hold during a sync, as an API client feels it (issue 18): a real
// `node dist/cli.js serve` process, a cold sync of a corpus started through POST /projects/:slug/sync,
// and a loop of GET /system/health requests, one after another, each timed from send to answer.
// The longest answer while the sync runs (and for 3 s after it, while the search index is built
// and saved) is the API wait: the time the serve thread was held. Then one story is edited and
// synced again the same way.
//   npx tsx bench/apiWait.ts <sdlc-dir> [runs]     prints the figures as JSON
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildCli } from './cli';

const CHECKOUT = path.resolve(__dirname, '..');
const CLI = path.join(CHECKOUT, 'dist', 'cli.js');
/**
 * How long to keep probing after the sync answered `synced`: the search index is built meanwhile, in
 * slices, at ~2,000 documents a second on this machine (50k: ~26 s), and its holds count too.
 */
const afterMs = (documents: number): number => 3000 + Math.ceil(documents * 0.6);
/** Mutating requests need a token (api.md §1.2); every request sends it, as a client would. */
const TOKEN = 'bench-api-wait-token';

/** The same shape as results.ts ApiWaitPhaseResult. */
export interface ApiWaitPhase {
  /** longest GET /system/health answer while the sync ran and afterMs(documents) after it, while the index is built (ms) */
  maxWaitMs: number;
  /** the same, only after the sync's answer said synced (index build, save) */
  maxWaitAfterMs: number;
  p50Ms: number;
  requests: number;
  syncMs: number;
}

export interface ApiWaitRun {
  cold: ApiWaitPhase;
  edited: ApiWaitPhase;
}

function request(base: string, method: string, p: string, body?: unknown): Promise<{ status: number; body: unknown; ms: number }> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(`${base}/api/v1${p}`, { method, agent: false, headers: { authorization: `Bearer ${TOKEN}`, ...(data ? { 'content-type': 'application/json' } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null, ms: performance.now() - t }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

async function serve(dataDir: string): Promise<{ base: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--token', TOKEN, '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening on (http:\/\/\S+?)(?:\/api\/v1)?\s/.exec(out);
      if (m) resolve(m[1].replace(/\/$/, ''));
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  return { base, child };
}

/** Starts a sync and probes the thread until `after` ms after it ended. */
async function probedSync(base: string, slug: string, after: number): Promise<ApiWaitPhase> {
  const waits: { at: number; ms: number }[] = [];
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const r = await request(base, 'GET', '/system/health');
      waits.push({ at: performance.now(), ms: r.ms });
    }
  })();
  const t0 = performance.now();
  const started = await request(base, 'POST', `/projects/${slug}/sync`);
  if (started.status >= 300) throw new Error(`POST sync answered ${started.status}: ${JSON.stringify(started.body)}`);
  let syncedAt = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    const p = (await request(base, 'GET', `/projects/${slug}`)).body as { sync_status: string; sync_error: string | null };
    if (p.sync_status === 'error') throw new Error(`sync failed: ${p.sync_error}`);
    if (p.sync_status === 'synced') {
      syncedAt = performance.now();
      break;
    }
  }
  await new Promise((r) => setTimeout(r, after));
  stop = true;
  await loop;
  const sorted = waits.map((w) => w.ms).sort((a, b) => a - b);
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return {
    maxWaitMs: r1(sorted[sorted.length - 1] ?? 0),
    maxWaitAfterMs: r1(Math.max(0, ...waits.filter((w) => w.at > syncedAt).map((w) => w.ms))),
    p50Ms: r1(sorted[Math.floor(sorted.length / 2)] ?? 0),
    requests: waits.length,
    syncMs: Math.round(syncedAt - t0),
  };
}

export async function measureApiWait(sdlc: string, runs: number): Promise<ApiWaitRun[]> {
  const story = (fs.readdirSync(path.join(sdlc, 'stories')) as string[]).find((f) => f.endsWith('.md'));
  if (!story) throw new Error(`${sdlc} has no stories/*.md to edit`);
  const documents = (fs.readdirSync(sdlc, { recursive: true }) as string[]).filter((f) => f.endsWith('.md')).length;
  const out: ApiWaitRun[] = [];
  for (let run = 0; run < runs; run++) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-bench-api-'));
    const { base, child } = await serve(dataDir);
    try {
      const registered = await request(base, 'POST', '/projects', { name: 'Bench', sdlc_path: sdlc });
      if (registered.status !== 201) throw new Error(`POST /projects answered ${registered.status}: ${JSON.stringify(registered.body)}`);
      const project = registered.body as { slug: string };
      const cold = await probedSync(base, project.slug, afterMs(documents));
      fs.appendFileSync(path.join(sdlc, 'stories', story), `\nAPI bench edit ${run}.\n`);
      const edited = await probedSync(base, project.slug, afterMs(1));
      out.push({ cold, edited });
      process.stderr.write(`  API wait run ${run + 1}/${runs}: cold sync ${cold.syncMs} ms, longest wait ${cold.maxWaitMs} ms (after it ${cold.maxWaitAfterMs} ms); one edit: longest wait ${edited.maxWaitMs} ms\n`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return out;
}

if (require.main === module) {
  const [sdlc, runs] = process.argv.slice(2);
  if (!sdlc) {
    console.error('usage: npx tsx bench/apiWait.ts <sdlc-dir> [runs]');
    process.exit(2);
  }
  buildCli();
  measureApiWait(path.resolve(sdlc), Number(runs) || 3).then(
    (r) => console.log(JSON.stringify(r, null, 1)),
    (e) => {
      console.error(`bench apiWait: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}
