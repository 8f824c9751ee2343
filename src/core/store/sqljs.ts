// Loads sql.js once per process, from an explicit wasm file (a .vsix ships no node_modules).
//
// sql.js keeps the database file in Emscripten's in-memory file system (MEMFS), which grows a
// file's buffer by only 1.125× once it is past 1 MiB and copies the whole file at every step: a
// database that grows to N bytes in one sync is copied ~9·N bytes, the largest single cost of a
// cold sync (measured: 2.5× the CPU of inserting 10k documents). The loader therefore evaluates
// sql.js's own script with that one factor changed to 2× (the factor MEMFS already uses below
// 1 MiB; the unused tail of a buffer is never touched, so it costs address space, not memory).
// Anything unexpected (script not found, the pattern not there exactly once) falls back to the
// unchanged bundled module: slower, never different.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

type InitSqlJs = typeof initSqlJs;

let loading: Promise<SqlJsStatic> | undefined;

/** The wasm beside the bundle (dist/sql-wasm.wasm), else the one in node_modules (tests, tsx). */
export function defaultWasmPath(): string {
  const besideBundle = path.join(__dirname, 'sql-wasm.wasm');
  if (fs.existsSync(besideBundle)) return besideBundle;
  return require.resolve('sql.js/dist/sql-wasm.wasm');
}

/** MEMFS's growth step in the minified script: `<cap>*(<cap><1048576?2:1.125)`. */
const MEMFS_GROWTH = /\b([A-Za-z_$][\w$]*)\*\(\1<1048576\?2:1\.125\)/g;

/** sql.js's script with MEMFS growing by 2×; null when the script does not have exactly one growth step. */
export function patchMemfsGrowth(source: string): string | null {
  const found = source.match(MEMFS_GROWTH);
  if (!found || found.length !== 1) return null;
  return source.replace(MEMFS_GROWTH, '$1*2');
}

function scriptPath(): string | null {
  const besideBundle = path.join(__dirname, 'sql-wasm.js');
  if (fs.existsSync(besideBundle)) return besideBundle;
  try {
    return require.resolve('sql.js/dist/sql-wasm.js');
  } catch {
    return null;
  }
}

/** Whether the loaded sql.js grows its files by 2× (false: the unchanged module). */
export let memfsGrowthPatched = false;

function loadFactory(): InitSqlJs {
  const file = scriptPath();
  if (!file) return initSqlJs;
  try {
    const patched = patchMemfsGrowth(fs.readFileSync(file, 'utf8'));
    if (patched === null) return initSqlJs;
    const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${patched}\n})`, {
      filename: file,
    }) as (e: object, r: NodeRequire, m: { exports: unknown }, f: string, d: string) => void;
    const mod: { exports: unknown } = { exports: {} };
    wrapper(mod.exports as object, require, mod, file, path.dirname(file));
    if (typeof mod.exports !== 'function') return initSqlJs;
    memfsGrowthPatched = true;
    return mod.exports as InitSqlJs;
  } catch {
    return initSqlJs;
  }
}

/** One sql.js per process is enough: the first caller's wasm is used by every later engine. */
export function loadSqlJs(wasmPath?: string): Promise<SqlJsStatic> {
  if (loading) return loading;
  const init = loadFactory();
  loading = fs.promises
    .readFile(wasmPath ?? defaultWasmPath())
    .then((b) => init({ wasmBinary: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer }));
  loading.catch(() => {
    loading = undefined;
    memfsGrowthPatched = false;
  });
  return loading;
}
