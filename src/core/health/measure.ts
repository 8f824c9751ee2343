// Timing of statistics and the health check through the engine, for `npm run bench` (targets at
// 10,000 documents: stats ≤ 10 ms, full health check ≤ 100 ms). Not used at run time.
// Wall time and this process's CPU time (process.cpuUsage) are both reported: on a loaded machine the
// wall time includes waiting for a core, the CPU time does not.
import type { LensEngine } from '../engine-api';
import { forgetHealthInputs } from './inputs';

export interface TimingMs {
  /** Wall time. */
  median: number;
  p95: number;
  max: number;
  best: number;
  /** CPU time of this process (user + system) over the same runs. */
  cpu_median: number;
  cpu_best: number;
}

export interface HealthTimings {
  documents: number;
  runs: number;
  project_stats: TimingMs;
  all_stats: TimingMs;
  /** A repeated check of an unchanged project (its rows are memoised per process). */
  health_check: TimingMs;
  /** The first check after a change: the rows read again and the rule context built afresh. */
  health_check_first: TimingMs;
  /** Findings of the last health check run (sanity: the work was really done). */
  findings: number;
}

interface Sample {
  wall: number;
  cpu: number;
}

const round = (x: number): number => Math.round(x * 100) / 100;

function timing(samples: Sample[]): TimingMs {
  const w = samples.map((s) => s.wall).sort((a, b) => a - b);
  const c = samples.map((s) => s.cpu).sort((a, b) => a - b);
  const at = (s: number[], q: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
  return {
    median: round(at(w, 0.5)),
    p95: round(at(w, 0.95)),
    max: round(w[w.length - 1]!),
    best: round(w[0]!),
    cpu_median: round(at(c, 0.5)),
    cpu_best: round(c[0]!),
  };
}

function time(fn: () => unknown): Sample {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

/** Times `projectStats`, `allStats` and `healthCheck` of a synced project (after `warmup` untimed runs). */
export function measureHealth(engine: LensEngine, slug: string, runs = 20, warmup = 3): HealthTimings {
  let findings = 0;
  const check = (): void => {
    findings = engine.healthCheck(slug).findings.length;
  };
  for (let i = 0; i < warmup; i++) {
    engine.projectStats(slug);
    engine.allStats();
    check();
  }
  const p: Sample[] = [];
  const a: Sample[] = [];
  const h: Sample[] = [];
  const first: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    p.push(time(() => engine.projectStats(slug)));
    a.push(time(() => engine.allStats()));
    h.push(time(check));
  }
  for (let i = 0; i < runs; i++) {
    forgetHealthInputs();
    first.push(time(check));
  }
  return {
    documents: engine.projectStats(slug).total_documents,
    runs,
    project_stats: timing(p),
    all_stats: timing(a),
    health_check: timing(h),
    health_check_first: timing(first),
    findings,
  };
}
