// Which of V8's wasm compilers a CLI process uses. By default V8 compiles sql.js's wasm with its
// baseline compiler (Liftoff) and re-compiles the hot functions with its optimising one (TurboFan)
// on background threads; a process that ends soon pays for that re-compilation anyway, because
// leaving waits for the compile jobs in progress (SQLite's largest functions take tens of ms each).
// Measured in new processes on this 2-core machine (2026-12-03, 5 runs each, 2,352 / 9,408 docs):
// `projects` 0.25–0.35 → 0.19–0.24 s, `search` 0.35–0.49 → 0.25–0.30 s (the flag set here, at run
// time; 0.19–0.26 / 0.21–0.25 s with it on the command line), `stats` at 9,408
// 0.33–0.40 → 0.27–0.29 s, `docs --json` at 9,408 0.70–0.94 → 0.64–0.82 s; a cold sync of 9,408
// documents is 10–30 % slower on Liftoff alone (6.5–7.3 → 7.8–9.8 s), so a folder's first sync keeps
// both tiers, and a re-sync of a registered one is brief (commands/sync.ts isResync).
import { setFlagsFromString } from 'node:v8';

/** What `--debug` prints when a process runs on the baseline compiler only. */
export const BASELINE_ONLY_LINE = 'wasm on the baseline compiler only (a brief command)';

/** Before sql.js is loaded: wasm on the baseline compiler only (a brief command, CliCommand.brief). */
export function baselineWasmOnly(): void {
  setFlagsFromString('--liftoff-only');
}
