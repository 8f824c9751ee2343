// Running code inside the real extension host: a workbench page whose payload names an
// `extensionTestsPath`; the workbench reports the module's result through `window.codeAutomationExit`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { HarnessError, log, recordFailure, withTimeout } from './common';
import { failureScreenshot } from './browser';
import { installVsix, workbenchUrl, type Profile, type Server } from './code-server';
import { packageExtension } from './build';

/**
 * The extension folder to load as the development extension: the packaged .vsix unpacked into
 * `<runDir>/unpacked` (what users install), or $SDLC_LENS_EXTENSION_PATH when set (e.g. the repo root).
 */
export async function extensionUnderTest(runDir: string, profile: Profile): Promise<string> {
  const override = process.env.SDLC_LENS_EXTENSION_PATH;
  if (override) {
    log(`using the extension at $SDLC_LENS_EXTENSION_PATH=${override} (not packaged)`);
    return path.resolve(override);
  }
  const vsix = await packageExtension(runDir);
  const dir = await installVsix(profile, vsix, path.join(runDir, 'unpacked'));
  log(`unpacked the .vsix to ${dir}`);
  return dir;
}

export interface HostRun {
  folder: string;
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  logFile: string;
  timeoutMs: number;
  name: string;
}

/** Opens a page that runs `extensionTestsPath` in the extension host; resolves with its exit code. */
export async function runInExtensionHost(ctx: BrowserContext, server: Server, opts: HostRun): Promise<number> {
  const page = await ctx.newPage();
  const logStream = fs.createWriteStream(opts.logFile);
  const verbose = process.env.SDLC_LENS_VERBOSE === '1';
  const write = (line: string) => {
    logStream.write(`${line}\n`);
    if (verbose) process.stdout.write(`  | ${line}\n`);
  };
  let done!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (done = resolve));
  await page.exposeFunction('codeAutomationExit', (code: number) => done(Number(code)));
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) =>
    write(`[exthost ${type}] ${(Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`),
  );
  page.on('console', (m) => write(`[page ${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => write(`[page error] ${e.message}`));
  const url = workbenchUrl(server, opts.folder, {
    extensionDevelopmentPath: opts.extensionDevelopmentPath,
    extensionTestsPath: opts.extensionTestsPath,
  });
  try {
    await page.goto(url);
    return await withTimeout(exited, opts.timeoutMs, `the extension host to finish ${opts.name} (log: ${opts.logFile})`);
  } catch (e) {
    await failureScreenshot(page, opts.name);
    throw e;
  } finally {
    await page.close().catch(() => undefined);
    await new Promise((r) => logStream.end(r));
  }
}

interface MochaTest {
  fullTitle: string;
  duration?: number;
  err?: { message?: string; stack?: string };
}
interface MochaJson {
  stats: { tests: number; passes: number; failures: number; pending: number; duration?: number };
  tests: MochaTest[];
  pending: MochaTest[];
  failures: MochaTest[];
}

/** Prints each test's result from mocha's JSON report; returns the number of failures (+1 if nothing ran). */
export function printMochaResults(file: string, exitCode: number, hostLog?: string): number {
  if (!fs.existsSync(file)) {
    if (hostLog && fs.existsSync(hostLog)) {
      process.stdout.write(`\nlast extension-host log lines (${hostLog}):\n`);
      process.stdout.write(fs.readFileSync(hostLog, 'utf8').split('\n').slice(-40).join('\n') + '\n');
    }
    throw new HarnessError(`the test run exited with code ${exitCode} and wrote no results to ${file}`);
  }
  const r = JSON.parse(fs.readFileSync(file, 'utf8')) as MochaJson;
  const failed = new Set(r.failures.map((t) => t.fullTitle));
  const pending = new Set(r.pending.map((t) => t.fullTitle));
  process.stdout.write('\n');
  for (const t of r.tests) {
    const mark = failed.has(t.fullTitle) ? '✗ FAIL' : pending.has(t.fullTitle) ? '- SKIP' : '✓ pass';
    process.stdout.write(`  ${mark}  ${t.fullTitle}${t.duration ? ` (${t.duration} ms)` : ''}\n`);
    if (failed.has(t.fullTitle)) {
      recordFailure(t.fullTitle, t.err?.message);
      const stack = (t.err?.stack ?? t.err?.message ?? '').split('\n').slice(0, 8).join('\n          ');
      process.stdout.write(`          ${stack}\n`);
    }
  }
  // Failures outside tests (hooks) are in `failures` only.
  for (const f of r.failures) {
    if (!r.tests.some((t) => t.fullTitle === f.fullTitle)) {
      process.stdout.write(`  ✗ FAIL  ${f.fullTitle}\n          ${f.err?.message ?? ''}\n`);
      recordFailure(f.fullTitle, f.err?.message);
    }
  }
  const s = r.stats;
  process.stdout.write(`\n  ${s.passes} passing, ${s.failures} failing, ${s.pending} pending (${s.tests} tests)\n\n`);
  if (s.tests === 0) {
    log('no tests ran');
    recordFailure('(the run)', 'no tests ran');
    return 1;
  }
  if (exitCode !== 0 && s.failures === 0) {
    log(`the extension host exited with code ${exitCode}`);
    recordFailure('(the extension host)', `exited with code ${exitCode} after every test passed`);
    return 1;
  }
  return s.failures;
}
