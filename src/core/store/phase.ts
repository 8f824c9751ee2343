// A test hook, off by default: with SDLC_LENS_PHASE_MARKERS=1 the engine prints `@phase <name>` on
// stderr, synchronously, at each step a crash test wants to kill it in (walk, apply, log append, fold).
import * as fs from 'node:fs';

const enabled = process.env.SDLC_LENS_PHASE_MARKERS === '1';

export function phase(name: string): void {
  if (!enabled) return;
  try {
    fs.writeSync(2, `@phase ${name}\n`);
  } catch {
    // a closed stderr must not change what the engine does
  }
}
