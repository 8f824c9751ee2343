// `npm run test:integration`: runs test/integration/**/*.spec.ts inside the extension host of a real
// VS Code (code-server) opened in headless Chromium, with the packaged extension loaded, on each
// version SDLC_LENS_VSCODE selects (default: all, the minimum 1.100 then the stable 1.139; see
// vscode-versions.ts). The workspace holds a copy of the repository's sample project
// (sample/sdlc-studio) as sdlc-studio/.
// Env: SDLC_LENS_VSCODE=1.100|1.139|all, SDLC_LENS_TEST_GREP (mocha grep), SDLC_LENS_TEST_TIMEOUT (per test, ms), SDLC_LENS_VERBOSE=1,
// SDLC_LENS_EXTENSION_PATH (load this folder instead of the packaged .vsix), SDLC_LENS_KEEP_RUN=1,
// SDLC_LENS_EXTRA_VSIX (.vsix files, path-delimited, installed beside it: bench/host.ts's second extension).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HarnessError, copyDir, corpusEnv, freshRunDir, log, onCleanup, runMain } from './common';
import { compileHostTests } from './build';
import { SAMPLE } from '../support/corpora';
import { installExtraVsix, makeProfile, startCodeServer } from './code-server';
import { launchBrowser } from './browser';
import { extensionUnderTest, printMochaResults, runInExtensionHost } from './host';
import { runMatrix, target } from './vscode-versions';

runMain(() => runMatrix('integration', 'all', async () => {
  const t0 = Date.now();
  const runDir = freshRunDir(`integration-${target().id}`);
  let keepRunDir = true; // removed after everything stopped, unless the run failed
  onCleanup(() => {
    if (!keepRunDir) fs.rmSync(runDir, { recursive: true, force: true });
  });
  const { runner, specs } = await compileHostTests(path.join(runDir, 'compiled'));
  if (!specs.length) throw new HarnessError('no test/integration/**/*.spec.ts files found');
  // files.autoSave off: the web workbench saves a dirty buffer after a second by default, racing every
  // spec that edits a buffer and then saves it itself (a save of a saved file answers false)
  const profile = makeProfile(runDir, { 'sdlcLens.autoSync': false, 'files.autoSave': 'off' });
  const workspace = path.join(runDir, 'workspace');
  copyDir(SAMPLE, path.join(workspace, 'sdlc-studio'));
  const extDir = await extensionUnderTest(runDir, profile);
  for (const vsix of (process.env.SDLC_LENS_EXTRA_VSIX ?? '').split(path.delimiter).filter(Boolean)) {
    await installExtraVsix(profile, vsix);
    log(`installed ${path.basename(vsix)} beside it`);
  }
  const results = path.join(runDir, 'results.json');
  const server = await startCodeServer(profile, {
    loadsTests: true,
    logFile: path.join(runDir, 'code-server.log'),
    env: {
      SDLC_LENS_TEST_RESULTS: results,
      SDLC_LENS_TEST_WORKSPACE: workspace,
      SDLC_LENS_TEST_VSCODE_VERSION: target().vscode,
      ...corpusEnv(),
    },
  });
  const ctx = await launchBrowser(path.join(runDir, 'chromium-profile'));
  log(`running ${specs.length} spec file(s) in the extension host`);
  const hostLog = path.join(runDir, 'extension-host.log');
  const code = await runInExtensionHost(ctx, server, {
    name: 'integration',
    folder: workspace,
    extensionDevelopmentPath: extDir,
    extensionTestsPath: runner,
    logFile: hostLog,
    timeoutMs: Number(process.env.SDLC_LENS_RUN_TIMEOUT) || 10 * 60_000,
  });
  const failures = printMochaResults(results, code, hostLog);
  log(`integration run on VS Code ${target().vscode} ${failures ? 'FAILED' : 'passed'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (failures) log(`logs kept in ${runDir}`);
  else keepRunDir = process.env.SDLC_LENS_KEEP_RUN === '1';
  return failures ? 1 : 0;
}));
