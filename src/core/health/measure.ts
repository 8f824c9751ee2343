// Timing of statistics and the health check through the engine, for `npm run bench` (targets at
// 10,000 documents: stats ≤ 10 ms, full health check ≤ 100 ms). Not used at run time.
import type { LensEngine } from '../engine-api';

export interface TimingMs {
  median: number;
  p95: number;
  max: number;
}

export interface HealthTimings {
  documents: number;
  runs: number;
  project_stats: TimingMs;
  all_stats: TimingMs;
  health_check: TimingMs;
  /** Findings of the last health check run (sanity: the work was really done). */
  findings: number;
}

function timing(samples: number[]): TimingMs {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  const round = (x: number): number => Math.round(x * 100) / 100;
  return { median: round(at(0.5)), p95: round(at(0.95)), max: round(s[s.length - 1]!) };
}

function time(fn: () => unknown): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Times `projectStats`, `allStats` and `healthCheck` of a synced project (after `warmup` untimed runs). */
export function measureHealth(engine: LensEngine, slug: string, runs = 20, warmup = 3): HealthTimings {
  let findings = 0;
  for (let i = 0; i < warmup; i++) {
    engine.projectStats(slug);
    engine.allStats();
    findings = engine.healthCheck(slug).findings.length;
  }
  const p: number[] = [];
  const a: number[] = [];
  const h: number[] = [];
  for (let i = 0; i < runs; i++) {
    p.push(time(() => engine.projectStats(slug)));
    a.push(time(() => engine.allStats()));
    h.push(time(() => (findings = engine.healthCheck(slug).findings.length)));
  }
  return {
    documents: engine.projectStats(slug).total_documents,
    runs,
    project_stats: timing(p),
    all_stats: timing(a),
    health_check: timing(h),
    findings,
  };
}
