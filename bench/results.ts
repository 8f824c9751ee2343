// Shapes shared by the measuring child (measure.ts), the driver (run.ts) and the report (report.ts),
// the targets of issues 8 and 9 (one definition), and the extension-host figures file format.

export interface Sample {
  /** startSync → outcome */
  ms: number;
  /** CPU time of the process (user + system, all threads) from start to outcome: less sensitive to a busy machine */
  cpuMs: number;
  /** outcome → search index caught up (whenIndexed) */
  indexMs: number;
  /** data folder bytes written from the start of the sync until the index caught up (file diff) */
  bytes: number;
  /** the same, counted at the fs calls of this thread (0 when the store writes elsewhere) */
  ioBytes: number;
  /** time inside sql.js exports and fs writes/fsyncs/renames into the data folder */
  persistMs: number;
  exports: number;
}

export interface Run {
  cold: Sample;
  unchanged: Sample;
  oneEdited: Sample;
  /** the same edit synced as the watch mode does: a path-hinted sync of the one file (absent in older runs) */
  oneEditedWatch?: Sample;
  onePercent: Sample & { files: number };
  listP50: number;
  listP95: number;
  /** documentsOfType(slug, 'story'): what a tree group expansion asks */
  groupMs: number | null;
  search: { p50: number; p95: number } | null;
  stats: number | null;
  health: number | null;
  /** engine.setStatus on one story, call → file written and row stored (value-only writer); median of 5 */
  setStatus?: number | null;
  /** data folder size after the run */
  dataBytes: number;
}

export interface Measured {
  documents: number;
  markdownBytes: number;
  repeats: number;
  /** runs[0] = first sync of a fresh process; the rest are the samples */
  runs: Run[];
  maxRssMb?: number;
  /** the peak RSS of a second measuring process with the engine thread's heap limit (bench/run.ts LIMITED_FLAGS; sizes with an rssLimited target) */
  maxRssLimitedMb?: number;
}

export interface CorpusResult extends Measured {
  /** '1k', '2,352', '10k', '50k', 'lens (real)' */
  label: string;
  /** documents asked of the generator (null for a real corpus) */
  size: number | null;
  generateMs: number | null;
}

/** One run of the whole-process CLI figures (bench/cli.ts): wall-clock ms from spawn to exit. */
export interface CliRun {
  /** CPU time (user + system) of each process, from GNU time; null where the machine has none */
  cpu?: { cold: number | null; unchanged: number | null; edited: number | null; search: number | null; projects: number | null; baselineProcess: number | null };
  cold: number;
  unchanged: number;
  /** one story edited, then a (full) `sync` */
  edited: number;
  search: number;
  searchHits: number;
  projects: number;
  /** the stand-in for the original's walk+read+parse (bench/baseline/walkparse.mjs): its in-process time */
  baselineMs: number;
  /** the same, spawn to exit */
  baselineProcessMs: number;
  /** bench/baseline/walkparse.py, in-process */
  pythonBaselineMs: number;
  /** With BENCH_ORIGINAL: the original's own walk+read+parse (bench/baseline/original.py), in-process, and the documents it parsed */
  originalMs?: number;
  originalDocuments?: number;
  /** documents queued for indexing in the image on disk after the cold sync (read by python3's sqlite3) */
  leftAfterSync: number;
  /** the change log held records after the cold sync (a new process replays them) */
  logRecordsAfterSync: boolean;
  leftAfterEdit: number;
}

export interface CliMeasured {
  documents: number;
  runs: CliRun[];
}

export interface CliCorpusResult extends CliMeasured {
  label: string;
  /** documents asked of the generator (null for a real corpus) */
  size: number | null;
}

/**
 * Issue 18's whole-process CLI targets: a ratio to the stand-in baseline's in-process walk+read+parse
 * (or, for search, to `sdlc-lens projects` on the same data), per corpus size.
 */
export const CLI_TARGETS: Record<'cold' | 'unchanged' | 'edited' | 'search', { per: 'baseline' | 'projects'; limits: Partial<Record<number, number>> }> = {
  cold: { per: 'baseline', limits: { 2352: 1.0 } },
  unchanged: { per: 'baseline', limits: { 2352: 0.15, 9408: 0.5 } },
  edited: { per: 'baseline', limits: { 2352: 0.2 } },
  search: { per: 'projects', limits: { 11700: 1.5 } },
};

/** The serve thread's longest hold as an API client feels it (bench/apiWait.ts), per corpus. */
export interface ApiWaitResult {
  label: string;
  size: number | null;
  runs: { cold: ApiWaitPhaseResult; edited: ApiWaitPhaseResult }[];
}
export interface ApiWaitPhaseResult {
  maxWaitMs: number;
  maxWaitAfterMs: number;
  p50Ms: number;
  requests: number;
  syncMs: number;
}
/** Issue 18: the engine thread's longest hold during a cold sync (API wait), at every size measured. */
export const API_WAIT_TARGETS: Partial<Record<number, number>> = { 2352: 100, 10000: 100, 50000: 100 };

/** p50 / p95 / max of a set of times, ms. */
export interface Spread {
  p50: number;
  p95: number;
  max: number;
}

/** Issue 16's agent tools (bench/agent.ts): each read tool in-process, and new `sdlc-lens mcp` processes. */
export interface AgentMeasured {
  documents: number;
  /** calls per tool */
  calls: number;
  /** engine.agentTool() per read tool (refresh + freshness probe + the tool), ms */
  tools: (Spread & { tool: string })[];
  /** spawn → the answer of a new process's first tools/call, ms, per tool called */
  firstCall: { tool: string; ms: number[] }[];
}
export interface AgentResult extends AgentMeasured {
  label: string;
  size: number;
}
/** Issue 16: each read tool ≤ 50 ms p95, a new mcp process's first call ≤ 1 s, at 10k documents. */
export const AGENT_TARGETS: Partial<Record<number, { p95Ms: number; firstCallMs: number }>> = { 10000: { p95Ms: 50, firstCallMs: 1000 } };

/** Issue 20's keystroke → results (bench/keystroke.ts): the quick pick's debounce + the worker's search answer. */
export interface KeystrokeMeasured {
  documents: number;
  /** SEARCH_DEBOUNCE_MS of src/extension/search/query.ts at measuring time */
  debounceMs: number;
  /** the strings typed, character by character */
  typed: string[];
  rounds: number;
  /** the first search of the new worker (not a keystroke: the pick's engine has been running) */
  warmupMs: number;
  /** debounce + search round trip per keystroke, ms */
  keystroke: Spread;
  /** the search round trip alone */
  search: Spread;
  keystrokes: number;
}
export interface KeystrokeResult extends KeystrokeMeasured {
  label: string;
  size: number;
}
/** Issue 20: keystroke → results ≤ 100 ms (p95) at 10k documents. */
export const KEYSTROKE_TARGETS: Partial<Record<number, number>> = { 10000: 100 };

/** Phrases searched in turn (api.md §6: each is one literal phrase): common, rare, diacritics, none. */
export const SEARCH_QUERIES = ['sync', 'sync status', 'the parser', 'stale document', 'café', 'token_store', 'remediation review', 'acceptance criteria', 'nonexistentword', 'US0001'];

/** Corpus sizes a target is stated for. */
export type TargetSize = 2352 | 10000 | 50000;

export interface Target {
  /** ms, or MB for rss */
  limit: number;
  source: string;
}

/** Issue 8 (engine) and issue 9 (search/stats/health) targets, on this 2-core machine. */
export const TARGETS: Record<string, Partial<Record<TargetSize, Target>>> = {
  cold: { 2352: { limit: 280, source: 'issue 8' }, 10000: { limit: 1200, source: 'issue 8' }, 50000: { limit: 6000, source: 'issue 8' } },
  unchanged: { 2352: { limit: 40, source: 'issue 8' }, 10000: { limit: 150, source: 'issue 8' }, 50000: { limit: 600, source: 'issue 8' } },
  oneEdited: { 2352: { limit: 55, source: 'issue 8' }, 10000: { limit: 60, source: 'issue 8' }, 50000: { limit: 80, source: 'issue 8' } },
  oneEditedWatch: { 2352: { limit: 55, source: 'issue 8' }, 10000: { limit: 60, source: 'issue 8' }, 50000: { limit: 80, source: 'issue 8' } },
  rss: { 50000: { limit: 400, source: 'issue 8' } },
  rssLimited: { 50000: { limit: 400, source: 'issue 8' } },
  searchP95: { 10000: { limit: 10, source: 'issue 9' } },
  stats: { 10000: { limit: 10, source: 'issue 9' } },
  health: { 10000: { limit: 100, source: 'issue 9' } },
  // writing.md §2: after a write the tree, board and diagnostics follow within a second
  setStatus: { 2352: { limit: 1000, source: 'issue 15' }, 10000: { limit: 1000, source: 'issue 15' }, 50000: { limit: 1000, source: 'issue 15' } },
  longestHold: { 2352: { limit: 50, source: 'issue 8' }, 10000: { limit: 50, source: 'issue 8' }, 50000: { limit: 50, source: 'issue 8' } },
};

/** Extension-host targets (no corpus size): issue 8 "Also", and issue 18's second-extension probe and host RSS. */
export const HOST_TARGETS: Record<keyof HostFigures, { label: string; limit: number | null; unit?: 'MB' }> = {
  activation_ms: { label: "activation (extension's own time)", limit: 50 },
  first_tree_paint_ms: { label: 'first tree paint after the view opens', limit: 300 },
  saved_file_to_tree_ms: { label: 'one saved file → tree updated (after the debounce)', limit: 250 },
  longest_hold_sync_ms: { label: 'longest extension-host hold during a sync', limit: 50 },
  longest_hold_open_group_ms: { label: 'longest extension-host hold opening a 676-item group', limit: 50 },
  probe_hold_sync_ms: { label: 'second extension in the same host: longest timer gap during a sync (cold or re-sync)', limit: 50 },
  probe_hold_open_group_ms: { label: 'second extension in the same host: longest timer gap opening the Stories group', limit: 50 },
  keystroke_to_results_p95_ms: { label: 'keystroke → results in Search Documents, p95 (each key the moment the previous answer is applied)', limit: 100 },
  keystroke_paced_p95_ms: { label: 'keystroke → results in Search Documents, p95 (a key every 120 ms, a fast typist)', limit: 100 },
  host_rss_idle_mb: { label: 'extension-host RSS before any project (second extension)', limit: null, unit: 'MB' },
  host_rss_mb: { label: 'extension-host RSS with the corpus synced and its group opened (peak, second extension)', limit: 400, unit: 'MB' },
  host_rss_first_sync_mb: { label: "extension-host RSS during the project's first cold sync (peak, second extension; the row above: after 5 cold syncs, 5 re-syncs and 5 group openings)", limit: null, unit: 'MB' },
};

/**
 * `bench/results/host.json`, written by the extension-host benchmark (another engineer's harness).
 * Each figure is a number of milliseconds, or an object keyed by corpus size ("2352", "10000",
 * "50000") for figures measured per size. Missing figures show as "not measured yet".
 */
export interface HostFigures {
  activation_ms?: number;
  first_tree_paint_ms?: number | Record<string, number>;
  saved_file_to_tree_ms?: number | Record<string, number>;
  longest_hold_sync_ms?: number | Record<string, number>;
  longest_hold_open_group_ms?: number | Record<string, number>;
  /** bench/probe-extension's 5 ms timer: median over runs of the longest gap (issue 18) */
  probe_hold_sync_ms?: number | Record<string, number>;
  probe_hold_open_group_ms?: number | Record<string, number>;
  /** Search Documents: pick.value set → the answer applied to the pick (issue 20), back to back and paced */
  keystroke_to_results_p95_ms?: number | Record<string, number>;
  keystroke_paced_p95_ms?: number | Record<string, number>;
  /** process.memoryUsage().rss of the extension host, MB */
  host_rss_idle_mb?: number;
  host_rss_mb?: number | Record<string, number>;
  /** the same during the first of the runs' cold syncs (the runs after it clear the project and sync it again) */
  host_rss_first_sync_mb?: number | Record<string, number>;
}

export interface HostFile extends HostFigures {
  /** when and where it was measured, e.g. "2026-11-26, code-server 4.100.3 (VS Code 1.100.3)" */
  measured?: string;
  notes?: string;
}
