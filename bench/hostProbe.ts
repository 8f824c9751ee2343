// Runs inside the extension host (plain Node, no `vscode`), for test/integration/bench-host.spec.ts:
// - busyProbe(): the longest stretch the host's event loop was *busy*, from event-loop utilisation
//   between 5 ms ticks. The wall-clock gap between ticks (holdProbe.ts) also grows when a loaded
//   machine does not schedule the process; the busy time only counts time the loop was running.
// - withCpuProfile(): the V8 sampling profiler of this thread (node:inspector, in-process) around a
//   phase; writes the .cpuprofile and returns the top self-time functions (or, for a .heapprofile,
//   the sampling heap profiler: the bytes each function allocated).
import * as fs from 'node:fs';
import { Session } from 'node:inspector';
import * as path from 'node:path';

export interface Busy {
  /** Largest event-loop active time between two consecutive 5 ms ticks (ms). */
  maxBusyMs: number;
  /** Share of the phase the loop was busy. */
  utilization: number;
}

export function busyProbe(): { stop(): Busy } {
  const start = performance.eventLoopUtilization();
  let prev = start;
  let max = 0;
  const tick = () => {
    const now = performance.eventLoopUtilization();
    max = Math.max(max, now.active - prev.active);
    prev = now;
  };
  const timer = setInterval(tick, 5);
  return {
    stop() {
      clearInterval(timer);
      tick();
      const all = performance.eventLoopUtilization(start);
      return { maxBusyMs: Math.round(max * 10) / 10, utilization: Math.round(all.utilization * 1000) / 1000 };
    },
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  fn: string;
  at: string;
  selfMs: number;
}

/** A profile's frame as one key: function name, tab, file:line. */
const frameKey = (f: ProfileNode['callFrame']): string => `${f.functionName || '(anonymous)'}\t${f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}` : ''}`;

/** The `n` largest totals per frame key, split back into function and place, rounded to 0.1. */
function largest(totals: Map<string, number>, n: number): { fn: string; at: string; value: number }[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => {
      const [fn, at] = k.split('\t');
      return { fn, at, value: Math.round(v * 10) / 10 };
    });
}

/** Self time per function (ms), largest first. */
export function topSelf(profile: CpuProfile, n = 15): SelfTime[] {
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const key = frameKey(byId.get(id)!.callFrame);
    if (key.startsWith('(idle)') || key.startsWith('(program)\t')) return;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return largest(self, n).map(({ fn, at, value }) => ({ fn, at, selfMs: value }));
}

/** One node of a sampling heap profile (HeapProfiler.stopSampling). */
interface AllocNode {
  callFrame: ProfileNode['callFrame'];
  selfSize: number;
  children: AllocNode[];
}

/** Bytes allocated per function (MB), largest first: self sizes of a sampling heap profile. */
export function topAllocations(head: AllocNode, n = 15): { fn: string; at: string; allocatedMb: number }[] {
  const self = new Map<string, number>();
  const walk = (x: AllocNode) => {
    const key = frameKey(x.callFrame);
    self.set(key, (self.get(key) ?? 0) + x.selfSize / 2 ** 20);
    x.children.forEach(walk);
  };
  walk(head);
  return largest(self, n).map(({ fn, at, value }) => ({ fn, at, allocatedMb: value }));
}

/**
 * Runs `fn` under a profiler of this thread when `file` is given, and writes the profile to `file`:
 * a `.heapprofile` file gets V8's sampling heap profiler counting every allocation, the objects
 * collected since among them (what the phase allocated, live or garbage); any other name the CPU
 * sampling profiler. Returns the top functions (self time, or bytes allocated).
 */
export async function withCpuProfile<T>(file: string | undefined, fn: () => Promise<T>): Promise<{ value: T; top?: unknown[] }> {
  if (!file) return { value: await fn() };
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  const alloc = file.endsWith('.heapprofile');
  if (alloc) {
    await post('HeapProfiler.enable');
    await post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  } else {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 250 });
    await post('Profiler.start');
  }
  let value: T;
  let profile: CpuProfile | { head: AllocNode };
  try {
    value = await fn();
  } finally {
    profile = alloc
      ? ((await post('HeapProfiler.stopSampling')) as { profile: { head: AllocNode } }).profile
      : ((await post('Profiler.stop')) as { profile: CpuProfile }).profile;
    session.disconnect();
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(profile));
  return { value, top: 'head' in profile ? topAllocations(profile.head) : topSelf(profile) };
}
