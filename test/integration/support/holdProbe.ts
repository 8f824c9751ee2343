// Measures how long the extension host's event loop is held: a 5 ms interval records the largest
// gap beyond its period, and perf_hooks' event-loop-delay histogram gives its own maximum.
// On Linux it also reads the thread's scheduler figures (/proc/thread-self/schedstat: nanoseconds on
// a CPU, nanoseconds runnable but waiting for one) at every tick, so a gap can be split into the
// time the host thread ran or blocked (a hold) and the time a loaded machine kept it off the CPU.
import * as fs from 'node:fs';
import { constants, monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

export interface HoldFigures {
  /** Longest gap between two 5 ms ticks, minus the period (ms). */
  maxHoldMs: number;
  /**
   * Longest gap minus the period and minus the time the thread waited for a CPU during it (ms): what
   * the host itself held, whatever else the machine ran. Equals maxHoldMs where schedstat is absent.
   */
  maxOwnHoldMs: number;
  /**
   * Most CPU time the thread spent inside one gap (ms): what the host computed without returning
   * to its event loop. A gap's remainder is time off the CPU: waiting for one, or blocked, which on
   * a loaded machine includes V8's and Node's hand-offs to threads that wait for a CPU themselves
   * (glibc's condition-variable signal in NodePlatform::CallOnWorkerThread and uv_queue_work, a
   * MessagePort's mutex; seen with perf at 80–190 ms at a load of 4–9 on 2 cores). Equals
   * maxOwnHoldMs where schedstat is absent.
   */
  maxCpuHoldMs: number;
  /** Run-queue wait inside the longest wall-clock gap (ms); null where schedstat is absent. */
  waitInLongestGapMs: number | null;
  /**
   * Time the thread ran on a CPU inside the longest wall-clock gap (ms); null where schedstat is
   * absent. The gap less this and the wait is time the thread was blocked (a synchronous read, a lock).
   */
  cpuInLongestGapMs: number | null;
  /** V8 garbage-collection pauses of this thread inside the longest wall-clock gap (ms, summed), and their kinds. */
  gcInLongestGapMs: number;
  gcKindsInLongestGap: string[];
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

/** This thread's time on a CPU and run-queue wait so far (ms), or null where the kernel does not report them. */
function schedstat(): { cpu: number; wait: number } | null {
  try {
    const [cpu, wait] = fs.readFileSync(SCHEDSTAT, 'latin1').split(' ').map(Number);
    return Number.isFinite(cpu) && Number.isFinite(wait) ? { cpu: cpu / 1e6, wait: wait / 1e6 } : null;
  } catch {
    return null;
  }
}

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak-callbacks',
};
const gcKind = (g: PerformanceEntry): string => GC_KINDS[(g as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0] ?? 'gc';

function holdProbe(): { warm: Promise<void>; stop(): HoldFigures } {
  const period = 5;
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const t0 = performance.now();
  let last = t0;
  let lastStat = schedstat();
  let max = 0;
  let maxOwn = 0;
  let maxCpu = 0;
  let waitInMax: number | null = null;
  let cpuInMax: number | null = null;
  let maxFrom = 0;
  let maxTo = 0;
  const gcs: PerformanceEntry[] = [];
  const gcObserver = new PerformanceObserver((list) => gcs.push(...list.getEntries()));
  gcObserver.observe({ entryTypes: ['gc'] });
  let ticks = 0;
  let warmed!: () => void;
  const warm = new Promise<void>((r) => (warmed = r));
  const sample = () => {
    const now = performance.now();
    const stat = schedstat();
    const gap = now - last - period;
    // this thread's time on a CPU and waiting for one since the last tick (null without schedstat)
    const spent = stat && lastStat ? { cpu: stat.cpu - lastStat.cpu, wait: stat.wait - lastStat.wait } : null;
    if (gap > max) {
      max = gap;
      waitInMax = spent?.wait ?? null;
      cpuInMax = spent?.cpu ?? null;
      maxFrom = last;
      maxTo = now;
    }
    maxOwn = Math.max(maxOwn, gap - (spent?.wait ?? 0));
    maxCpu = Math.max(maxCpu, spent ? Math.min(gap, spent.cpu) : gap);
    last = now;
    lastStat = stat;
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
      gcObserver.disconnect();
      const inGap = gcs.filter((g) => g.startTime < maxTo && g.startTime + g.duration > maxFrom);
      const ms = (ns: number) => Math.round(ns / 1e5) / 10;
      const tenth = (x: number) => Math.round(Math.max(0, x) * 10) / 10;
      return {
        maxHoldMs: tenth(max),
        maxOwnHoldMs: tenth(maxOwn),
        maxCpuHoldMs: tenth(maxCpu),
        waitInLongestGapMs: waitInMax === null ? null : tenth(waitInMax),
        cpuInLongestGapMs: cpuInMax === null ? null : tenth(cpuInMax),
        gcInLongestGapMs: tenth(inGap.reduce((n, g) => n + g.duration, 0)),
        gcKindsInLongestGap: inGap.map((g) => `${gcKind(g)} ${tenth(g.duration)} ms`),
        histogramMaxMs: ms(h.max),
        histogramP99Ms: ms(h.percentile(99)),
        ticks,
        durationMs: Math.round(end - t0),
      };
    },
  };
}
