// Builds what the harness runs: the packaged extension (.vsix) and the compiled extension-host test bundles.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HarnessError, ROOT, log, run } from './common';

export const VSIX = path.join(ROOT, 'dist', 'sdlc-lens.vsix');

/**
 * `npm run package` (esbuild bundle + vsce), or $SDLC_LENS_VSIX when set. The .vsix is copied into
 * `destDir` at once, so a later build in the same tree cannot change what this run installs.
 */
export async function packageExtension(destDir: string): Promise<string> {
  const prebuilt = process.env.SDLC_LENS_VSIX;
  if (prebuilt) {
    if (!fs.existsSync(prebuilt)) throw new HarnessError(`SDLC_LENS_VSIX=${prebuilt} does not exist`);
    log(`using the prebuilt $SDLC_LENS_VSIX=${prebuilt} (not packaged)`);
    return path.resolve(prebuilt);
  }
  const t0 = Date.now();
  log('packaging the extension (npm run package)');
  if (fs.existsSync(VSIX)) fs.rmSync(VSIX);
  await run('npm', ['run', '--silent', 'package'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const copy = path.join(destDir, path.basename(VSIX));
  try {
    fs.mkdirSync(destDir, { recursive: true });
    fs.copyFileSync(VSIX, copy);
  } catch (e) {
    throw new HarnessError(`npm run package did not produce ${VSIX}: ${String(e)}`);
  }
  log(`packaged ${path.relative(ROOT, VSIX)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return copy;
}

function findFiles(dir: string, suffix: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(suffix))
    .map((f) => path.join(dir, f))
    .sort();
}

/** esbuild options for code that runs in the extension host: `vscode` is the host's, mocha the project's. */
const HOST_BUNDLE: esbuild.BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
  // Code under test may locate its own assets (sql.js's wasm) with require.resolve: that is fine here.
  logOverride: { 'require-resolve-not-external': 'silent' },
};

/**
 * Compiles the extension-host code to CommonJS under `outDir` (each run its own folder, so that
 * parallel runs in one tree never share it):
 * integration/index.js (the mocha runner) and one bundle per test/integration/**\/*.spec.ts.
 */
export async function compileHostTests(outDir: string): Promise<{ runner: string; specs: string[] }> {
  const integrationSrc = path.join(ROOT, 'test', 'integration');
  const integrationOut = path.join(outDir, 'integration');
  fs.rmSync(outDir, { recursive: true, force: true });
  const specs = findFiles(integrationSrc, '.spec.ts');
  await esbuild.build({
    ...HOST_BUNDLE,
    entryPoints: [path.join(integrationSrc, 'index.ts'), ...specs],
    outdir: integrationOut,
    outbase: integrationSrc,
  });
  log(`compiled ${specs.length} integration spec file(s) to ${path.relative(ROOT, integrationOut)}`);
  return {
    runner: path.join(integrationOut, 'index.js'),
    specs: specs.map((s) => path.join(integrationOut, path.relative(integrationSrc, s)).replace(/\.ts$/, '.js')),
  };
}

/** Compiles test/harness/demo-setup.ts (run once in the extension host by `npm start`) to `outFile`. */
export async function compileDemoSetup(outFile: string): Promise<string> {
  await esbuild.build({ ...HOST_BUNDLE, entryPoints: [path.join(ROOT, 'test', 'harness', 'demo-setup.ts')], outfile: outFile });
  return outFile;
}
