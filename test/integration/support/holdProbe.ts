// Measures how long the extension host's event loop is held: a 5 ms interval records the largest
// gap beyond its period, and perf_hooks' event-loop-delay histogram gives its own maximum.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface HoldFigures {
  /** Longest gap between two 5 ms ticks, minus the period (ms). */
  maxHoldMs: number;
  /** monitorEventLoopDelay's max (ms). */
  histogramMaxMs: number;
  /** monitorEventLoopDelay's p99 (ms). */
  histogramP99Ms: number;
  ticks: number;
  durationMs: number;
}

/**
 * Starts measuring; resolves once the probe has ticked twice, so that a hold right after the start
 * is measured against a real previous tick (the histogram ignores the time before its first sample).
 */
export async function startHoldProbe(): Promise<{ stop(): HoldFigures }> {
  const probe = holdProbe();
  await probe.warm;
  return probe;
}

function holdProbe(): { warm: Promise<void>; stop(): HoldFigures } {
  const period = 5;
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const t0 = performance.now();
  let last = t0;
  let max = 0;
  let ticks = 0;
  let warmed!: () => void;
  const warm = new Promise<void>((r) => (warmed = r));
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last - period);
    last = now;
    if (++ticks === 2) warmed();
  }, period);
  return {
    warm,
    stop() {
      clearInterval(timer);
      const end = performance.now();
      max = Math.max(max, end - last - period);
      h.disable();
      const ms = (ns: number) => Math.round(ns / 1e5) / 10;
      return {
        maxHoldMs: Math.round(Math.max(0, max) * 10) / 10,
        histogramMaxMs: ms(h.max),
        histogramP99Ms: ms(h.percentile(99)),
        ticks,
        durationMs: Math.round(end - t0),
      };
    },
  };
}
