// Bundles the extension, the engine's worker thread and the CLI to CommonJS for Node 20, and ships
// sql.js's wasm beside them. The extension itself never bundles sql.js: the worker does.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  external: ['vscode'],
  // The engine looks for sql-wasm.wasm beside the bundle first; the node_modules fallback is for tests.
  logOverride: { 'require-resolve-not-external': 'silent' },
};

const entries = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' },
  // The whole engine (sql.js, sync, search index, API server) runs in this worker, off the host's thread.
  { entryPoints: ['src/core/worker/engineWorker.ts'], outfile: 'dist/engineWorker.js' },
  // `sdlc-lens` (dist/cli.js) is a launcher that loads the CLI's bundle with V8's code cache (src/cli/launch.ts)
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli-main.js' },
  { entryPoints: ['src/cli/launch.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

function copyWasm() {
  const src = require.resolve('sql.js/dist/sql-wasm.wasm');
  fs.mkdirSync('dist', { recursive: true });
  fs.copyFileSync(src, path.join('dist', 'sql-wasm.wasm'));
  // sql.js's script too: the engine loads it with MEMFS's file growth step changed (src/core/store/sqljs.ts)
  fs.copyFileSync(require.resolve('sql.js/dist/sql-wasm.js'), path.join('dist', 'sql-wasm.js'));
}

async function main() {
  copyWasm();
  if (watch) {
    for (const e of entries) {
      const ctx = await esbuild.context({ ...common, ...e });
      await ctx.watch();
    }
    return;
  }
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
  fs.chmodSync('dist/cli.js', 0o755);
}

main().catch((err) => {
  console.error(err.message || err);
  process.exit(1);
});
