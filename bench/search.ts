// Search latency at 10,000 documents (issue 9: p95 ≤ 10 ms), in the engine, no HTTP:
//   npx tsx bench/search.ts [lens|synthetic] [documents=10000] [runs=3] [--keep] [--per-query] [--profile] [--bench-queries]
// `lens` copies ../shared/corpus/lens into as many projects as reach `documents` (52 × 193 = 10,036);
// `synthetic` uses bench/generate.ts. Each run opens a fresh engine on the synced data folder and
// calls measureSearch() (src/core/search/measure.ts), the same function `npm run bench` reports.
// --keep keeps the synced data folder in the temp dir for the next call (it is reused when present).
// --bench-queries uses `npm run bench`'s phrases (bench/results.ts), filtered to the first project;
// --language the query language's forms as typed (LANGUAGE_QUERIES: prefixes, phrase, exclusion,
// filters, an id).
import * as fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../src/core/engine';
import { BENCH_QUERIES, LANGUAGE_QUERIES, measureSearch, type SearchLatency } from '../src/core/search/measure';
import { generateCorpus } from './generate';
import { SEARCH_QUERIES } from './results';

const LENS = path.resolve(__dirname, '..', '..', 'shared', 'corpus', 'lens');
const LENS_DOCS = 193;

async function prepare(kind: string, documents: number, dir: string): Promise<void> {
  const engine = await Engine.open({ dataDir: path.join(dir, 'data') });
  try {
    const roots: string[] = [];
    if (kind === 'lens') {
      for (let i = 0; i * LENS_DOCS < documents; i++) {
        const root = path.join(dir, 'src', `p${i}`, 'sdlc-studio');
        fs.cpSync(LENS, root, { recursive: true });
        roots.push(root);
      }
    } else {
      roots.push(generateCorpus(path.join(dir, 'src', 'synthetic', 'sdlc-studio'), { documents, seed: 1 }).root);
    }
    for (const [i, root] of roots.entries()) {
      const p = await engine.registerProject({ name: `P${i}`, sdlc_path: root });
      const o = await (await engine.startSync(p.slug)).done;
      if (o.sync_status !== 'synced') throw new Error(`sync of ${p.slug} ended ${o.sync_status}: ${o.sync_error}`);
    }
    await engine.whenIndexed();
  } finally {
    await engine.close();
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function, biggest first (bench/profile.ts runs its own main, so not imported). */
function topSelf(p: CpuProfile, top: number): string[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const f = byId.get(id)?.callFrame;
    if (!f || f.functionName === '(idle)') return;
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const key = `${f.functionName || '(anonymous)'} ${path.basename(f.url)}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [`${total.toFixed(0)} ms sampled`, ...rows.map(([fn, ms]) => `${ms.toFixed(1).padStart(8)} ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${fn}`)];
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const flags = new Set(process.argv.slice(2).filter((a) => a.startsWith('--')));
  const [kind = 'lens', docsArg = '10000', runsArg = '3'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (!['lens', 'synthetic'].includes(kind) || !/^\d+$/.test(docsArg) || !/^\d+$/.test(runsArg)) {
    throw new Error('usage: tsx bench/search.ts [lens|synthetic] [documents] [runs] [--keep] [--per-query] [--profile]');
  }
  const dir = path.join(os.tmpdir(), `lens-search-bench-${kind}-${docsArg}`);
  const ready = path.join(dir, 'ready');
  if (!fs.existsSync(ready)) {
    fs.rmSync(dir, { recursive: true, force: true });
    const t = performance.now();
    await prepare(kind, Number(docsArg), dir);
    fs.writeFileSync(ready, '');
    console.log(`prepared ${kind} ${docsArg} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  try {
    const engine = await Engine.open({ dataDir: path.join(dir, 'data') });
    try {
      await engine.whenIndexed();
      const count = engine.listProjects().reduce((n, p) => n + p.document_count, 0);
      engine.search({ q: 'warm up' });
      const slug = engine.listProjects()[0]?.slug;
      const queries = flags.has('--bench-queries')
        ? SEARCH_QUERIES.map((q) => ({ q, project: slug, per_page: 20 }))
        : flags.has('--language')
          ? LANGUAGE_QUERIES.map((q) => ({ q, per_page: 30 })) // the quick pick's page
          : BENCH_QUERIES;
      const results: SearchLatency[] = [];
      for (let r = 0; r < Number(runsArg); r++) {
        const m = measureSearch(engine, queries);
        results.push(m);
        console.log(`run ${r + 1}: ${count} documents, ${m.samples} searches: p50 ${m.p50_ms} ms, p95 ${m.p95_ms} ms, max ${m.max_ms} ms (CPU p50 ${m.cpu_p50_ms} ms, p95 ${m.cpu_p95_ms} ms; first ask per query: p50 ${m.first_p50_ms} ms, max ${m.first_max_ms} ms)`);
      }
      const best = results.reduce((a, b) => (b.p95_ms < a.p95_ms ? b : a));
      console.log(
        `best p95 ${best.p95_ms} ms (p50 ${best.p50_ms}, max ${best.max_ms}); median p50 ${median(results.map((m) => m.p50_ms))} ms, ` +
          `p95 ${median(results.map((m) => m.p95_ms))} ms, max ${median(results.map((m) => m.max_ms))} ms; CPU p95 median ${median(results.map((m) => m.cpu_p95_ms))} ms`,
      );
      if (flags.has('--per-query')) {
        for (const query of queries) {
          const q = typeof query === 'string' ? { q: query } : query;
          const m = measureSearch(engine, [q], 20);
          const total = engine.search(q).total;
          console.log(`  ${JSON.stringify(q.q).padEnd(22)} ${String(total).padStart(6)} hits  p50 ${m.p50_ms} ms  max ${m.max_ms} ms`);
        }
      }
      if (flags.has('--profile')) {
        const session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 100 });
        await session.post('Profiler.start');
        measureSearch(engine, queries);
        const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
        session.disconnect();
        for (const line of topSelf(profile, 25)) console.log(line);
      }
    } finally {
      await engine.close();
    }
  } finally {
    if (!flags.has('--keep')) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`search bench: ${(e as Error).message}`);
  process.exit(1);
});
