// Loads sql.js once per process, from an explicit wasm file (a .vsix ships no node_modules).
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | undefined;

/** The wasm beside the bundle (dist/sql-wasm.wasm), else the one in node_modules (tests, tsx). */
export function defaultWasmPath(): string {
  const besideBundle = path.join(__dirname, 'sql-wasm.wasm');
  if (fs.existsSync(besideBundle)) return besideBundle;
  return require.resolve('sql.js/dist/sql-wasm.wasm');
}

/** One sql.js per process is enough: the first caller's wasm is used by every later engine. */
export function loadSqlJs(wasmPath?: string): Promise<SqlJsStatic> {
  if (loading) return loading;
  loading = fs.promises
    .readFile(wasmPath ?? defaultWasmPath())
    .then((b) => initSqlJs({ wasmBinary: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer }));
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
