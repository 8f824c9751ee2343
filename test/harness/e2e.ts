// `npm run test:e2e`: UI end-to-end tests. Packages the extension, installs the .vsix into a fresh
// code-server of each version SDLC_LENS_VSCODE selects (default: all, 1.100 then 1.139), opens a workspace holding a copy of the sample project (sample/sdlc-studio)
// as sdlc-studio/ in headless Chromium, and runs test/e2e/**/*.e2e.ts with mocha in this process (playwright-core).
// A failing test leaves a screenshot in test-results/. Env: SDLC_LENS_TEST_GREP, SDLC_LENS_SCREENSHOTS=1
// (also writes the README screenshots to docs/screenshots/), SDLC_LENS_KEEP_RUN=1, HEADED=1,
// SDLC_LENS_VSCODE=1.100|1.139|all.
import Mocha from 'mocha';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, copyDir, freshRunDir, log, onCleanup, recordFailure, runMain } from './common';
import { packageExtension } from './build';
import { installVsix, makeProfile, startCodeServer, workbenchUrl } from './code-server';
import { failureScreenshot, launchBrowser } from './browser';
import { setSession } from '../e2e/session';
import { LENS, SAMPLE, hasShared } from '../support/corpora';
import { runMatrix, target } from './vscode-versions';

runMain(() => runMatrix('e2e', 'all', async () => {
  const t0 = Date.now();
  const runDir = freshRunDir(`e2e-${target().id}`);
  let keepRunDir = true; // removed after everything stopped, unless the run failed
  onCleanup(() => {
    if (!keepRunDir) fs.rmSync(runDir, { recursive: true, force: true });
  });
  const vsix = await packageExtension(runDir);
  // the health e2e reads the Problems panel before opening the files: every document's findings
  const profile = makeProfile(runDir, { 'sdlcLens.autoSync': false, 'sdlcLens.health.diagnostics': 'workspace' });
  await installVsix(profile, vsix);
  log('installed the .vsix into a fresh extensions folder');
  const workspace = path.join(runDir, 'harbor');
  copyDir(SAMPLE, path.join(workspace, 'sdlc-studio'));
  const server = await startCodeServer(profile, { logFile: path.join(runDir, 'code-server.log') });
  const ctx = await launchBrowser(path.join(runDir, 'chromium-profile'));
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const consoleLog = fs.createWriteStream(path.join(runDir, 'browser-console.log'));
  page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
  let screenshots: string | undefined;
  if (process.env.SDLC_LENS_SCREENSHOTS === '1') {
    screenshots = path.join(ROOT, 'docs', 'screenshots');
    fs.mkdirSync(screenshots, { recursive: true });
  }
  setSession({
    page,
    url: workbenchUrl(server, workspace),
    workspace,
    sample: SAMPLE,
    corpus: hasShared() ? LENS : undefined,
    runDir,
    screenshots,
  });

  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    timeout: Number(process.env.SDLC_LENS_TEST_TIMEOUT) || 120_000,
    grep: process.env.SDLC_LENS_TEST_GREP || undefined,
    rootHooks: {
      async afterEach(this: Mocha.Context) {
        const t = this.currentTest;
        if (t?.state === 'failed') await failureScreenshot(page, `e2e ${target().id} ${t.fullTitle()}`);
      },
    },
  });
  const dir = path.join(ROOT, 'test', 'e2e');
  const specs = fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.e2e.ts'))
    .sort();
  for (const f of specs) mocha.addFile(path.join(dir, f));
  const stats = await new Promise<Mocha.Stats | undefined>((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats));
    runner.on('fail', (t: Mocha.Runnable, err: Error) => recordFailure(t.fullTitle(), err?.message));
  });
  consoleLog.end();
  const failed = !stats || stats.failures > 0 || stats.tests === 0;
  log(`e2e run on VS Code ${target().vscode} ${failed ? 'FAILED' : 'passed'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (failed) log(`logs kept in ${runDir}`);
  else keepRunDir = process.env.SDLC_LENS_KEEP_RUN === '1';
  return failed ? 1 : 0;
}));
