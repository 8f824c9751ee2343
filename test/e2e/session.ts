// What the e2e harness (test/harness/e2e.ts) prepared for the specs: a running code-server with the
// .vsix installed, a fresh workspace, and a workbench page in headless Chromium.
import type { Page } from 'playwright-core';

export interface E2ESession {
  page: Page;
  /** The workbench URL for `workspace`. */
  url: string;
  /** The opened folder (`harbor/`); holds `sdlc-studio/`, a copy of the sample project. */
  workspace: string;
  /** The repository's sample project (read-only). */
  sample: string;
  /** The real lens corpus, only when the shared material is beside the checkout. */
  corpus?: string;
  runDir: string;
  /** Where README screenshots go when $SDLC_LENS_SCREENSHOTS=1, else undefined. */
  screenshots?: string;
}

let current: E2ESession | undefined;

export function setSession(s: E2ESession): void {
  current = s;
}

export function session(): E2ESession {
  if (!current) throw new Error('e2e specs run through test/harness/e2e.ts (npm run test:e2e)');
  return current;
}
