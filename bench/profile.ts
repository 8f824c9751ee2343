// CPU profile of one engine scenario on a synthetic corpus, with the top self-time functions:
//   npx tsx bench/profile.ts [documents=10000] [cold|unchanged|edit|search|health] [top=25]
// The V8 profiler (node:inspector, what `node --cpu-prof` uses) runs only around the scenario itself;
// the .cpuprofile is kept in bench/results/ (open it in Chrome DevTools or VS Code).
import * as fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../src/core/engine';
import { generateCorpus } from './generate';

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const SCENARIOS = ['cold', 'unchanged', 'edit', 'search', 'health'] as const;
type Scenario = (typeof SCENARIOS)[number];

/** Self time per function (ms), biggest first, plus totals for sql.js's wasm and for GC. */
export function topSelfTime(p: CpuProfile, top: number): { rows: { fn: string; ms: number; pct: number }[]; totalMs: number; wasmMs: number; gcMs: number } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  let wasm = 0;
  let gc = 0;
  p.samples.forEach((id, i) => {
    const n = byId.get(id);
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    if (!n) return;
    const f = n.callFrame;
    if (f.functionName === '(idle)') return;
    total += dt;
    if (f.url.includes('wasm') || f.functionName.startsWith('$') || /^wasm-function/.test(f.functionName)) wasm += dt;
    if (f.functionName === '(garbage collector)') gc += dt;
    const where = f.url ? ` ${f.url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '')}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'}${where}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  const rows = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, ms]) => ({ fn, ms, pct: (100 * ms) / total }));
  return { rows, totalMs: total, wasmMs: wasm, gcMs: gc };
}

async function main(): Promise<void> {
  const [docsArg = '10000', scenarioArg = 'cold', topArg = '25'] = process.argv.slice(2);
  const scenario = scenarioArg as Scenario;
  if (!/^\d+$/.test(docsArg) || !SCENARIOS.includes(scenario) || !/^\d+$/.test(topArg)) {
    throw new Error(`usage: tsx bench/profile.ts [documents] [${SCENARIOS.join('|')}] [top]`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-prof-'));
  try {
    const sdlc = path.join(tmp, 'sdlc-studio');
    const corpus = generateCorpus(sdlc, { documents: Number(docsArg), seed: 1 });
    // files written this instant are inside the sync's racy window (their stat is not trusted, so an
    // "unchanged" re-sync would read them all): date them back as files of a real project are
    const past = new Date(Date.now() - 60_000);
    for (const f of corpus.files) fs.utimesSync(path.join(sdlc, f), past, past);
    // warm-up on a small corpus: the profile should show the engine, not wasm tier-up
    const warmDir = path.join(tmp, 'warm');
    generateCorpus(warmDir, { documents: 300, seed: 2 });
    const warm = (await Engine.open({ dataDir: path.join(tmp, 'warm-data') })) as unknown as Loose;
    const wp = await warm.registerProject({ name: 'Warm', sdlc_path: warmDir });
    await (await warm.startSync(wp.slug)).done;
    await warm.whenIndexed();
    await warm.close();

    const engine = (await Engine.open({ dataDir: path.join(tmp, 'data') })) as unknown as Loose;
    const project = await engine.registerProject({ name: 'Prof', sdlc_path: sdlc });
    const sync = async (): Promise<void> => {
      const o = await (await engine.startSync(project.slug)).done;
      if (o.sync_status !== 'synced') throw new Error(`sync ended ${o.sync_status}: ${o.sync_error}`);
    };
    if (scenario !== 'cold') {
      await sync();
      await engine.whenIndexed();
    }
    if (scenario === 'edit') fs.appendFileSync(path.join(sdlc, corpus.files.find((f) => f.startsWith('stories/'))!), '\nedited\n');

    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    const t = performance.now();
    if (scenario === 'search') for (let i = 0; i < 200; i++) engine.search({ q: i % 2 ? 'sync status' : 'the parser', project: project.slug });
    else if (scenario === 'health') for (let i = 0; i < 10; i++) await engine.healthCheck(project.slug);
    else await sync();
    const wall = performance.now() - t;
    const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    session.disconnect();
    await engine.close();

    const out = path.join(__dirname, 'results', `profile-${scenario}-${docsArg}.cpuprofile`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(profile));
    const s = topSelfTime(profile, Number(topArg));
    console.log(`${scenario} on ${corpus.documents} documents: ${wall.toFixed(0)} ms wall, ${s.totalMs.toFixed(0)} ms sampled; sql.js (wasm + its JS glue) ${s.wasmMs.toFixed(0)} ms, GC ${s.gcMs.toFixed(0)} ms`);
    console.log('self ms    %   function');
    for (const r of s.rows) console.log(`${r.ms.toFixed(1).padStart(7)} ${r.pct.toFixed(1).padStart(5)}  ${r.fn}`);
    console.log(`profile: ${path.relative(process.cwd(), out)}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`profile: ${(e as Error).message}`);
  process.exit(1);
});
