// `npm run bench:host`: the extension-host figures of issue 8, measured in a real VS Code extension
// host by test/integration/bench-host.spec.ts (run through the integration harness with
// SDLC_LENS_BENCH_HOST=1, the only way that spec is registered). Writes bench/results/host.json
// (HostFile, bench/results.ts), which `npm run bench` merges into BENCHMARKS.md.
//
// The extension is packaged once and every harness run installs that same .vsix. Each corpus size
// is measured in its own window (a new code-server), as a user's window holds one such project.
// Activation happens once per window, so its median comes from BENCH_HOST_ACTIVATIONS windows (the
// sizes' windows plus activation-only runs). The harness runs from a private mirror of the checkout (privateCheckout).
//
//   BENCH_HOST_SIZES=2352,10000,11700   corpus sizes (bench/generate.ts, seed 1)
//   BENCH_HOST_RUNS=5             runs per figure and size inside one window
//   BENCH_HOST_ACTIVATIONS=5      windows whose activation time is sampled
//   BENCH_HOST_WRITE=0            print only, leave bench/results/host.json alone
//   BENCH_HOST_ONLY=<text>        only the spec's tests whose title contains it (mocha grep), e.g. "saved story"
//   BENCH_HOST_VSIX=<file>        install this .vsix instead of packaging the checkout
//   BENCH_HOST_PROFILE=<dir>      also write a .cpuprofile of the host thread per phase (top functions in `detail`)
//   BENCH_HOST_PROFILE_KIND=alloc  … a .heapprofile instead: what the host thread allocated per phase, garbage included
//   BENCH_HOST_HEAPSNAPSHOT=<dir> also write heap snapshots of the host thread: idle, and per size with its group open
//   BENCH_HOST_SMAPS=<dir>    also copy the host process's /proc/self/smaps at those moments (native memory by mapping)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VSCODE_TEST } from '../test/harness/common';
import { installDirs } from '../test/harness/vscode-versions';
import { generateCorpus } from './generate';
import type { HostFile } from './results';

const CHECKOUT = path.resolve(__dirname, '..');
const HOST_FILE = path.join(__dirname, 'results', 'host.json');
const HARNESS = path.join(CHECKOUT, 'test', 'harness', 'integration.ts');

function envInt(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return Number(raw);
}

function sizes(): string {
  const raw = process.env.BENCH_HOST_SIZES ?? '2352,10000,11700';
  const out = raw.split(',').map((s) => {
    const m = /^(\d+)(k?)$/.exec(s.trim().toLowerCase());
    if (!m || Number(m[1]) < 100) throw new Error(`BENCH_HOST_SIZES: "${s}" is not a document count ≥ 100 (e.g. 2352 or 10k)`);
    return Number(m[1]) * (m[2] ? 1000 : 1);
  });
  return out.join(',');
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Packages the extension once; returns a private copy of the .vsix (a later build cannot change it). */
function packageOnce(dir: string): string {
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: CHECKOUT, stdio: ['ignore', 'ignore', 'inherit'] });
  const built = path.join(CHECKOUT, 'dist', 'sdlc-lens.vsix');
  if (r.status !== 0 || !fs.existsSync(built)) throw new Error(`npm run package failed (exit ${r.status ?? r.signal})`);
  const copy = path.join(dir, 'sdlc-lens.vsix');
  fs.copyFileSync(built, copy);
  return copy;
}

/** Packages the second-extension probe (bench/probe-extension), installed beside the extension in every window. */
function packageProbe(dir: string): string {
  const out = path.join(dir, 'host-probe.vsix');
  const r = spawnSync('npx', ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', out], {
    cwd: path.join(__dirname, 'probe-extension'),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0 || !fs.existsSync(out)) throw new Error(`packaging bench/probe-extension failed (exit ${r.status ?? r.signal})`);
  return out;
}

/**
 * A private view of the checkout for the harness: symlinks to everything but a copy of test/ (the
 * harness finds its root from its own folder) and its own .vscode-test/runs, sharing the installed
 * code-servers and Node. The harness clears earlier runs of its kind when it starts, so a concurrent
 * `npm run test:integration` in the same tree would delete a benchmark run in progress (and the
 * benchmark theirs); the mirror keeps both apart.
 */
function privateCheckout(dir: string): string {
  const root = path.join(dir, 'checkout');
  fs.mkdirSync(path.join(root, '.vscode-test'), { recursive: true });
  for (const e of fs.readdirSync(CHECKOUT)) {
    if (e === '.vscode-test' || e === 'test' || e === '.git') continue;
    fs.symlinkSync(path.join(CHECKOUT, e), path.join(root, e));
  }
  fs.cpSync(path.join(CHECKOUT, 'test'), path.join(root, 'test'), { recursive: true });
  // the checkout's own install folders (made when missing: every target's code-server, 1.139's Node),
  // so a first run installs each once for every later run and for the test harness, not into the
  // mirror that is removed afterwards (1.139's code-server took ~110 s at every run)
  for (const dir of installDirs()) {
    fs.mkdirSync(dir, { recursive: true });
    fs.symlinkSync(dir, path.join(root, '.vscode-test', path.relative(VSCODE_TEST, dir)));
  }
  return root;
}

/** One integration-harness run of the benchmark spec; returns what the spec wrote. */
function harness(root: string, env: Record<string, string>, out: string): Record<string, unknown> {
  fs.rmSync(out, { force: true });
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, path.relative(CHECKOUT, HARNESS))], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    // The recorded figures are the minimum's (VS Code 1.100.3); SDLC_LENS_VSCODE=1.139 measures the stable.
    env: { ...process.env, SDLC_LENS_VSCODE: process.env.SDLC_LENS_VSCODE || '1.100', SDLC_LENS_BENCH_HOST: '1', SDLC_LENS_BENCH_HOST_FILE: out, SDLC_LENS_RUN_TIMEOUT: String(90 * 60_000), ...env },
  });
  if (!fs.existsSync(out)) throw new Error(`the extension-host benchmark wrote nothing (harness exit ${r.status ?? r.signal})`);
  const got = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>;
  if (r.status !== 0) {
    console.error(`bench:host: the harness exited ${r.status ?? r.signal}; keeping the figures it wrote`);
    process.exitCode = 1;
  }
  return got;
}

/**
 * One result from the windows' (one per size): per-size figures joined, a figure of the window
 * itself (idle RSS, activation) their median, `detail` joined (a window-level entry also lists
 * every window's value).
 */
function mergeWindows(windows: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = { vscode: windows[0]?.vscode };
  const detail: Record<string, unknown> = {};
  const keys = new Set(windows.flatMap((w) => Object.keys(w)).filter((k) => k !== 'detail' && k !== 'vscode'));
  for (const k of keys) {
    const values = windows.map((w) => w[k]).filter((v) => v !== undefined);
    if (values.every((v) => typeof v === 'number')) {
      out[k] = Math.round(median(values as number[]) * 10) / 10;
      detail[`${k}@windows`] = values;
    } else out[k] = Object.assign({}, ...values);
  }
  for (const w of windows) Object.assign(detail, w.detail as Record<string, unknown> | undefined);
  out.detail = detail;
  return out;
}

/**
 * Generates the corpus of `size` documents here, outside the extension host, and returns its
 * manifest's path (SDLC_LENS_BENCH_HOST_CORPUS, read by the spec). Generated inside the host, its
 * 65 MiB of text (11.7k) grew the host thread's heap and counted into the host's RSS, which a
 * user's host never pays: a plain Node process keeps ~40-48 MB more RSS after generating 11.7k.
 */
function pregenerate(tmp: string, size: number): string {
  const corpus = generateCorpus(path.join(fs.realpathSync(tmp), `bench${size}`, 'sdlc-studio'), { documents: size, seed: 1 });
  const manifest = path.join(tmp, `bench${size}.json`);
  fs.writeFileSync(manifest, JSON.stringify(corpus));
  return manifest;
}

function main(): void {
  const runs = envInt('BENCH_HOST_RUNS', 5, 1);
  const activations = envInt('BENCH_HOST_ACTIVATIONS', 5, 1);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-bench-host-'));
  try {
    const vsix = process.env.BENCH_HOST_VSIX ? path.resolve(process.env.BENCH_HOST_VSIX) : packageOnce(tmp);
    const root = privateCheckout(tmp);
    const profileDir = process.env.BENCH_HOST_PROFILE ? path.resolve(process.env.BENCH_HOST_PROFILE) : undefined;
    const snapshotDir = process.env.BENCH_HOST_HEAPSNAPSHOT ? path.resolve(process.env.BENCH_HOST_HEAPSNAPSHOT) : undefined;
    const smapsDir = process.env.BENCH_HOST_SMAPS ? path.resolve(process.env.BENCH_HOST_SMAPS) : undefined;
    for (const dir of [snapshotDir, smapsDir]) if (dir) fs.mkdirSync(dir, { recursive: true });
    // the second extension (bench/probe-extension) times the shared host as a user's other extensions feel it
    const common = { SDLC_LENS_VSIX: vsix, SDLC_LENS_EXTRA_VSIX: packageProbe(tmp), SDLC_LENS_BENCH_HOST_RUNS: String(runs), ...(profileDir ? { SDLC_LENS_BENCH_HOST_PROFILE: profileDir, SDLC_LENS_BENCH_HOST_PROFILE_KIND: process.env.BENCH_HOST_PROFILE_KIND ?? '' } : {}), ...(snapshotDir ? { SDLC_LENS_BENCH_HOST_HEAPSNAPSHOT: snapshotDir } : {}), ...(smapsDir ? { SDLC_LENS_BENCH_HOST_SMAPS: smapsDir } : {}) };
    // Each size in its own window: a user's window holds one such project, and what an earlier
    // corpus left in the process (sql.js's memory never shrinks, the allocator keeps freed pages)
    // counted into the next one's RSS (11.7k after 2,352 and 10k in one window: 623 MB; alone: 420–463).
    const windows: Record<string, unknown>[] = [];
    for (const size of sizes().split(',')) {
      console.log(`bench:host: ${size} documents in a new window (${runs} runs per figure)`);
      const corpus = pregenerate(tmp, Number(size));
      windows.push(harness(root, { ...common, SDLC_LENS_TEST_GREP: process.env.BENCH_HOST_ONLY || 'host benchmark', SDLC_LENS_BENCH_HOST_SIZES: size, SDLC_LENS_BENCH_HOST_CORPUS: corpus }, path.join(tmp, `size-${size}.json`)));
    }
    if (!process.env.BENCH_HOST_ONLY) {
      console.log('bench:host: the churn control in a new window (the host thread allocating, no project)');
      windows.push(harness(root, { ...common, SDLC_LENS_TEST_GREP: 'host churn control' }, path.join(tmp, 'churn.json')));
    }
    const full = mergeWindows(windows);
    const activationMs: number[] = windows.map((w) => w.activation_ms).filter((ms): ms is number => typeof ms === 'number');
    for (let i = activationMs.length; i < activations; i++) {
      console.log(`bench:host: activation-only window ${i + 1} of ${activations}`);
      const got = harness(root, { ...common, SDLC_LENS_TEST_GREP: 'host benchmark activation' }, path.join(tmp, `activation-${i}.json`));
      if (typeof got.activation_ms === 'number') activationMs.push(got.activation_ms);
    }
    const { detail, vscode: vscodeVersion, ...figures } = full as { detail?: Record<string, unknown>; vscode?: string } & Record<string, unknown>;
    const result: HostFile & { detail?: unknown } = {
      ...(figures as HostFile),
      ...(activationMs.length ? { activation_ms: Math.round(median(activationMs) * 10) / 10 } : {}),
      measured: `${new Date().toISOString().slice(0, 10)}, VS Code ${vscodeVersion ?? '?'} (code-server, headless Chromium), ${os.cpus().length} cores, Node ${process.version}`,
      notes:
        `Median of ${runs} runs per corpus size (bench/generate.ts, seed 1), each size in its own window (idle RSS: median of the windows); activation: median of ${activationMs.length} windows (${activationMs.join(', ')} ms), ` +
        "activate() entry to return. Holds: longest gap of a 5 ms interval timer on the host thread (test/integration/support/holdProbe.ts) during a cold sync with the view open, " +
        'and from revealing the Stories group (expand) until the view has asked getTreeItem for every row. First paint: Projects view focused (after being hidden and refreshed) → ' +
        "root rows and the project's group rows asked and answered. Saved file: WorkspaceEdit + save() of a story's title with auto-sync on → the view asks its row with the new title, minus the debounce. " +
        'Second extension: bench/probe-extension, loaded in the same host, its own 5 ms timer (performance.now() gaps) over the same phases, and process.memoryUsage().rss of the host after the sync and the group opened (peak sampled every 100 ms). ' +
        'Every sample: `detail` in bench/results/host.json.',
      detail,
    };
    const text = `${JSON.stringify(result, null, 1)}\n`;
    console.log(text);
    if (process.env.BENCH_HOST_WRITE === '0' || profileDir) return; // a profiled run's figures carry the profiler's cost
    fs.mkdirSync(path.dirname(HOST_FILE), { recursive: true });
    fs.writeFileSync(HOST_FILE, text);
    console.log(`bench:host: wrote ${path.relative(CHECKOUT, HOST_FILE)}; \`npm run bench\` merges it into BENCHMARKS.md`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

try {
  main();
} catch (e) {
  console.error(`bench:host: ${(e as Error).message}`);
  process.exit(1);
}
