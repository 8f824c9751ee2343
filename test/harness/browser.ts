// Debian Chromium driven by playwright-core: find (or apt-install) it, launch it with a fresh profile.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { HarnessError, RESULTS, log, onCleanup, which } from './common';
import { ensureSystemPackages } from './code-server';

const CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];

function findChromium(): string | undefined {
  const env = process.env.CHROMIUM_PATH;
  if (env) {
    if (!fs.existsSync(env)) throw new HarnessError(`CHROMIUM_PATH=${env} does not exist`);
    return env;
  }
  return CANDIDATES.find((c) => fs.existsSync(c)) ?? which('chromium') ?? which('chromium-browser');
}

/** The Chromium binary; installs Debian's `chromium` with apt when running as root and it is missing. */
export async function ensureChromium(): Promise<string> {
  let bin = findChromium();
  if (!bin) {
    await ensureSystemPackages([['chromium', () => !!findChromium()]]);
    bin = findChromium();
    if (!bin) throw new HarnessError('apt installed chromium but no chromium binary was found');
  }
  return bin;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Launches headless Chromium with a fresh profile in `profileDir`; closed by cleanup. */
export async function launchBrowser(profileDir: string): Promise<BrowserContext> {
  const executablePath = await ensureChromium();
  fs.mkdirSync(profileDir, { recursive: true });
  const ctx = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: process.env.HEADED !== '1',
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
  });
  onCleanup(() => ctx.close().catch(() => undefined));
  return ctx;
}

/** Saves a full-workbench screenshot to test-results/<name>.png and returns its path (never throws). */
export async function failureScreenshot(page: Page | undefined, name: string): Promise<string | undefined> {
  if (!page || page.isClosed()) return undefined;
  const file = path.join(RESULTS, `${name.replace(/[^\w.-]+/g, '-').slice(0, 120)}.png`);
  try {
    fs.mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: file, timeout: 10_000 });
    log(`screenshot of the failing screen: ${path.relative(process.cwd(), file)}`);
    return file;
  } catch (e) {
    log(`could not take a screenshot: ${String(e)}`);
    return undefined;
  }
}
