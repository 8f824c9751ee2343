// Runs inside the extension host (plain Node, no `vscode`), for test/integration/bench-host.spec.ts:
// - busyProbe(): the longest stretch the host's event loop was *busy*, from event-loop utilisation
//   between 5 ms ticks. The wall-clock gap between ticks (holdProbe.ts) also grows when a loaded
//   machine does not schedule the process; the busy time only counts time the loop was running.
// - withCpuProfile(): the V8 sampling profiler of this thread (node:inspector, in-process) around a
//   phase; writes the .cpuprofile and returns the top self-time functions.
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

/** Self time per function (ms), largest first. */
export function topSelf(profile: CpuProfile, n = 15): SelfTime[] {
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'}\t${f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self.entries()]
    .filter(([k]) => !k.startsWith('(idle)') && !k.startsWith('(program)\t'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, ms]) => {
      const [fn, at] = k.split('\t');
      return { fn, at, selfMs: Math.round(ms * 10) / 10 };
    });
}

/** Runs `fn` under the sampling profiler when `file` is given; the profile goes to `file`. */
export async function withCpuProfile<T>(file: string | undefined, fn: () => Promise<T>): Promise<{ value: T; top?: SelfTime[] }> {
  if (!file) return { value: await fn() };
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 250 });
  await post('Profiler.start');
  let value: T;
  let profile: CpuProfile;
  try {
    value = await fn();
  } finally {
    profile = ((await post('Profiler.stop')) as { profile: CpuProfile }).profile;
    session.disconnect();
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(profile));
  return { value, top: topSelf(profile) };
}
