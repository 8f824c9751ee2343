// Where the tests find their document corpora: the one place that knows these paths.
//
// SAMPLE is the Harbor sample project shipped in this repository (sample/sdlc-studio/): always present,
// so the default test run needs nothing but the checkout. LENS and FIXTURES are the real corpora of the
// shared material beside the checkout (`../shared/corpus/…`, or `$SDLC_LENS_SHARED/corpus/…`); suites that
// need them are registered with `describeShared`, only when they exist. With SDLC_LENS_REQUIRE_SHARED=1
// (set by .ci/run) a missing corpus is an error at load, so CI can never pass without the real-corpus suites.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateCorpus } from '../../bench/generate';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The sample sdlc-studio/ folder shipped in the repository (read-only: copy it before changing files). */
export const SAMPLE = path.join(REPO_ROOT, 'sample', 'sdlc-studio');
/** Documents a full sync of SAMPLE stores (markdown files, minus _index.md and the .local/ folder). */
export const SAMPLE_DOCS = 42;

/** The shared material: $SDLC_LENS_SHARED, else the checkout's neighbour `../shared`. */
export const SHARED = process.env.SDLC_LENS_SHARED
  ? path.resolve(process.env.SDLC_LENS_SHARED)
  : path.resolve(REPO_ROOT, '..', 'shared');
/** The real sdlc-studio folder of the original project (~215 files). Only when hasShared(). */
export const LENS = path.join(SHARED, 'corpus', 'lens');
/** The original's small browser-test fixture set. Only when hasShared(). */
export const FIXTURES = path.join(SHARED, 'corpus', 'fixtures');
/** The copy of the sdlc-studio skill (scripts/transition.py, integrity.py, …). Only when hasShared(). */
export const SKILL = path.join(SHARED, 'skill', 'sdlc-studio');
export const LENS_DOCS = 193;
export const FIXTURES_DOCS = 10;

/** True when both real corpora are present beside the checkout. */
export function hasShared(): boolean {
  return fs.existsSync(LENS) && fs.existsSync(FIXTURES);
}

export const REQUIRE_SHARED_ENV = 'SDLC_LENS_REQUIRE_SHARED';

if (process.env[REQUIRE_SHARED_ENV] === '1' && !hasShared()) {
  throw new Error(
    `${REQUIRE_SHARED_ENV}=1 but the real corpora are missing (looked for ${LENS} and ${FIXTURES}); ` +
      'put the shared material beside the checkout as ../shared or set SDLC_LENS_SHARED',
  );
}

let announced = false;

/**
 * `describe` for suites that need the real corpora: registered only when they exist. When they do not,
 * the suite is not registered at all (not skipped) and one line says so, once per process.
 */
export function describeShared(title: string, fn: (this: Mocha.Suite) => void): void {
  if (hasShared()) {
    describe(title, fn);
    return;
  }
  if (!announced) {
    announced = true;
    process.stdout.write(
      `[corpora] ${path.join(SHARED, 'corpus')} not found: the real-corpus suites are not registered ` +
        `(the sample project covers the rest; set SDLC_LENS_SHARED to point elsewhere)\n`,
    );
  }
}

/** Relative paths of every markdown file under `root`, at least `least` of them (asserted). */
export function markdownFilesUnder(root: string, least: number): string[] {
  const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.md'));
  assert.ok(files.length >= least, `${files.length} markdown files in ${root}, expected at least ${least}`);
  return files;
}

/** Runs `fn` on a generated corpus (bench/generate.ts) of `documents` in a temporary folder, removed afterwards. */
export function withGeneratedCorpus(documents: number, seed: number, fn: (sdlcPath: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-corpus-'));
  try {
    generateCorpus(path.join(dir, 'sdlc-studio'), { documents, seed });
    fn(path.join(dir, 'sdlc-studio'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

