// Turns measured corpora (+ bench/results/host.json) into the markdown BENCHMARKS.md shows and
// `npm run bench` prints: a targets table with PASS/MISS, then every figure for every corpus.
import * as os from 'node:os';
import { AGENT_TARGETS, API_WAIT_TARGETS, CLI_TARGETS, KEYSTROKE_TARGETS, type AgentResult, type ApiWaitResult, type KeystrokeResult, HOST_TARGETS, TARGETS, type CliCorpusResult, type CliRun, type CorpusResult, type HostFile, type Run, type Sample, type TargetSize } from './results';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Median over the sample runs (run 0, the fresh-process run, excluded when there are others). */
function med(c: CorpusResult, pick: (r: Run) => number | null | undefined): number | null {
  const runs = c.runs.length > 1 ? c.runs.slice(1) : c.runs;
  const xs = runs.map(pick).filter((x): x is number => typeof x === 'number');
  return xs.length ? median(xs) : null;
}

export const fmtMs = (x: number | null): string =>
  x === null ? 'n/a (not built)' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : x >= 10 ? `${x.toFixed(0)} ms` : `${x.toFixed(2)} ms`;
const fmtBytes = (x: number | null): string =>
  x === null ? 'n/a' : x >= 2 ** 20 ? `${(x / 2 ** 20).toFixed(1)} MiB` : x >= 1024 ? `${(x / 1024).toFixed(1)} KiB` : `${x} B`;
const docsLabel = (n: number): string => n.toLocaleString('en-US');

const targetOf = (figure: string, c: CorpusResult): { limit: number; source: string } | undefined =>
  c.size === null ? undefined : TARGETS[figure]?.[c.size as TargetSize];

interface Figure {
  key: string;
  label: string;
  value: (c: CorpusResult) => number | null;
  unit: 'ms' | 'MB' | 'bytes' | 'text';
  text?: (c: CorpusResult) => string;
}

const sample = (k: keyof Run, f: keyof Sample) => (c: CorpusResult) => med(c, (r) => (r[k] as Sample)[f] as number);

const FIGURES: Figure[] = [
  { key: 'cold', label: 'cold sync, in-process (warm process, empty database)', value: sample('cold', 'ms'), unit: 'ms' },
  { key: 'coldFirst', label: 'cold sync, first in a fresh process (run 0, not in the median)', value: (c) => c.runs[0]?.cold.ms ?? null, unit: 'ms' },
  { key: 'coldIndex', label: 'search index caught up after the cold sync', value: sample('cold', 'indexMs'), unit: 'ms' },
  { key: 'coldCpu', label: 'cold sync: CPU time of the process (user + system)', value: sample('cold', 'cpuMs'), unit: 'ms' },
  { key: 'unchanged', label: 'unchanged re-sync', value: sample('unchanged', 'ms'), unit: 'ms' },
  { key: 'oneEdited', label: 'one file edited (full sync: every file stat\'ed)', value: sample('oneEdited', 'ms'), unit: 'ms' },
  { key: 'oneEditedWatch', label: 'one file edited, watch mode (path-hinted sync)', value: (c) => med(c, (r) => r.oneEditedWatch?.ms), unit: 'ms' },
  { key: 'unchangedCpu', label: 'unchanged re-sync: CPU time', value: sample('unchanged', 'cpuMs'), unit: 'ms' },
  { key: 'oneEditedCpu', label: 'one file edited: CPU time', value: sample('oneEdited', 'cpuMs'), unit: 'ms' },
  { key: 'oneEditedWatchCpu', label: 'one file edited, watch mode: CPU time', value: (c) => med(c, (r) => r.oneEditedWatch?.cpuMs), unit: 'ms' },
  { key: 'onePercent', label: '1 % of files changed', value: sample('onePercent', 'ms'), unit: 'ms' },
  { key: 'bytesCold', label: 'bytes written: cold sync (incl. index)', value: sample('cold', 'bytes'), unit: 'bytes' },
  { key: 'bytesUnchanged', label: 'bytes written: unchanged re-sync', value: sample('unchanged', 'bytes'), unit: 'bytes' },
  { key: 'bytesOne', label: 'bytes written: one file edited', value: sample('oneEdited', 'bytes'), unit: 'bytes' },
  { key: 'bytesPercent', label: 'bytes written: 1 % changed', value: sample('onePercent', 'bytes'), unit: 'bytes' },
  { key: 'persistCold', label: 'persist time: cold sync (exports + writes + fsync)', value: sample('cold', 'persistMs'), unit: 'ms' },
  { key: 'persistUnchanged', label: 'persist time: unchanged re-sync', value: sample('unchanged', 'persistMs'), unit: 'ms' },
  { key: 'persistOne', label: 'persist time: one file edited', value: sample('oneEdited', 'persistMs'), unit: 'ms' },
  { key: 'persistPercent', label: 'persist time: 1 % changed', value: sample('onePercent', 'persistMs'), unit: 'ms' },
  { key: 'exports', label: 'whole-image exports per sync: cold / unchanged / 1 edited / 1 %', value: () => null, unit: 'text',
    text: (c) => (['cold', 'unchanged', 'oneEdited', 'onePercent'] as const).map((k) => String(med(c, (r) => r[k].exports) ?? 'n/a')).join(' / ') },
  { key: 'listP50', label: 'document list page (50), p50', value: (c) => med(c, (r) => r.listP50), unit: 'ms' },
  { key: 'listP95', label: 'document list page (50), p95', value: (c) => med(c, (r) => r.listP95), unit: 'ms' },
  { key: 'group', label: 'all stories of the project (`documentsOfType`, a tree group)', value: (c) => med(c, (r) => r.groupMs), unit: 'ms' },
  { key: 'searchP50', label: 'search, p50', value: (c) => med(c, (r) => r.search?.p50), unit: 'ms' },
  { key: 'searchP95', label: 'search, p95', value: (c) => med(c, (r) => r.search?.p95), unit: 'ms' },
  { key: 'stats', label: 'project statistics', value: (c) => med(c, (r) => r.stats), unit: 'ms' },
  { key: 'health', label: 'full health check', value: (c) => med(c, (r) => r.health), unit: 'ms' },
  { key: 'setStatus', label: 'set status → stored (value-only write + path-hinted sync)', value: (c) => med(c, (r) => r.setStatus), unit: 'ms' },
  { key: 'rss', label: 'peak RSS of the measuring process', value: (c) => c.maxRssMb ?? null, unit: 'MB' },
  {
    key: 'rssLimited',
    label: "peak RSS of the measuring process with the engine thread's heap limit (as the extension runs the engine)",
    value: (c) => c.maxRssLimitedMb ?? null,
    unit: 'MB',
  },
  { key: 'dataBytes', label: 'data folder after the run', value: (c) => med(c, (r) => r.dataBytes), unit: 'bytes' },
];

function cell(f: Figure, c: CorpusResult): string {
  if (f.text) return f.text(c);
  const v = f.value(c);
  const s = f.unit === 'bytes' ? fmtBytes(v) : f.unit === 'MB' ? (v === null ? 'n/a' : `${v.toFixed(0)} MB`) : fmtMs(v);
  const t = targetOf(f.key, c);
  if (!t || v === null) return s;
  return `${s} ${v <= t.limit ? '✅' : '❌'}`;
}

const fmtLimit = (key: string, limit: number): string => (FIGURES.find((f) => f.key === key)?.unit === 'MB' ? `≤ ${limit} MB` : `≤ ${fmtMs(limit)}`);

function hostValue(v: number | Record<string, number> | undefined, unit?: 'MB'): string {
  if (v === undefined) return 'not measured yet';
  const f = (x: number) => (unit === 'MB' ? `${x.toFixed(0)} MB` : fmtMs(x));
  if (typeof v === 'number') return f(v);
  return Object.entries(v).map(([k, x]) => `${docsLabel(Number(k))}: ${f(x)}`).join(', ');
}

function hostPass(v: number | Record<string, number> | undefined, limit: number | null): string {
  if (v === undefined || limit === null) return '—';
  const xs = typeof v === 'number' ? [v] : Object.values(v);
  return xs.every((x) => x <= limit) ? 'PASS' : 'MISS';
}

// ── whole-process CLI (bench/cli.ts) ──────────────────────────────────────────

const cliMed = (c: CliCorpusResult, pick: (r: CliRun) => number): number | null => (c.runs.length ? median(c.runs.map(pick)) : null);

const CLI_STEPS: { key: keyof typeof CLI_TARGETS | 'projects'; label: string }[] = [
  { key: 'cold', label: 'CLI cold sync, new process' },
  { key: 'unchanged', label: 'CLI unchanged re-sync, new process' },
  { key: 'edited', label: 'CLI one edited file, new process' },
  { key: 'search', label: 'CLI `search`, new process' },
  { key: 'projects', label: 'CLI `projects`, new process' },
];

/** The step's time over its denominator in the same run (baseline's walk+read+parse, or `projects`), median over runs. */
function cliRatio(c: CliCorpusResult, key: keyof typeof CLI_TARGETS): number | null {
  const per = CLI_TARGETS[key].per;
  return cliMed(c, (r) => r[key] / (per === 'projects' ? r.projects : r.baselineMs));
}

const fmtRatio = (x: number | null): string => (x === null ? 'n/a' : `${x.toFixed(2)}×`);

/** Whether every run of a corpus timed the original's own walk+read+parse (BENCH_ORIGINAL). */
const hasOriginal = (c: CliCorpusResult): boolean => c.runs.length > 0 && c.runs.every((r) => typeof r.originalMs === 'number');

/** The step's time over the original's own walk+read+parse in the same run, median over runs (null: not measured). */
const originalRatio = (c: CliCorpusResult, key: keyof typeof CLI_TARGETS): number | null => (hasOriginal(c) ? cliMed(c, (r) => r[key] / r.originalMs!) : null);

function cliTargetRows(cli: CliCorpusResult[], notes: Record<string, string>): string[] {
  const rows: string[] = [];
  for (const step of CLI_STEPS) {
    if (step.key === 'projects') continue;
    const t = CLI_TARGETS[step.key];
    for (const c of cli) {
      const limit = c.size === null ? undefined : t.limits[c.size];
      if (limit === undefined) continue;
      const ratio = cliRatio(c, step.key);
      const per = t.per === 'projects' ? '`projects`' : "the baseline's walk+read+parse";
      const denom = t.per === 'projects' ? cliMed(c, (r) => r.projects) : cliMed(c, (r) => r.baselineMs);
      const value = fmtMs(cliMed(c, (r) => r[step.key as keyof typeof CLI_TARGETS]));
      rows.push(
        `| ${step.label} (÷ ${per}) | ${c.label} | ${value} = ${fmtRatio(ratio)} (÷ ${fmtMs(denom)}) | ≤ ${limit.toFixed(2)}× | ${ratio === null ? 'n/a' : ratio <= limit ? 'PASS' : 'MISS'} | ${notes[`cli.${step.key}@${c.label}`] ?? ''} |`,
      );
      const orig = t.per === 'baseline' ? originalRatio(c, step.key) : null;
      if (orig !== null) {
        rows.push(
          `| ${step.label} (÷ the original's own walk+read+parse, BENCH_ORIGINAL) | ${c.label} | ${value} = ${fmtRatio(orig)} (÷ ${fmtMs(cliMed(c, (r) => r.originalMs!))}) | ≤ ${limit.toFixed(2)}× | ${orig <= limit ? 'PASS' : 'MISS'} | ${notes[`cli.${step.key}.original@${c.label}`] ?? ''} |`,
        );
      }
    }
  }
  return rows;
}

function cliTable(cli: CliCorpusResult[]): string[] {
  const lines = [
    '',
    '### CLI in new processes',
    '',
    `Each figure is one \`node dist/cli.js\` process, spawn to exit, median of ${Math.max(0, ...cli.map((c) => c.runs.length))} runs (a fresh data folder per run); ratios are taken within each run, then the median. ` +
      'Baseline: `bench/baseline/walkparse.mjs`, a stand-in for the original\'s walk+read+parse (the original is not in this checkout): plain Node, walk + read + title and blockquote header fields, no database; its own in-process time is the denominator. ' +
      'With `BENCH_ORIGINAL=<a checkout of SDLC Studio Lens>` the original\'s own walk+read+parse is timed in the same run too (bench/baseline/original.py: its parser, type inference and hashes loaded from that checkout, each file read, hashed, decoded and parsed as its sync does before any database work), and the ratio targets are judged against it as well: the issue\'s own denominator. ' +
      '"left to index" is read from the database file by python3\'s sqlite3 after the cold sync: what the next process would index.',
    '',
    `| figure | ${cli.map((c) => c.label).join(' | ')} |`,
    `|---|${cli.map(() => '---:').join('|')}|`,
    `| documents | ${cli.map((c) => docsLabel(c.documents)).join(' | ')} |`,
  ];
  const cpuMed = (c: CliCorpusResult, k: keyof NonNullable<CliRun['cpu']>): string => {
    const xs = c.runs.map((r) => r.cpu?.[k]).filter((x): x is number => typeof x === 'number');
    return xs.length ? fmtMs(median(xs)) : 'n/a';
  };
  for (const step of CLI_STEPS) {
    lines.push(`| ${step.label} | ${cli.map((c) => fmtMs(cliMed(c, (r) => r[step.key]))).join(' | ')} |`);
    lines.push(`| … its CPU time (user + system) | ${cli.map((c) => cpuMed(c, step.key)).join(' | ')} |`);
    if (step.key !== 'projects') lines.push(`| … ÷ ${CLI_TARGETS[step.key].per === 'projects' ? '`projects`' : 'baseline'} | ${cli.map((c) => fmtRatio(cliRatio(c, step.key as keyof typeof CLI_TARGETS))).join(' | ')} |`);
    if (step.key !== 'projects' && CLI_TARGETS[step.key].per === 'baseline' && cli.some(hasOriginal)) {
      lines.push(`| … ÷ the original's own walk+read+parse | ${cli.map((c) => fmtRatio(originalRatio(c, step.key as keyof typeof CLI_TARGETS))).join(' | ')} |`);
    }
  }
  lines.push(
    `| baseline walk+read+parse (Node, in-process) | ${cli.map((c) => fmtMs(cliMed(c, (r) => r.baselineMs))).join(' | ')} |`,
    `| baseline, whole process (Node) | ${cli.map((c) => fmtMs(cliMed(c, (r) => r.baselineProcessMs))).join(' | ')} |`,
    `| baseline, whole process: CPU time | ${cli.map((c) => cpuMed(c, 'baselineProcess')).join(' | ')} |`,
    `| baseline walk+read+parse (Python 3, in-process) | ${cli.map((c) => fmtMs(cliMed(c, (r) => r.pythonBaselineMs))).join(' | ')} |`,
    ...(cli.some(hasOriginal)
      ? [
          `| the original's own walk+read+parse (its parser, BENCH_ORIGINAL, in-process) | ${cli.map((c) => (hasOriginal(c) ? fmtMs(cliMed(c, (r) => r.originalMs!)) : 'n/a')).join(' | ')} |`,
          `| … documents it parsed | ${cli.map((c) => (hasOriginal(c) ? docsLabel(c.runs[0]!.originalDocuments ?? 0) : 'n/a')).join(' | ')} |`,
        ]
      : []),
    `| search hits ("acceptance criteria") | ${cli.map((c) => String(c.runs[0]?.searchHits ?? 'n/a')).join(' | ')} |`,
    `| left to index after the cold sync (max over runs) | ${cli.map((c) => `${Math.max(0, ...c.runs.map((r) => r.leftAfterSync))}${c.runs.some((r) => r.logRecordsAfterSync) ? ' + log records' : ''}`).join(' | ')} |`,
    `| left to index after the edit's sync (max) | ${cli.map((c) => String(Math.max(0, ...c.runs.map((r) => r.leftAfterEdit)))).join(' | ')} |`,
  );
  return lines;
}

/** The target and result cells of a row whose target may be absent for its corpus. */
const judged = (v: number, limit: number | undefined): string => (limit === undefined ? '— | —' : `≤ ${fmtMs(limit)} | ${v <= limit ? 'PASS' : 'MISS'}`);

function apiWaitRows(api: ApiWaitResult[], notes: Record<string, string>): string[] {
  const rows: string[] = [];
  for (const a of api) {
    if (!a.runs.length) continue;
    const limit = a.size === null ? undefined : API_WAIT_TARGETS[a.size];
    for (const [phase, label] of [['cold', 'cold sync'], ['edited', 'one-edit re-sync']] as const) {
      const v = median(a.runs.map((r) => r[phase].maxWaitMs));
      const after = median(a.runs.map((r) => r[phase].maxWaitAfterMs));
      rows.push(
        `| engine thread's longest hold during a ${label} (\`serve\`, API wait) | ${a.label} | ${fmtMs(v)} (after the sync: ${fmtMs(after)}) | ${judged(v, phase === 'cold' ? limit : undefined)} | ${notes[`api.${phase}@${a.label}`] ?? ''} |`,
      );
    }
  }
  return rows;
}

/** Issue 16 (bench/agent.ts): a row per read tool, and one for a new mcp process's first call. */
function agentRows(agent: AgentResult[], notes: Record<string, string>): string[] {
  const rows: string[] = [];
  for (const a of agent) {
    const t = AGENT_TARGETS[a.size];
    for (const x of a.tools) {
      rows.push(
        `| agent tool \`${x.tool}\`, p95 (in-process, incl. refresh + freshness probe) | ${a.label} | ${fmtMs(x.p95)} (p50 ${fmtMs(x.p50)}, max ${fmtMs(x.max)}; ${a.calls} calls) | ${judged(x.p95, t?.p95Ms)} | ${notes[`agent.${x.tool}@${a.label}`] ?? ''} |`,
      );
    }
    const spawns = a.firstCall.flatMap((f) => f.ms);
    if (!spawns.length) continue;
    const v = median(spawns);
    rows.push(
      `| new \`sdlc-lens mcp\` process, first call (spawn → answer, median) | ${a.label} | ${fmtMs(v)} (max ${fmtMs(Math.max(...spawns))}; ${spawns.length} spawns: ${a.firstCall.map((f) => `\`${f.tool}\``).join(', ')}) | ${judged(v, t?.firstCallMs)} | ${notes[`agent.firstCall@${a.label}`] ?? ''} |`,
    );
  }
  return rows;
}

/** Issue 20 (bench/keystroke.ts): the Search Documents pick's keystroke → results. */
function keystrokeRows(keystroke: KeystrokeResult[], notes: Record<string, string>): string[] {
  return keystroke.map(
    (k) =>
      `| keystroke → results in the quick pick (debounce + worker search), p95 | ${k.label} | ${fmtMs(k.keystroke.p95)} (${k.debounceMs} ms debounce + search p95 ${fmtMs(k.search.p95)}; p50 ${fmtMs(k.keystroke.p50)}, max ${fmtMs(k.keystroke.max)}; ${k.keystrokes} keystrokes) | ${judged(k.keystroke.p95, KEYSTROKE_TARGETS[k.size])} | ${notes[`keystroke@${k.label}`] ?? ''} |`,
  );
}

export function renderReport(corpora: CorpusResult[], host: HostFile | null, repeats: number, notes: Record<string, string>, cli: CliCorpusResult[] = [], api: ApiWaitResult[] = [], agent: AgentResult[] = [], keystroke: KeystrokeResult[] = []): string {
  const cpu = os.cpus();
  const lines: string[] = [];
  lines.push(
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
      `${os.type()} ${os.release()}, Node ${process.version}; median of ${repeats} runs (each in a fresh data folder) after one fresh-process run.`,
    '',
    '### Targets',
    '',
    '| figure | corpus | median | target | result | notes |',
    '|---|---|---:|---:|:---:|---|',
  );
  for (const f of FIGURES) {
    for (const c of corpora) {
      const t = targetOf(f.key, c);
      if (!t) continue;
      const v = f.value(c);
      const result = v === null ? 'n/a' : v <= t.limit ? 'PASS' : 'MISS';
      lines.push(`| ${f.label} | ${c.label} | ${f.unit === 'MB' ? (v === null ? 'n/a' : `${v.toFixed(0)} MB`) : fmtMs(v)} | ${fmtLimit(f.key, t.limit)} | ${result} | ${notes[`${f.key}@${c.label}`] ?? ''} |`);
    }
  }
  lines.push(...cliTargetRows(cli, notes));
  lines.push(...apiWaitRows(api, notes));
  lines.push(...agentRows(agent, notes));
  lines.push(...keystrokeRows(keystroke, notes));
  for (const [key, t] of Object.entries(HOST_TARGETS) as [keyof typeof HOST_TARGETS, (typeof HOST_TARGETS)[keyof typeof HOST_TARGETS]][]) {
    const v = host?.[key];
    const limit = t.limit === null ? '—' : t.unit === 'MB' ? `≤ ${t.limit} MB` : `≤ ${fmtMs(t.limit)}`;
    lines.push(`| ${t.label} | extension host | ${hostValue(v, t.unit)} | ${limit} | ${hostPass(v, t.limit)} | ${notes[key] ?? ''} |`);
  }
  if (host?.measured || host?.notes) lines.push('', `Extension-host figures from \`bench/results/host.json\`${host.measured ? `, measured ${host.measured}` : ''}.${host.notes ? ` ${host.notes}` : ''}`);
  lines.push('', '### Every figure', '', `| figure | ${corpora.map((c) => c.label).join(' | ')} |`, `|---|${corpora.map(() => '---:').join('|')}|`);
  lines.push(`| documents (markdown) | ${corpora.map((c) => `${docsLabel(c.documents)} (${fmtBytes(c.markdownBytes)})`).join(' | ')} |`);
  lines.push(`| corpus generated in | ${corpora.map((c) => (c.generateMs === null ? 'real' : fmtMs(c.generateMs))).join(' | ')} |`);
  lines.push(`| files changed for "1 %" | ${corpora.map((c) => String(c.runs[0]?.onePercent.files ?? '')).join(' | ')} |`);
  for (const f of FIGURES) lines.push(`| ${f.label} | ${corpora.map((c) => cell(f, c)).join(' | ')} |`);
  if (cli.length) lines.push(...cliTable(cli));
  return lines.join('\n');
}
