// Search latency for the benchmarks (issue 9 target: p95 ≤ 10 ms at 10,000 documents). In the
// engine, no HTTP: each query runs `rounds` times after one warm-up run.
import type { LensEngine } from '../engine-api';

/** A query mix: common and rare words, two- and three-word phrases, a miss, an `_` token. */
export const BENCH_QUERIES = ['sync', 'project', 'status', 'api key', 'sync status', 'the document', 'health check score', 'sync_status', 'nosuchwordanywhere', 'done'];

export interface SearchLatency {
  queries: number;
  samples: number;
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
}

export function measureSearch(engine: Pick<LensEngine, 'search'>, queries: string[] = BENCH_QUERIES, rounds = 20): SearchLatency {
  const times: number[] = [];
  for (const q of queries) {
    engine.search({ q }); // warm-up (and any index catch-up) is not measured
    for (let i = 0; i < rounds; i++) {
      const t = performance.now();
      engine.search({ q });
      times.push(performance.now() - t);
    }
  }
  times.sort((a, b) => a - b);
  const at = (p: number): number => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))] * 100) / 100;
  return { queries: queries.length, samples: times.length, p50_ms: at(0.5), p95_ms: at(0.95), max_ms: at(1) };
}
