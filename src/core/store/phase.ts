// Test and profiling hooks, both off by default:
// - SDLC_LENS_PHASE_MARKERS=1: the engine prints `@phase <name>` on stderr, synchronously, at each
//   step a crash test wants to kill it in (walk, apply, log append, fold).
// - SDLC_LENS_PHASE_TIMES=1: each phase's start time (performance.now()) is noted in `phaseTimes`,
//   for profiling scripts that want per-phase figures of a sync.
import * as fs from 'node:fs';

const enabled = process.env.SDLC_LENS_PHASE_MARKERS === '1';

/** (phase, ms) in the order reached; null unless SDLC_LENS_PHASE_TIMES=1. */
export const phaseTimes: [string, number][] | null = process.env.SDLC_LENS_PHASE_TIMES === '1' ? [] : null;

export function phase(name: string): void {
  phaseTimes?.push([name, performance.now()]);
  if (!enabled) return;
  try {
    fs.writeSync(2, `@phase ${name}\n`);
  } catch {
    // a closed stderr must not change what the engine does
  }
}
