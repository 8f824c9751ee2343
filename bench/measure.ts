// One corpus, measured in this (child) process so its peak RSS is its own:
//   node --import tsx bench/measure.ts <sdlc-dir> <out.json> <repeats>
// Run 0 is the first sync of a fresh process (sql.js's wasm not yet optimised), reported apart;
// runs 1..repeats are the medians' samples. Each run uses a fresh data folder.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../src/core/engine';
import { measureSearch } from '../src/core/search/measure';
import { loadSqlJs } from '../src/core/store/sqljs';
import { bytesWritten, folderBytes, IoMeter, snapshot } from './instrument';
import { SEARCH_QUERIES, type Measured, type Sample } from './results';

type Loose = Record<string, unknown> & { [k: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

function markdownFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory() && !e.name.startsWith('.')) walk(path.join(d, e.name), rel + e.name + '/');
      else if (e.isFile() && e.name.endsWith('.md') && e.name !== '_index.md') out.push(rel + e.name);
    }
  };
  walk(root, '');
  return out;
}

async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

async function main(): Promise<void> {
  const [sdlc, outFile, repeatsArg] = process.argv.slice(2);
  const repeats = Number(repeatsArg);
  const files = markdownFiles(sdlc);
  const markdownBytes = files.reduce((n, f) => n + fs.statSync(path.join(sdlc, f)).size, 0);
  const story = files.find((f) => f.startsWith('stories/')) ?? files[0];
  const onePercent = files.length >= 100 ? files.filter((_, i) => i % 100 === 50) : [files[Math.floor(files.length / 2)]];
  const SQL = await loadSqlJs();
  const result: Measured = { documents: 0, markdownBytes, repeats, runs: [] };

  for (let run = 0; run <= repeats; run++) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-bench-db-'));
    const meter = new IoMeter(fs.realpathSync(dataDir));
    meter.install(SQL.Database.prototype as unknown as Record<string, unknown>);
    const engine = (await Engine.open({ dataDir, writer: { skillHome: null } })) as unknown as Loose;
    const project = await engine.registerProject({ name: 'Bench', sdlc_path: sdlc });
    const slug: string = project.slug;

    /** One sync, from start to outcome; bytes and persist time until the search index caught up. */
    const syncOnce = async (options: { paths?: string[] } = {}): Promise<Sample> => {
      const before = snapshot(dataDir);
      meter.reset();
      const cpu = process.cpuUsage();
      const { ms, value } = await timed(async () => (await (await engine.startSync(slug, options)).done) as Loose);
      const used = process.cpuUsage(cpu);
      if (value.sync_status !== 'synced') throw new Error(`bench sync ended ${value.sync_status}: ${value.sync_error}`);
      result.documents = value.document_count;
      const idx = await timed(() => engine.whenIndexed());
      return { ms, cpuMs: (used.user + used.system) / 1000, indexMs: idx.ms, bytes: bytesWritten(before, snapshot(dataDir)), ioBytes: meter.bytes, persistMs: meter.ms, exports: meter.exports };
    };

    const cold = await syncOnce();
    const unchanged = await syncOnce();
    fs.appendFileSync(path.join(sdlc, story), `\nBench edit ${run}: the parser keeps the header.\n`);
    const oneEdited = await syncOnce();
    // the watch mode knows what changed: a path-hinted sync of that one file (no stat of the others)
    fs.appendFileSync(path.join(sdlc, story), `\nBench watch-mode edit ${run}.\n`);
    const oneEditedWatch = await syncOnce({ paths: [story] });
    for (const f of onePercent) fs.appendFileSync(path.join(sdlc, f), `\nBench edit ${run}: one percent changed.\n`);
    const percent = await syncOnce();

    const lists: number[] = [];
    const types = ['story', 'plan', 'bug', 'test-spec'];
    const sorts = ['title', 'updated_at', 'status', 'type'];
    for (let i = 0; i < 200; i++) {
      lists.push((await timed(() => engine.listDocuments(slug, { type: types[i % 4], sort: sorts[(i >> 2) % 4], page: 1 + (i % 3), per_page: 50 }))).ms);
    }
    let groupMs: number | null = null;
    if (typeof engine.documentsOfType === 'function') {
      const g: number[] = [];
      for (let i = 0; i < 10; i++) g.push((await timed(() => engine.documentsOfType(slug, 'story'))).ms);
      groupMs = percentile(g, 50);
    }
    let search: { p50: number; p95: number } | null = null;
    if (typeof engine.search === 'function') {
      // src/core/search/measure.ts: 20 rounds of each query after a warm-up (200 samples)
      const m = measureSearch(engine as Pick<Engine, 'search'>, SEARCH_QUERIES.map((q) => ({ q, project: slug, per_page: 20 })), 20);
      search = { p50: m.p50_ms, p95: m.p95_ms };
    }
    const repeatMedian = async (n: number, fn: () => unknown): Promise<number> => {
      const xs: number[] = [];
      for (let i = 0; i < n; i++) xs.push((await timed(fn)).ms);
      return percentile(xs, 50);
    };
    const stats = typeof engine.projectStats === 'function' ? await repeatMedian(20, () => engine.projectStats(slug)) : null;
    const health = typeof engine.healthCheck === 'function' ? await repeatMedian(5, () => engine.healthCheck(slug)) : null;
    let setStatus: number | null = null;
    if (typeof engine.setStatus === 'function') {
      const docId: string = engine.documentsAt(slug, [story])[0].doc_id;
      let i = 0;
      setStatus = await repeatMedian(5, () => engine.setStatus({ slug, type: 'story', doc_id: docId, status: i++ % 2 ? 'Review' : 'Blocked' }));
    }

    result.runs.push({
      cold,
      unchanged,
      oneEdited,
      oneEditedWatch,
      onePercent: { ...percent, files: onePercent.length },
      listP50: percentile(lists, 50),
      listP95: percentile(lists, 95),
      groupMs,
      search,
      stats,
      health,
      setStatus,
      dataBytes: folderBytes(dataDir),
    });
    meter.uninstall();
    await engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.stderr.write(`  run ${run}/${repeats}: cold ${cold.ms.toFixed(0)} ms, unchanged ${unchanged.ms.toFixed(0)} ms, 1 edited ${oneEdited.ms.toFixed(0)} ms (watch mode ${oneEditedWatch.ms.toFixed(0)} ms)\n`);
  }
  result.maxRssMb = process.resourceUsage().maxRSS / 1024;
  fs.writeFileSync(outFile, JSON.stringify(result, null, 2));
}

main().catch((e) => {
  process.stderr.write(`bench measure failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
