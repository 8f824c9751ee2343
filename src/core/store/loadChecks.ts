// The verdict of sql.js's load checks (sqljs.ts verifyFileAccess, sqljsPaged.ts verifyPaged),
// kept in the data folder so a new process does not run them again: together they cost a new CLI
// process ~25-35 ms of its ~190-290 ms (2,352 documents, `projects` and an unchanged `sync`,
// 15 alternating runs). A verdict holds for one sql.js (its script as patched, its wasm), one
// build of the bundle that patched it (the bundle file's size and mtime) and one Node; anything
// else, and any run from the TypeScript sources, checks again. Only a pass is recorded, and only
// after the store opened (a folder the store cannot open is left byte for byte as it was).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The verdict file in a data folder. */
export const CHECKS_FILE = 'sdlc-lens.sqljs-checks';

/** Verdicts a file keeps (the CLI and the extension's worker are different bundles on one folder). */
const KEPT = 8;

/**
 * The identity a verdict is recorded under, or null when it cannot be trusted to name the code:
 * running from the sources (a test, `tsx`) changes code without changing the bundle file.
 */
export function checksKey(patchedScript: string, wasm: Uint8Array, bundleFile: string = __filename): string | null {
  if (!bundleFile.endsWith('.js')) return null;
  let bundle: fs.Stats;
  try {
    bundle = fs.statSync(bundleFile);
  } catch {
    return null;
  }
  const h = createHash('sha256').update(patchedScript).update('\0').update(wasm);
  h.update(`\0${path.basename(bundleFile)}:${bundle.size}:${bundle.mtimeMs}\0${process.version}:${process.arch}`);
  return h.digest('hex');
}

function verdicts(file: string): string[] {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter((l) => /^[0-9a-f]{64}$/.test(l));
  } catch {
    return [];
  }
}

/** This process's verdict: where it is kept, its key, and whether it was there (or recorded since). */
let verdict: { file: string; key: string; passedBefore: boolean } | null = null;

/**
 * Looks up this process's verdict (sqljs.ts, at load): true when the checks passed before for this
 * sql.js (`patchedScript`, `wasm`), build and Node, so they need not run. Null arguments: no verdict.
 */
export function checksTrusted(file: string | undefined, patchedScript: string | null, wasm: Uint8Array): boolean {
  const key = file && patchedScript !== null ? checksKey(patchedScript, wasm) : null;
  verdict = file && key ? { file, key, passedBefore: verdicts(file).includes(key) } : null;
  return verdict?.passedBefore === true;
}

/** Forgets this process's verdict (a load that failed). */
export function forgetVerdict(): void {
  verdict = null;
}

/** Records that this process's checks passed (`passed`), unless it trusted an earlier pass or has no verdict. */
export function recordChecksPassed(passed: boolean): void {
  if (!passed || !verdict || verdict.passedBefore) return;
  verdict.passedBefore = true;
  const { file, key } = verdict;
  const lines = [key, ...verdicts(file).filter((k) => k !== key)].slice(0, KEPT);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, lines.join('\n') + '\n');
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // left for nobody to read: only `${file}` is ever read
    }
  }
}
