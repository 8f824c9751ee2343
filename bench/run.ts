// `npm run bench`: engine benchmarks over synthetic corpora (bench/generate.ts) of 1k, 2,352 (the
// size of sdlc-studio's own folder), 10k and 50k documents, plus the real corpora in ../shared/corpus
// when the checkout has them. Each corpus is measured in its own child process (bench/measure.ts) so
// its peak RSS is its own. Prints the report and writes it into BENCHMARKS.md, merging the
// extension-host figures of bench/results/host.json when present.
//
//   BENCH_SIZES=1000,real BENCH_REPEATS=2 npm run bench     quick
//   BENCH_WRITE=0                                             print only, leave BENCHMARKS.md and last-run.json alone
//   BENCH_SEED=1                                              generator seed
//   BENCH_MERGE=1                                             keep the other corpora of the last run
//   BENCH_CLI_SIZES=2352,9408,11700,real BENCH_CLI_RUNS=5      whole-process CLI rows (bench/cli.ts); "none" skips
//   BENCH_ORIGINAL=<dir>                                      a checkout of the original: its own walk+read+parse as a second CLI ratio baseline
//   BENCH_API_SIZES=2352,10000,50000 BENCH_API_RUNS=3         the serve thread's hold during a sync (bench/apiWait.ts)
//   BENCH_AGENT_SIZES=10000 BENCH_AGENT_CALLS=40 BENCH_AGENT_SPAWNS=3   agent tools + new mcp processes (bench/agent.ts)
//   BENCH_KEYSTROKE_SIZES=10000 BENCH_KEYSTROKE_ROUNDS=3       Search Documents keystroke → results (bench/keystroke.ts)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measureAgent } from './agent';
import { measureApiWait } from './apiWait';
import { buildCli, measureCli, originalCheckout } from './cli';
import { generateCorpus } from './generate';
import { measureKeystroke } from './keystroke';
import { NOTES } from './notes';
import { renderReport } from './report';
import { WORKER_LIMITS } from '../src/core/worker/client';
import { TARGETS, type AgentResult, type ApiWaitResult, type CliCorpusResult, type CorpusResult, type HostFile, type KeystrokeResult, type Measured, type TargetSize } from './results';

const CHECKOUT = path.resolve(__dirname, '..');
const SHARED_CORPUS = path.resolve(CHECKOUT, '..', 'shared', 'corpus');
const HOST_FILE = path.join(__dirname, 'results', 'host.json');
const LAST_RUN = path.join(__dirname, 'results', 'last-run.json');
const REPORT = path.join(CHECKOUT, 'BENCHMARKS.md');
const BEGIN = '<!-- bench:results -->';
const END = '<!-- /bench:results -->';

function envInt(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return Number(raw);
}

function sizesFromEnv(name = 'BENCH_SIZES', fallback = '1000,2352,10000,50000,real'): (number | 'real')[] {
  const raw = process.env[name] ?? fallback;
  if (raw.trim() === 'none') return []; // with BENCH_MERGE=1: re-render the last run's figures
  return raw.split(',').map((s) => {
    const t = s.trim().toLowerCase();
    if (t === 'real') return 'real';
    const m = /^(\d+)(k?)$/.exec(t);
    if (!m || Number(m[1]) < 1) throw new Error(`${name}: "${s}" is neither a document count (e.g. 1000 or 10k) nor "real"`);
    return Number(m[1]) * (m[2] ? 1000 : 1);
  });
}

const label = (n: number): string => (n % 1000 === 0 ? `${n / 1000}k` : n.toLocaleString('en-US'));

/** Real sdlc-studio folders under ../shared/corpus (type folders, ≥ 100 documents), copied writable. */
function realCorpora(): { name: string; dir: string }[] {
  if (!fs.existsSync(SHARED_CORPUS)) return [];
  return fs
    .readdirSync(SHARED_CORPUS, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(SHARED_CORPUS, e.name, 'stories')))
    .filter((e) => countMarkdown(path.join(SHARED_CORPUS, e.name)) >= 100) // not the 10-file browser-test fixtures
    .map((e) => ({ name: e.name, dir: path.join(SHARED_CORPUS, e.name) }));
}

function countMarkdown(dir: string): number {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.md')).length;
}

function copyWritable(src: string, dest: string): void {
  fs.cpSync(src, dest, { recursive: true });
  const fix = (p: string): void => {
    const st = fs.statSync(p);
    fs.chmodSync(p, st.isDirectory() ? 0o755 : 0o644);
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) fix(path.join(p, e));
  };
  fix(dest);
}

/**
 * A second measuring process, for the sizes with an RSS target: the same steps (one run after the
 * fresh-process one) with the V8 old-generation limit the extension's engine thread runs with
 * (WORKER_LIMITS). V8 sizes a heap's growth past what is live from this limit: with Node's default
 * (~4 GB here) the measuring process reached 617-634 MB at 50k over its six runs of every step,
 * 331-334 MB with this one, and 334 MB with a forced collection after each step (nothing kept).
 */
const LIMITED_FLAGS = [`--max-old-space-size=${WORKER_LIMITS.maxOldGenerationSizeMb}`];

function measure(sdlc: string, repeats: number, flags: string[] = []): Measured {
  const out = path.join(path.dirname(sdlc), 'measured.json');
  const r = spawnSync(process.execPath, [...flags, '--import', 'tsx', path.join(__dirname, 'measure.ts'), sdlc, out, String(repeats)], {
    cwd: CHECKOUT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`measuring ${sdlc} failed (exit ${r.status ?? r.signal})`);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as Measured;
}

function readHost(): HostFile | null {
  if (!fs.existsSync(HOST_FILE)) return null;
  try {
    return JSON.parse(fs.readFileSync(HOST_FILE, 'utf8')) as HostFile;
  } catch (e) {
    console.error(`bench: ignoring ${path.relative(CHECKOUT, HOST_FILE)}: ${(e as Error).message}`);
    return null;
  }
}

/** The whole-process CLI rows (bench/cli.ts) on generated corpora and the real ones. */
function measureCliCorpora(seed: number): CliCorpusResult[] {
  const sizes = sizesFromEnv('BENCH_CLI_SIZES', '2352,9408,11700,real');
  const runs = envInt('BENCH_CLI_RUNS', 5, 1);
  const out: CliCorpusResult[] = [];
  if (!sizes.length) return out;
  const original = originalCheckout(); // checked before the first corpus, not after minutes of runs
  if (original) console.log(`bench: the original's own walk+read+parse from ${original} (BENCH_ORIGINAL)`);
  buildCli();
  for (const size of sizes) {
    const jobs =
      size === 'real'
        ? realCorpora().map((c) => ({ label: `${c.name} (real)`, size: null, make: (dest: string) => copyWritable(c.dir, dest) }))
        : [{ label: label(size), size, make: (dest: string) => generateCorpus(dest, { documents: size, seed }) }];
    for (const job of jobs) {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-bench-'));
      try {
        const sdlc = path.join(tmp, 'sdlc-studio');
        job.make(sdlc);
        console.log(`bench: CLI in new processes, ${job.label}, ${runs} runs`);
        out.push({ ...measureCli(sdlc, runs), label: job.label, size: job.size });
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    }
  }
  return out;
}

/** The serve thread's longest hold during a cold sync and a one-edit re-sync (bench/apiWait.ts). */
async function measureApiCorpora(seed: number): Promise<ApiWaitResult[]> {
  const sizes = sizesFromEnv('BENCH_API_SIZES', '2352,10000,50000').filter((s): s is number => s !== 'real');
  const runs = envInt('BENCH_API_RUNS', 3, 1);
  const out: ApiWaitResult[] = [];
  if (sizes.length) buildCli();
  for (const size of sizes) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-bench-'));
    try {
      const sdlc = path.join(tmp, 'sdlc-studio');
      generateCorpus(sdlc, { documents: size, seed });
      console.log(`bench: API wait during a sync (serve), ${label(size)}, ${runs} runs`);
      out.push({ label: label(size), size, runs: await measureApiWait(sdlc, runs) });
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  return out;
}

/** One measurement per generated size of `env` (default `fallback`, "none" skips), after one build of dist/. */
async function perSize<T>(env: string, fallback: string, what: string, m: (size: number) => Promise<T>): Promise<(T & { label: string; size: number })[]> {
  const sizes = sizesFromEnv(env, fallback).filter((s): s is number => s !== 'real');
  const out: (T & { label: string; size: number })[] = [];
  if (sizes.length) buildCli();
  for (const size of sizes) {
    console.log(`bench: ${what}, ${label(size)}`);
    out.push({ ...(await m(size)), label: label(size), size });
  }
  return out;
}

/** Issue 16: each read agent tool in-process, and new `sdlc-lens mcp` processes' first call (bench/agent.ts). */
function measureAgentCorpora(seed: number): Promise<AgentResult[]> {
  const calls = envInt('BENCH_AGENT_CALLS', 40, 1);
  const spawns = envInt('BENCH_AGENT_SPAWNS', 3, 1);
  return perSize('BENCH_AGENT_SIZES', '10000', `agent tools (${calls} calls each, ${spawns} new mcp processes per tool)`, (size) => measureAgent(size, calls, spawns, { seed }));
}

/** Issue 20: keystroke → results in the Search Documents pick, through the engine worker (bench/keystroke.ts). */
function measureKeystrokeCorpora(seed: number): Promise<KeystrokeResult[]> {
  const rounds = envInt('BENCH_KEYSTROKE_ROUNDS', 3, 1);
  return perSize('BENCH_KEYSTROKE_SIZES', '10000', `keystroke → results (${rounds} rounds)`, (size) => measureKeystroke(size, rounds, { seed }));
}

/** `now`, plus the entries of the last run whose corpus this run did not measure. */
function keepMissing<T extends { label: string; size: number | null }>(now: T[], last: T[] | undefined): T[] {
  for (const p of last ?? []) if (!now.some((r) => r.label === p.label)) now.push(p);
  return now.sort((a, b) => (a.size ?? Infinity) - (b.size ?? Infinity));
}

async function main(): Promise<void> {
  const sizes = sizesFromEnv();
  const repeats = envInt('BENCH_REPEATS', 5, 1);
  const seed = envInt('BENCH_SEED', 1, 0);
  const results: CorpusResult[] = [];
  for (const size of sizes) {
    const jobs =
      size === 'real'
        ? realCorpora().map((c) => ({ label: `${c.name} (real)`, size: null, make: (dest: string) => copyWritable(c.dir, dest) }))
        : [{ label: label(size), size, make: (dest: string) => generateCorpus(dest, { documents: size, seed }) }];
    if (size === 'real' && !jobs.length) console.log(`bench: no real corpus in ${path.relative(CHECKOUT, SHARED_CORPUS)}; skipped`);
    for (const job of jobs) {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-bench-'));
      try {
        const sdlc = path.join(tmp, 'sdlc-studio');
        const t = performance.now();
        job.make(sdlc);
        const generateMs = job.size === null ? null : performance.now() - t;
        console.log(`bench: ${job.label}${generateMs === null ? '' : ` (generated in ${(generateMs / 1000).toFixed(1)} s)`}, ${repeats} runs + 1 fresh-process run`);
        const measured: CorpusResult = { ...measure(sdlc, repeats), label: job.label, size: job.size, generateMs };
        if (job.size !== null && TARGETS.rssLimited[job.size as TargetSize]) {
          console.log(`bench: ${job.label}, peak RSS with the engine thread's heap limit (${LIMITED_FLAGS.join(' ')}), 1 run + 1 fresh-process run`);
          measured.maxRssLimitedMb = measure(sdlc, 1, LIMITED_FLAGS).maxRssMb;
        }
        results.push(measured);
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    }
  }
  const cli = measureCliCorpora(seed);
  const api = await measureApiCorpora(seed);
  const agent = await measureAgentCorpora(seed);
  const keystroke = await measureKeystrokeCorpora(seed);
  if (process.env.BENCH_MERGE === '1' && fs.existsSync(LAST_RUN)) {
    // keep the previous run's corpora that this run did not measure (e.g. 50k measured on its own)
    const last = JSON.parse(fs.readFileSync(LAST_RUN, 'utf8')) as { results: CorpusResult[]; cli?: CliCorpusResult[]; api?: ApiWaitResult[]; agent?: AgentResult[]; keystroke?: KeystrokeResult[] };
    keepMissing(results, last.results);
    keepMissing(cli, last.cli);
    keepMissing(api, last.api);
    keepMissing(agent, last.agent);
    keepMissing(keystroke, last.keystroke);
  }
  const report = renderReport(results, readHost(), repeats, NOTES, cli, api, agent, keystroke);
  console.log(`\n${report}\n`);
  // print only: the last run's figures (what BENCH_MERGE=1 keeps) stay as they were too
  if (process.env.BENCH_WRITE === '0') return;
  fs.mkdirSync(path.dirname(LAST_RUN), { recursive: true });
  fs.writeFileSync(LAST_RUN, JSON.stringify({ date: new Date().toISOString(), node: process.version, repeats, seed, results, cli, api, agent, keystroke }, null, 1) + '\n');
  const doc = fs.readFileSync(REPORT, 'utf8');
  const at = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (at < 0 || end < at) throw new Error(`BENCHMARKS.md has no ${BEGIN} … ${END} section to replace`);
  fs.writeFileSync(REPORT, `${doc.slice(0, at)}${BEGIN}\n${report}\n${doc.slice(end)}`);
  console.log(`bench: wrote ${path.relative(CHECKOUT, REPORT)} and ${path.relative(CHECKOUT, LAST_RUN)}`);
}

main().catch((e) => {
  console.error(`bench: ${(e as Error).message}`);
  process.exit(1);
});
