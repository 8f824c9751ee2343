// Whole-process CLI figures (issue 18): each step is a NEW `node dist/cli.js` process, timed from
// spawn to exit, so what a user of the CLI waits for is measured (Node's start, the wasm load, the
// database open and replay, any indexing the previous process left, the fold at close) and not
// only the engine's in-process time. Per run, in a fresh data folder:
//   cold sync → unchanged re-sync → one story edited + sync → `search` → `projects`,
// then, in the same run, the ratio baselines (bench/baseline/): a plain-Node walk+read+header-parse
// (the stand-in for "the original's walk+read+parse"; its own in-process time is the ratio's
// denominator) and the same in Python 3. After the sync, the documents the search process had to
// index are counted from the database file by an independent reader (python3's sqlite3): the
// queue left in the image (`fts_pending`) and whether the change log holds records past its header.
// With BENCH_ORIGINAL=<a checkout of SDLC Studio Lens> the original's own walk+read+parse (its own
// parser, bench/baseline/original.py) is timed in the same run too, the issue's own denominator.
//   npx tsx bench/cli.ts <sdlc-dir> [runs]      one corpus, prints the figures as JSON
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CliMeasured, CliRun } from './results';

const CHECKOUT = path.resolve(__dirname, '..');
const CLI = path.join(CHECKOUT, 'dist', 'cli.js');
const NODE_BASELINE = path.join(__dirname, 'baseline', 'walkparse.mjs');
const PY_BASELINE = path.join(__dirname, 'baseline', 'walkparse.py');
const ORIGINAL_BASELINE = path.join(__dirname, 'baseline', 'original.py');
/** One phrase of bench/results.ts SEARCH_QUERIES that hits in every corpus. */
const SEARCH_PHRASE = 'acceptance criteria';

/** Builds dist/ (the bundles a user runs) once per bench run. */
export function buildCli(): void {
  const r = spawnSync(process.execPath, [path.join(CHECKOUT, 'esbuild.js')], { cwd: CHECKOUT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0 || !fs.existsSync(CLI)) throw new Error(`npm run build failed (exit ${r.status ?? r.signal})`);
}

/** GNU time, when the machine has it: the child's CPU time (user + system), less sensitive to a loaded machine than wall time. */
const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** Spawns one process and times it from spawn to exit (and its CPU time, or null). Throws on a non-zero exit. */
function timedProcess(cmd: string, args: string[]): { ms: number; cpuMs: number | null; stdout: string } {
  const cpuFile = GNU_TIME ? path.join(os.tmpdir(), `lens-bench-cpu-${process.pid}`) : null;
  const [bin, argv] = GNU_TIME && cpuFile ? [GNU_TIME, ['-f', '%U %S', '-o', cpuFile, cmd, ...args]] : [cmd, args];
  const t = performance.now();
  const r = spawnSync(bin, argv, { cwd: CHECKOUT, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.slice(0, 2).join(' ')} … exited ${r.status ?? r.signal}: ${r.stderr}`);
  let cpuMs: number | null = null;
  if (cpuFile) {
    const [user, sys] = fs.readFileSync(cpuFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    cpuMs = (user + sys) * 1000;
    fs.rmSync(cpuFile, { force: true });
  }
  return { ms, cpuMs, stdout: r.stdout };
}

const cli = (args: string[], dataDir: string) => timedProcess(process.execPath, [CLI, ...args, '--data-dir', dataDir]);

/** python3 (the Python baseline and the independent reader); without it those figures are skipped. */
const HAS_PYTHON = spawnSync('python3', ['-c', 'import sqlite3'], { encoding: 'utf8' }).status === 0;

/**
 * BENCH_ORIGINAL: a checkout of the original (SDLC Studio Lens, a Python project) whose own parser
 * bench/baseline/original.py runs; undefined when unset. Throws when set to something else.
 */
export function originalCheckout(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env.BENCH_ORIGINAL;
  if (raw === undefined || raw === '') return undefined;
  const dir = path.resolve(raw);
  if (!fs.existsSync(path.join(dir, 'backend', 'src', 'sdlc_lens', 'services', 'parser.py'))) {
    throw new Error(`BENCH_ORIGINAL=${raw}: not a checkout of SDLC Studio Lens (no backend/src/sdlc_lens/services/parser.py)`);
  }
  if (!HAS_PYTHON) throw new Error('BENCH_ORIGINAL needs python3 (the original is a Python project)');
  return dir;
}

/** What a new process would have to index: the image's queue (read by python3's sqlite3) and any log records. */
export function leftToIndex(dataDir: string): { pending: number; indexed: number; logRecords: boolean } {
  const db = path.join(dataDir, 'sdlc-lens.db');
  if (!HAS_PYTHON) return { pending: NaN, indexed: NaN, logRecords: false };
  const py = `import json,sqlite3,sys
c=sqlite3.connect('file:'+sys.argv[1]+'?mode=ro',uri=True)
print(json.dumps({'pending':c.execute('select count(*) from fts_pending').fetchone()[0],'indexed':c.execute('select count(*) from documents_fts_docsize').fetchone()[0]}))`;
  const r = spawnSync('python3', ['-c', py, db], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`reading ${db} with python3's sqlite3 failed: ${r.stderr}`);
  const log = fs.readdirSync(dataDir).find((f) => f.startsWith('sdlc-lens.db.log'));
  const HEADER_BYTES = 12; // src/core/store/changeLog.ts
  return { ...(JSON.parse(r.stdout) as { pending: number; indexed: number }), logRecords: !!log && fs.statSync(path.join(dataDir, log)).size > HEADER_BYTES };
}

function markdownFiles(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.md') && !f.split(path.sep).some((p) => p.startsWith('.'))).sort();
}

export function measureCli(sdlc: string, runs: number): CliMeasured {
  const original = originalCheckout();
  const story = markdownFiles(sdlc).find((f) => f.startsWith('stories' + path.sep));
  if (!story) throw new Error(`${sdlc} has no stories/ to edit`);
  const out: CliMeasured = { documents: 0, runs: [] };
  for (let run = 0; run < runs; run++) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-bench-cli-'));
    try {
      const cold = cli(['sync', sdlc, '--json'], dataDir);
      const synced = JSON.parse(cold.stdout) as { sync_status: string; document_count: number; sync_error: string | null };
      if (synced.sync_status !== 'synced') throw new Error(`CLI cold sync ended ${synced.sync_status}: ${synced.sync_error}`);
      out.documents = synced.document_count;
      const afterSync = leftToIndex(dataDir);
      const unchanged = cli(['sync', sdlc, '--json'], dataDir);
      fs.appendFileSync(path.join(sdlc, story), `\nCLI bench edit ${run}: the parser keeps the header.\n`);
      const edited = cli(['sync', sdlc, '--json'], dataDir);
      const afterEdit = leftToIndex(dataDir);
      const search = cli(['search', SEARCH_PHRASE, '--json'], dataDir);
      const hits = (JSON.parse(search.stdout) as { total: number }).total;
      const projects = cli(['projects', '--json'], dataDir);
      const base = timedProcess(process.execPath, [NODE_BASELINE, sdlc]);
      const py = HAS_PYTHON ? timedProcess('python3', [PY_BASELINE, sdlc]) : null;
      const orig = original ? (JSON.parse(timedProcess('python3', [ORIGINAL_BASELINE, original, sdlc]).stdout) as { documents: number; ms: number }) : null;
      const r: CliRun = {
        cpu: { cold: cold.cpuMs, unchanged: unchanged.cpuMs, edited: edited.cpuMs, search: search.cpuMs, projects: projects.cpuMs, baselineProcess: base.cpuMs },
        cold: cold.ms,
        unchanged: unchanged.ms,
        edited: edited.ms,
        search: search.ms,
        searchHits: hits,
        projects: projects.ms,
        baselineMs: (JSON.parse(base.stdout) as { ms: number }).ms,
        baselineProcessMs: base.ms,
        pythonBaselineMs: py ? (JSON.parse(py.stdout) as { ms: number }).ms : NaN,
        ...(orig ? { originalMs: orig.ms, originalDocuments: orig.documents } : {}),
        leftAfterSync: afterSync.pending,
        logRecordsAfterSync: afterSync.logRecords,
        leftAfterEdit: afterEdit.pending,
      };
      out.runs.push(r);
      process.stderr.write(
        `  CLI run ${run + 1}/${runs}: cold ${r.cold.toFixed(0)} ms, unchanged ${r.unchanged.toFixed(0)} ms, edited ${r.edited.toFixed(0)} ms, search ${r.search.toFixed(0)} ms, projects ${r.projects.toFixed(0)} ms; ` +
          `baseline ${r.baselineMs.toFixed(0)} ms (process ${r.baselineProcessMs.toFixed(0)} ms, python ${py ? r.pythonBaselineMs.toFixed(0) : 'n/a'} ms${orig ? `, the original's own ${orig.ms.toFixed(0)} ms for ${orig.documents} documents` : ''}); left to index after sync ${afterSync.pending}${afterSync.logRecords ? ' + log records' : ''}\n`,
      );
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return out;
}

if (require.main === module) {
  const [sdlc, runs] = process.argv.slice(2);
  if (!sdlc) {
    console.error('usage: npx tsx bench/cli.ts <sdlc-dir> [runs]');
    process.exit(2);
  }
  buildCli();
  console.log(JSON.stringify(measureCli(path.resolve(sdlc), Number(runs) || 3), null, 1));
}
