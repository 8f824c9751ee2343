// `npm run test:electron`: the same integration suites in desktop VS Code through @vscode/test-electron.
// It downloads VS Code (into .vscode-test/), so it only works where update.code.visualstudio.com is
// reachable; offline machines use `npm run test:integration` (code-server). VSCODE_EXECUTABLE_PATH uses an
// installed VS Code instead of downloading; VSCODE_VERSION picks the version (default: stable).
import { runTests } from '@vscode/test-electron';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HarnessError, ROOT, copyDir, corpusEnv, freshRunDir, log, run, runMain } from './common';
import { compileHostTests } from './build';
import { SAMPLE } from '../support/corpora';
import { makeProfile } from './code-server';
import { printMochaResults } from './host';

runMain(async () => {
  const t0 = Date.now();
  await run('npm', ['run', '--silent', 'build']);
  const runDir = freshRunDir('electron');
  const { runner } = await compileHostTests(path.join(runDir, 'compiled'));
  const profile = makeProfile(runDir, { 'sdlcLens.autoSync': false });
  const workspace = path.join(runDir, 'workspace');
  copyDir(SAMPLE, path.join(workspace, 'sdlc-studio'));
  const results = path.join(runDir, 'results.json');
  let code: number;
  try {
    code = await runTests({
      version: process.env.VSCODE_VERSION,
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: runner,
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${profile.userData}`,
        `--extensions-dir=${profile.extensions}`,
      ],
      extensionTestsEnv: {
        SDLC_LENS_TEST_RESULTS: results,
        SDLC_LENS_TEST_WORKSPACE: workspace,
        ...corpusEnv(),
        SDLC_LENS_TEST_GREP: process.env.SDLC_LENS_TEST_GREP,
      },
    });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    if (!fs.existsSync(results)) {
      throw new HarnessError(
        `@vscode/test-electron could not run VS Code: ${why}\n` +
          'It downloads VS Code from update.code.visualstudio.com; offline, run `npm run test:integration` ' +
          '(same suites in code-server) or set VSCODE_EXECUTABLE_PATH to an installed VS Code.',
      );
    }
    log(`VS Code run failed: ${why}`);
    code = 1;
  }
  const failures = printMochaResults(results, code);
  log(`electron run ${failures ? 'FAILED' : 'passed'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return failures ? 1 : 0;
});
