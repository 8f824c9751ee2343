// `sdlc-lens`, the command users run (dist/cli.js): loads the CLI's bundle (dist/cli-main.js) with
// V8's code cache, so a new process does not parse and compile the 1.8 MB bundle's start-up code
// again (Node 20 has no module.enableCompileCache). `sdlc-lens projects` on 2,352 documents: 160 →
// 143 ms (median of 15 alternating runs). The cache is one file per bundle (its size and mtime in
// the name) and Node in the user's own cache folder (XDG_CACHE_HOME or ~/.cache, ~/Library/Caches,
// %LOCALAPPDATA%), read only from a folder that only the user can write; V8 itself rejects a cache
// made with other flags or for a source of another length, and then it is written again. Caches of
// other bundles not started for a week are removed. Written after the bundle's top level ran and before the command runs: the command
// may change V8's flags (cli/wasmTier.ts), and a cache made after that is rejected at the next
// start. Anything unexpected (no cache folder, a damaged file) only means no cache.
// SDLC_LENS_COMPILE_CACHE=0 turns it off. Nothing from src/ is imported: this is the whole launcher.
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

const BUNDLE = path.join(__dirname, 'cli-main.js');
const PREFIX = 'cli-main-';
/** A cache not written or used for this long belongs to a bundle or Node no longer run. */
const STALE_MS = 7 * 24 * 3600 * 1000;

/** The user's cache folder for SDLC Lens, or null (turned off, or no place for it). */
export function cacheFolder(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.SDLC_LENS_COMPILE_CACHE === '0') return null;
  if (process.platform === 'win32') return env.LOCALAPPDATA ? path.join(env.LOCALAPPDATA, 'sdlc-lens', 'Cache') : null;
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'sdlc-lens');
  return path.join(env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(home, '.cache'), 'sdlc-lens');
}

/** Whether a folder is the user's own: created by them, writable by nobody else (POSIX). */
function ownFolder(dir: string): boolean {
  const st = fs.statSync(dir);
  if (!st.isDirectory()) return false;
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return true;
  return st.uid === process.getuid() && (st.mode & 0o022) === 0;
}

function readCache(file: string): Buffer | undefined {
  try {
    return ownFolder(path.dirname(file)) ? fs.readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(file: string, data: Buffer): void {
  const dir = path.dirname(file);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ownFolder(dir)) return;
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, file);
    // caches of other bundles or Nodes not started for a week (two installed versions keep theirs)
    const stale = Date.now() - STALE_MS;
    for (const f of fs.readdirSync(dir)) {
      const other = path.join(dir, f);
      if (f.startsWith(PREFIX) && f.endsWith('.v8') && other !== file && fs.statSync(other).mtimeMs < stale) fs.rmSync(other, { force: true });
    }
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing more to do: the next start compiles without a cache
    }
  }
}

/** Marks a cache as in use (its mtime), at most once a day: what STALE_MS measures. */
function touchDaily(file: string): void {
  try {
    const now = Date.now();
    if (now - fs.statSync(file).mtimeMs > 24 * 3600 * 1000) fs.utimesSync(file, new Date(now), new Date(now));
  } catch {
    // an unused mark only means the cache may be removed a week early
  }
}

/** Evaluates the bundle as Node would, with the cache when there is one; returns its exports. */
export function loadBundle(bundle: string = BUNDLE, folder: string | null = cacheFolder()): Record<string, unknown> {
  let source = fs.readFileSync(bundle, 'utf8');
  if (source.startsWith('#!')) source = `//${source.slice(2)}`; // a shebang is not JavaScript inside the wrapper
  let file: string | null = null;
  if (folder) {
    const st = fs.statSync(bundle);
    file = path.join(folder, `${PREFIX}${st.size}-${Math.floor(st.mtimeMs)}-${process.version}-${process.arch}.v8`);
  }
  const cachedData = file ? readCache(file) : undefined;
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  const mod = new Module(bundle);
  mod.filename = bundle;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(bundle));
  const wrapper = script.runInThisContext() as (e: unknown, r: NodeRequire, m: Module, f: string, d: string) => void;
  wrapper.call(mod.exports, mod.exports, Module.createRequire(bundle), mod, bundle, path.dirname(bundle));
  mod.loaded = true;
  if (file && (cachedData === undefined || script.cachedDataRejected)) writeCache(file, script.createCachedData());
  else if (file) touchDaily(file);
  return mod.exports as Record<string, unknown>;
}

if (require.main === module) (loadBundle() as { runCommandLine: () => void }).runCommandLine();
