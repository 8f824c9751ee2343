// The packaged extension is complete: `npm run package`'s vsce command, run into a temp folder, makes
// a .vsix (read with a small zip reader) holding every file the manifest references (icons, the
// walkthrough's markdown, entry points), the licence and changelog, and a README whose images are
// absolute https URLs to files of this repository (the Marketplace and Open VSX resolve nothing else).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PKG } from '../../support/manifest';
import { REPO_ROOT } from '../../support/corpora';
import { readZip, type ZipEntry } from '../../support/zip';

const REPO_URL = 'https://github.com/sdlc-lens/sdlc-lens';

/** Relative file paths anywhere in the manifest (`media/x.svg`, `./dist/extension.js`): what it references. */
function referencedFiles(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    if (/^(\.\/)?[\w-]+(\/[\w.-]+)+\.[a-z0-9]+$/i.test(value)) out.add(value.replace(/^\.\//, ''));
  } else if (Array.isArray(value)) {
    for (const v of value) referencedFiles(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) referencedFiles(v, out);
  }
  return out;
}

/** The images a markdown text shows: `![alt](url "title")` and `<img src="url">`. */
function images(markdown: string): string[] {
  const found = [...markdown.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
  found.push(...[...markdown.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]));
  // Inline code shows an example tag, not an image (e.g. `<img src=x onerror=…>` in the README).
  return found.filter((u) => u !== 'x');
}

describe('the packaged .vsix', function () {
  this.timeout(180_000); // a build and a vsce run on a shared machine
  let tmp: string;
  let entries: Map<string, ZipEntry>;
  const inVsix = (file: string) => entries.has(`extension/${file}`);

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-vsix-'));
    const script: string = PKG.scripts.package;
    const vsce = script.match(/\bvsce (package\b[^&|;]*)/);
    assert.ok(vsce, `npm run package runs vsce package: ${script}`);
    const args = vsce[1].trim().split(/\s+/);
    const o = args.indexOf('-o');
    assert.ok(o > 0, 'npm run package names its output with -o');
    args[o + 1] = path.join(tmp, 'sdlc-lens.vsix');
    execFileSync(process.execPath, ['esbuild.js'], { cwd: REPO_ROOT, stdio: 'ignore' });
    execFileSync(process.execPath, [require.resolve('@vscode/vsce/vsce'), ...args], { cwd: REPO_ROOT, stdio: 'pipe' });
    entries = readZip(fs.readFileSync(args[o + 1]));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('is packaged with its licence and repository (no --skip-license, no --allow-missing-repository)', () => {
    assert.doesNotMatch(PKG.scripts.package, /--skip-license|--allow-missing-repository/);
    assert.equal(PKG.license, 'MIT');
    assert.equal(PKG.repository.url, `${REPO_URL}.git`);
    assert.equal(PKG.bugs.url, `${REPO_URL}/issues`);
    assert.equal(PKG.homepage, `${REPO_URL}#readme`);
    assert.match(entries.get('extension/LICENSE.txt')!.read().toString('utf8'), /^MIT License\n\nCopyright \(c\) \d{4} SDLC Lens contributors\n/);
    assert.match(entries.get('extension/changelog.md')!.read().toString('utf8'), /^## \[0\.1\.0\] - \d{4}-\d{2}-\d{2}$/m);
  });

  it('holds every file the manifest references, byte for byte', () => {
    const files = referencedFiles(PKG);
    // The walk finds the references that matter (so a rename of the manifest's keys cannot empty it).
    const steps = PKG.contributes.walkthroughs.flatMap((w: { steps: { media: Record<string, unknown> }[] }) => w.steps);
    assert.ok(steps.length >= 5);
    for (const f of [PKG.icon, 'media/sdlc-lens.svg', 'dist/extension.js', 'dist/cli.js', ...steps.map((s: { media: { markdown: string } }) => s.media.markdown)]) {
      assert.ok(files.has(f.replace(/^\.\//, '')), `the manifest walk missed ${f}`);
    }
    const missing = [...files].filter((f) => !inVsix(f));
    assert.deepEqual(missing, [], 'referenced by package.json but not in the .vsix');
    for (const f of files) {
      if (f.startsWith('dist/')) continue; // rebuilt by the package step itself
      assert.ok(entries.get(`extension/${f}`)!.read().equals(fs.readFileSync(path.join(REPO_ROOT, f))), `${f} differs from the repository's`);
    }
  });

  it('holds what the bundles load at run time (the worker, the CLI launcher\'s bundle and sql.js) and no sources, tests or maps', () => {
    for (const f of ['dist/engineWorker.js', 'dist/cli-main.js', 'dist/sql-wasm.wasm', 'dist/sql-wasm.js']) assert.ok(inVsix(f), f);
    const stray = [...entries.keys()].filter((n) => /^extension\/(src|test|bench|node_modules|sample|\.)|\.(map|ts)$/.test(n));
    assert.deepEqual(stray, []);
  });

  it("the walkthrough's steps have text and their images resolve in the package", () => {
    for (const w of PKG.contributes.walkthroughs) {
      for (const s of w.steps) {
        const text = entries.get(`extension/${s.media.markdown}`)!.read().toString('utf8');
        assert.ok(text.trim().length > 0, s.id);
        for (const img of images(text)) assert.ok(/^https:\/\//.test(img) || inVsix(path.posix.join(path.posix.dirname(s.media.markdown), img)), `${s.id}: ${img}`);
      }
    }
  });

  it("the README's images are https URLs to files of this repository", () => {
    const readme = entries.get('extension/readme.md')!.read().toString('utf8');
    const shown = images(readme);
    assert.ok(shown.length > 0, 'the README shows no image');
    const raw = `${REPO_URL}/raw/HEAD/`;
    for (const url of shown) {
      assert.ok(url.startsWith('https://'), `relative image ${url}: the Marketplace cannot resolve it`);
      if (url.startsWith(raw)) {
        const file = decodeURIComponent(url.slice(raw.length));
        assert.ok(fs.existsSync(path.join(REPO_ROOT, file)), `${url}: ${file} is not in the repository`);
      }
    }
    // The source README's own relative images exist too (they are what vsce rewrote).
    for (const img of images(fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8'))) {
      if (!/^https?:/.test(img)) assert.ok(fs.existsSync(path.join(REPO_ROOT, img)), img);
    }
  });
});
