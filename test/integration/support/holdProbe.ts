// Measures how long the extension host's event loop is held: a 5 ms interval records the largest
// gap beyond its period, and perf_hooks' event-loop-delay histogram gives its own maximum.
// On Linux it also reads the thread's scheduler figures (/proc/thread-self/schedstat: nanoseconds on
// a CPU, nanoseconds runnable but waiting for one) at every tick, so a gap can be split into the
// time the host thread ran or blocked (a hold) and the time a loaded machine kept it off the CPU.
import * as fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface HoldFigures {
  /** Longest gap between two 5 ms ticks, minus the period (ms). */
  maxHoldMs: number;
  /**
   * Longest gap minus the period and minus the time the thread waited for a CPU during it (ms): what
   * the host itself held, whatever else the machine ran. Equals maxHoldMs where schedstat is absent.
   */
  maxOwnHoldMs: number;
  /** Run-queue wait inside the longest wall-clock gap (ms); null where schedstat is absent. */
  waitInLongestGapMs: number | null;
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

const SCHEDSTAT = '/proc/thread-self/schedstat';

/** This thread's run-queue wait so far (ms), or null where the kernel does not report it. */
function runQueueWaitMs(): number | null {
  try {
    const wait = Number(fs.readFileSync(SCHEDSTAT, 'latin1').split(' ')[1]);
    return Number.isFinite(wait) ? wait / 1e6 : null;
  } catch {
    return null;
  }
}

function holdProbe(): { warm: Promise<void>; stop(): HoldFigures } {
  const period = 5;
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const t0 = performance.now();
  let last = t0;
  let lastWait = runQueueWaitMs();
  let max = 0;
  let maxOwn = 0;
  let waitInMax: number | null = null;
  let ticks = 0;
  let warmed!: () => void;
  const warm = new Promise<void>((r) => (warmed = r));
  const sample = () => {
    const now = performance.now();
    const wait = runQueueWaitMs();
    const gap = now - last - period;
    const waited = wait !== null && lastWait !== null ? wait - lastWait : null;
    if (gap > max) {
      max = gap;
      waitInMax = waited;
    }
    maxOwn = Math.max(maxOwn, gap - (waited ?? 0));
    last = now;
    lastWait = wait;
  };
  const timer = setInterval(() => {
    sample();
    if (++ticks === 2) warmed();
  }, period);
  return {
    warm,
    stop() {
      clearInterval(timer);
      sample();
      const end = last;
      h.disable();
      const ms = (ns: number) => Math.round(ns / 1e5) / 10;
      const tenth = (x: number) => Math.round(Math.max(0, x) * 10) / 10;
      return {
        maxHoldMs: tenth(max),
        maxOwnHoldMs: tenth(maxOwn),
        waitInLongestGapMs: waitInMax === null ? null : tenth(waitInMax),
        histogramMaxMs: ms(h.max),
        histogramP99Ms: ms(h.percentile(99)),
        ticks,
        durationMs: Math.round(end - t0),
      };
    },
  };
}
