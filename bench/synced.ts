// A synthetic corpus registered and synced once into a data folder, for the benchmarks that time
// queries on a ready database (bench/agent.ts, bench/keystroke.ts), and the percentiles they report.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../src/core/engine';
import { generateCorpus } from './generate';
import type { Spread } from './results';

/** `<tmp>/lens-bench-<kind>-<documents>` (seed 1) or `…-<documents>-s<seed>`: reused when it holds `ready`. */
export const syncedDir = (kind: string, documents: number, seed = 1): string =>
  path.join(os.tmpdir(), `lens-bench-${kind}-${documents}${seed === 1 ? '' : `-s${seed}`}`);

function ageTree(dir: string): void {
  const old = new Date(Date.now() - 3_600_000);
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) fs.utimesSync(path.join(e.parentPath, e.name), old, old);
  }
}

/**
 * The corpus in `<dir>/src/synthetic/sdlc-studio`, its files dated an hour back (as a working copy's
 * are: the sync stores their stats, so a freshness probe finds them unchanged), registered as
 * "Synthetic" (slug `synthetic`) and synced once into `<dir>/data`, search index caught up. A no-op
 * when `<dir>/ready` exists (kept by an earlier run).
 */
export async function prepareSynced(dir: string, documents: number, seed = 1): Promise<void> {
  if (fs.existsSync(path.join(dir, 'ready'))) return;
  fs.rmSync(dir, { recursive: true, force: true });
  const corpus = generateCorpus(path.join(dir, 'src', 'synthetic', 'sdlc-studio'), { documents, seed });
  ageTree(corpus.root);
  const engine = await Engine.open({ dataDir: path.join(dir, 'data') });
  try {
    const p = await engine.registerProject({ name: 'Synthetic', sdlc_path: corpus.root });
    const o = await (await engine.startSync(p.slug)).done;
    if (o.sync_status !== 'synced') throw new Error(`sync ended ${o.sync_status}: ${o.sync_error}`);
    await engine.whenIndexed();
  } finally {
    await engine.close();
  }
  fs.writeFileSync(path.join(dir, 'ready'), '');
}

/** The nearest-rank percentile of ascending `sorted`. */
export const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** p50 / p95 / max of `times` (ms). */
export function spread(times: number[]): Spread {
  const s = [...times].sort((a, b) => a - b);
  return { p50: pct(s, 50), p95: pct(s, 95), max: s[s.length - 1] };
}

/** "p50 … ms   p95 … ms   max … ms", the standalone scripts' line format. */
export const fmtSpread = (s: Spread): string =>
  `p50 ${s.p50.toFixed(1).padStart(6)} ms   p95 ${s.p95.toFixed(1).padStart(6)} ms   max ${s.max.toFixed(1).padStart(6)} ms`;
