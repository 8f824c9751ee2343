// Reproducible engine benchmarks: `npm run bench`. Writes BENCHMARKS.md.
// Corpus: the real lens corpus (193 documents) copied N times into one sdlc-studio folder, so
// sizes and irregularities are those of real documents. Each scenario runs in a fresh data folder.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../src/core/engine';

const CORPUS = path.resolve(__dirname, '../../shared/corpus/lens');
const SIZES = (process.env.BENCH_SIZES ?? '1,10,25').split(',').map(Number);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

function makeCorpus(copies: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-bench-'));
  const dest = path.join(root, 'sdlc-studio');
  fs.mkdirSync(dest);
  fs.copyFileSync(path.join(CORPUS, '.config.yaml'), path.join(dest, '.config.yaml'));
  for (let i = 0; i < copies; i++) {
    // copy i goes to <type-folder>/copy-i/… so types stay inferred from folders and prefixes
    for (const entry of fs.readdirSync(CORPUS, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const src = path.join(CORPUS, entry.name);
      if (entry.isDirectory()) fs.cpSync(src, path.join(dest, entry.name, `copy-${i}`), { recursive: true });
      else fs.copyFileSync(src, path.join(dest, `${path.parse(entry.name).name}-${i}.md`));
    }
  }
  fs.chmodSync(dest, 0o755);
  return dest;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (n: number): string => `${n.toFixed(0)} ms`;

async function timeIt(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

interface Row {
  docs: number;
  bytes: number;
  first: number;
  indexed: number;
  unchanged: number;
  oneEdited: number;
  list: number;
  fts: number;
  dbBytes: number;
  rssMb: number;
}

async function scenario(copies: number): Promise<Row> {
  const sdlc = makeCorpus(copies);
  const bytes = fs
    .readdirSync(sdlc, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .reduce((n, e) => n + fs.statSync(path.join(e.parentPath, e.name)).size, 0);
  const firsts: number[] = [];
  const indexeds: number[] = [];
  const unchangeds: number[] = [];
  const edits: number[] = [];
  const lists: number[] = [];
  const ftss: number[] = [];
  let docs = 0;
  let dbBytes = 0;
  let rss = 0;
  for (let r = 0; r < REPEATS; r++) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-bench-db-'));
    const engine = await Engine.open({ dataDir });
    const project = await engine.registerProject({ name: 'Bench', sdlc_path: sdlc });
    const sync = async (): Promise<void> => {
      const o = await (await engine.startSync(project.slug)).done;
      if (o.sync_status !== 'synced') throw new Error(`bench sync failed: ${o.sync_error}`);
      docs = o.document_count;
    };
    firsts.push(await timeIt(sync));
    indexeds.push(await timeIt(() => engine.whenIndexed()));
    unchangeds.push(await timeIt(sync));
    const victim = path.join(sdlc, 'prd-0.md');
    fs.appendFileSync(victim, `\nedit ${r}\n`);
    edits.push(await timeIt(sync));
    await engine.whenIndexed();
    lists.push(await timeIt(() => engine.listDocuments(project.slug, { type: 'story', sort: 'title', per_page: 50 })));
    ftss.push(
      await timeIt(() =>
        (engine as unknown as { store: { all(sql: string): unknown[] } }).store.all(
          `SELECT docid FROM documents_fts WHERE documents_fts MATCH '"sync status"' LIMIT 20`,
        ),
      ),
    );
    dbBytes = fs.statSync(engine.dbPath).size;
    rss = Math.max(rss, process.memoryUsage().rss);
    await engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  fs.rmSync(path.dirname(sdlc), { recursive: true, force: true });
  return {
    docs,
    bytes,
    first: median(firsts),
    indexed: median(indexeds),
    unchanged: median(unchangeds),
    oneEdited: median(edits),
    list: median(lists),
    fts: median(ftss),
    dbBytes,
    rssMb: rss / 2 ** 20,
  };
}

async function main(): Promise<void> {
  // Warm-up: sql.js compiles its wasm lazily; the first run in a process measures that, not the engine.
  await scenario(1);
  const rows: Row[] = [];
  for (const n of SIZES) {
    const row = await scenario(n);
    rows.push(row);
    console.log(
      `${row.docs} docs (${(row.bytes / 2 ** 20).toFixed(1)} MiB): first ${ms(row.first)}, then indexed in ${ms(row.indexed)}, unchanged ${ms(row.unchanged)}, ` +
        `1 edited ${ms(row.oneEdited)}, list ${row.list.toFixed(2)} ms, fts ${row.fts.toFixed(2)} ms, ` +
        `db ${(row.dbBytes / 2 ** 20).toFixed(1)} MiB, rss ${row.rssMb.toFixed(0)} MiB`,
    );
  }
  const table = [
    '| documents | markdown | first sync | search index caught up after | re-sync, unchanged | re-sync, 1 edited | list page (50) | FTS phrase query | DB file | peak RSS |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.docs} | ${(r.bytes / 2 ** 20).toFixed(1)} MiB | ${ms(r.first)} | +${ms(r.indexed)} | ${ms(r.unchanged)} | ${ms(r.oneEdited)} | ${r.list.toFixed(2)} ms | ${r.fts.toFixed(2)} ms | ${(r.dbBytes / 2 ** 20).toFixed(1)} MiB | ${r.rssMb.toFixed(0)} MiB |`,
    ),
  ].join('\n');
  const out = path.resolve(__dirname, '../BENCHMARKS.md');
  const doc = fs.readFileSync(out, 'utf8');
  const begin = '<!-- bench:results -->';
  const end = '<!-- /bench:results -->';
  const stamp = `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; median of ${REPEATS} runs.`;
  const next = doc.replace(new RegExp(`${begin}[\\s\\S]*${end}`), `${begin}\n${stamp}\n\n${table}\n${end}`);
  fs.writeFileSync(out, next);
  console.log(`\nwrote ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
