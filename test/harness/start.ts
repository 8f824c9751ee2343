// `npm start`: builds and packages the extension, installs it into a persistent code-server profile
// (.vscode-test/demo/, one per VS Code version: demo-1.100/ for the minimum), and serves VS Code on 127.0.0.1 with a demo workspace holding a copy of the
// repository's sample project (sample/sdlc-studio/, "Harbor") as sdlc-studio/: nothing outside the
// checkout is needed. On first start the project is registered and synced through
// the extension's own commands (test/harness/demo-setup.ts, run once in the extension host from
// headless Chromium). Prints the URL and runs until Ctrl-C, which stops code-server's process group.
// Options: `npm start -- --reset` starts over from an empty demo; PORT=NNNN picks the port (default 8080, or a free one);
// SDLC_LENS_VSCODE=1.139 (the default: the current stable) or 1.100 (the minimum engines.vscode allows).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HarnessError, VSCODE_TEST, copyDir, log, runMain } from './common';
import { SAMPLE } from '../support/corpora';
import { compileDemoSetup, packageExtension } from './build';
import { freePort, installVsix, makeProfile, portIsFree, startCodeServer } from './code-server';
import { launchBrowser } from './browser';
import { runInExtensionHost } from './host';
import { STABLE, runMatrix, selectedTargets, target } from './vscode-versions';

// One VS Code version at a time: the stable unless SDLC_LENS_VSCODE names another (checked in start()).
const ONE = (() => {
  try {
    return selectedTargets(STABLE.id);
  } catch {
    return [];
  }
})();
// The stable keeps the folder `npm start` always used; another version gets its own profile (a
// profile a newer VS Code wrote is not one to open in an older one).
const DEMO = path.join(VSCODE_TEST, ONE.length !== 1 || ONE[0] === STABLE ? 'demo' : `demo-${ONE[0].id}`);
const WORKSPACE = path.join(DEMO, 'workspace');
const PROJECT = path.join(WORKSPACE, 'sdlc-studio');
const MARKER = path.join(DEMO, '.setup-done');
const DEMO_NAME = 'Harbor';

/** Missing files and permissions end `npm start` with one clear line, not a stack trace. */
function oneLine(e: unknown): never {
  const err = e as NodeJS.ErrnoException;
  if (err && (err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'EPERM') && !(e instanceof HarnessError)) {
    throw new HarnessError(`npm start: ${err.code === 'ENOENT' ? 'missing file or folder' : 'permission denied'}: ${err.path ?? err.message}`);
  }
  throw e;
}

async function pickPort(): Promise<number> {
  if (process.env.PORT) return Number(process.env.PORT);
  return (await portIsFree(8080)) ? 8080 : freePort();
}

runMain(() => runMatrix('npm start', STABLE.id, () => start().catch(oneLine)));

async function start(): Promise<number> {
  if (ONE.length !== 1) throw new HarnessError('npm start serves one VS Code version: SDLC_LENS_VSCODE=1.139 (the default) or 1.100');
  if (!fs.existsSync(path.join(SAMPLE, 'prd.md'))) {
    throw new HarnessError(`npm start: the sample project is missing (${SAMPLE}); restore it with git checkout -- sample`);
  }
  if (process.argv.includes('--reset')) {
    log(`--reset: removing ${DEMO}`);
    fs.rmSync(DEMO, { recursive: true, force: true });
  }
  const vsix = await packageExtension(DEMO);
  const profile = makeProfile(path.join(DEMO, 'profile'));
  const extDir = await installVsix(profile, vsix);
  if (!fs.existsSync(PROJECT)) {
    copyDir(SAMPLE, PROJECT);
    log(`demo workspace: copied the sample project (sample/sdlc-studio) to ${PROJECT}`);
  }
  if (!fs.existsSync(MARKER)) {
    // a server of its own for the setup: loading it through the URL payload needs the smoke-test
    // driver on 1.139, which would hide every notification toast from the person using the demo
    const setupServer = await startCodeServer(profile, {
      loadsTests: true,
      logFile: path.join(DEMO, 'code-server-setup.log'),
      env: { SDLC_LENS_DEMO_PROJECT: PROJECT, SDLC_LENS_DEMO_NAME: DEMO_NAME },
    });
    log('first start: registering and syncing the demo project in the extension host');
    const demoSetup = await compileDemoSetup(path.join(DEMO, 'compiled', 'demo-setup.js'));
    const browserDir = path.join(DEMO, 'setup-chromium');
    fs.rmSync(browserDir, { recursive: true, force: true });
    const ctx = await launchBrowser(browserDir);
    const code = await runInExtensionHost(ctx, setupServer, {
      name: 'demo-setup',
      folder: WORKSPACE,
      extensionDevelopmentPath: extDir,
      extensionTestsPath: demoSetup,
      logFile: path.join(DEMO, 'setup.log'),
      timeoutMs: 5 * 60_000,
    });
    await ctx.close();
    await setupServer.stop();
    fs.rmSync(browserDir, { recursive: true, force: true });
    if (code !== 0) throw new HarnessError(`demo setup failed (exit ${code}); see ${path.join(DEMO, 'setup.log')}`);
    fs.writeFileSync(MARKER, new Date().toISOString());
    log('demo project registered and synced');
  }
  const server = await startCodeServer(profile, {
    port: await pickPort(),
    logFile: path.join(DEMO, 'code-server.log'),
  });
  const url = `${server.url}/?folder=${encodeURIComponent(WORKSPACE)}`;
  process.stdout.write(`\n  SDLC Lens is running in VS Code ${target().vscode} (code-server ${target().codeServer}).\n  Open ${url}\n  Press Ctrl-C to stop.\n\n`);
  const code = await new Promise<number | null>((resolve) => server.child.once('exit', (c) => resolve(c)));
  throw new HarnessError(`code-server stopped unexpectedly (exit ${code}); see ${server.logFile}`);
}
