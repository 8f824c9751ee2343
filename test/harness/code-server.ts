// code-server (VS Code server + web workbench from npm) for the selected VS Code version
// (vscode-versions.ts): install on demand with the Node it needs, start, stop.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import {
  EXTENSION_ID,
  HarnessError,
  TMP,
  capture,
  isRoot,
  log,
  onCleanup,
  onExitSync,
  run,
  which,
  withTimeout,
} from './common';
import { ensureNode, target, type NodeRuntime } from './vscode-versions';

const installDir = () => target().installDir;
const marker = () => path.join(installDir(), `.installed-${target().codeServer}`);
const entryScript = () => path.join(installDir(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
// @vscode/ripgrep (a code-server dependency) downloads rg from GitHub unless its cache already holds it.
const RG_CACHE = path.join(TMP, 'vscode-ripgrep-cache-1.15.11');
const RG_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

/** Debian packages the harness needs: [package, probe]. */
const SYSTEM_PACKAGES: Array<[string, () => boolean]> = [
  ['ripgrep', () => !!which('rg')],
  ['libkrb5-dev', () => !!which('krb5-config')],
  ['build-essential', () => !!which('make') && !!which('g++')],
  ['python3', () => !!which('python3')],
];

/** Installs missing Debian packages with apt when root; otherwise stops with the exact command to run. */
export async function ensureSystemPackages(packages: Array<[string, () => boolean]>): Promise<void> {
  const missing = packages.filter(([, ok]) => !ok()).map(([name]) => name);
  if (!missing.length) return;
  const cmd = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (!isRoot()) throw new HarnessError(`missing system packages: ${missing.join(', ')}. Run:\n  sudo sh -c '${cmd}'`);
  log(`installing system packages: ${missing.join(' ')}`);
  await run('sh', ['-c', cmd], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/**
 * The environment every npm/code-server process of the harness runs with (see the recipe): the
 * target's Node first on PATH (npm's scripts and node-gyp run on it) and its headers as
 * npm_config_nodedir, so native modules build for it and node-gyp never downloads headers.
 */
export function harnessEnv(rt: NodeRuntime, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  fs.mkdirSync(TMP, { recursive: true });
  // The harness's own Node keeps a nodedir the caller set; a pinned Node always uses its own headers.
  const own = rt.bin === process.execPath;
  const nodedir = own ? (process.env.npm_config_nodedir ?? rt.nodedir) : rt.nodedir;
  const inherited = { ...process.env };
  // What `npm run`/`npx` tell their children about *their* Node: an npm started here would take it
  // as its own (code-server's postinstall reads the Node version from npm_config_user_agent).
  if (!own) for (const k of ['npm_config_user_agent', 'npm_node_execpath', 'NODE']) delete inherited[k];
  return {
    ...inherited,
    ...(nodedir ? { npm_config_nodedir: nodedir } : {}),
    PATH: [path.dirname(rt.bin), process.env.PATH].filter(Boolean).join(path.delimiter),
    TMPDIR: TMP,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

export interface CodeServerInstall {
  /** code-server's entry script, run with `node.bin`. */
  entry: string;
  node: NodeRuntime;
}

/**
 * Installs the target's code-server into its folder under .vscode-test/ once (marker file per
 * version), with the Node it needs; returns its entry script and that Node.
 */
export async function ensureCodeServer(): Promise<CodeServerInstall> {
  const t = target();
  const node = await ensureNode(t);
  const ENTRY = entryScript();
  const INSTALL_DIR = installDir();
  if (fs.existsSync(marker()) && fs.existsSync(ENTRY)) return { entry: ENTRY, node };
  const t0 = Date.now();
  await ensureSystemPackages(SYSTEM_PACKAGES);
  log(`installing code-server@${t.codeServer} into ${path.relative(process.cwd(), INSTALL_DIR)} (a few minutes, once)`);
  fs.mkdirSync(RG_CACHE, { recursive: true });
  const archive = path.join(RG_CACHE, RG_ARCHIVE);
  if (!fs.existsSync(archive)) {
    const rg = which('rg')!;
    await run('tar', ['czf', archive, '-C', path.dirname(fs.realpathSync(rg)), path.basename(fs.realpathSync(rg))]);
  }
  fs.mkdirSync(INSTALL_DIR, { recursive: true });
  for (const f of fs.readdirSync(INSTALL_DIR)) if (f.startsWith('.installed-')) fs.rmSync(path.join(INSTALL_DIR, f));
  // Its own package.json so the install never touches the project's node_modules or lockfile.
  fs.writeFileSync(
    path.join(INSTALL_DIR, 'package.json'),
    JSON.stringify({ name: 'sdlc-lens-code-server', private: true, description: 'installed by test/harness' }, null, 2),
  );
  await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', `code-server@${t.codeServer}`],
    { cwd: INSTALL_DIR, env: harnessEnv(node) },
  );
  if (!fs.existsSync(ENTRY)) throw new HarnessError(`code-server install finished but ${ENTRY} is missing`);
  fs.writeFileSync(marker(), new Date().toISOString());
  log(`code-server installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { entry: ENTRY, node };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** The directories one code-server instance owns. */
export interface Profile {
  userData: string;
  extensions: string;
  xdgConfig: string;
  xdgData: string;
}

export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'window.restoreWindows': 'none',
  // 1.139 opens the Chat view in a secondary side bar: it narrows the editor (the walkthrough then
  // hides its media column) and is no part of what the tests look at. Unknown keys to 1.100.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
};

/** Creates the profile folders and seeds user settings (merged over an existing file). */
export function makeProfile(dir: string, settings: Record<string, unknown> = {}): Profile {
  const p: Profile = {
    userData: path.join(dir, 'user-data'),
    extensions: path.join(dir, 'extensions'),
    xdgConfig: path.join(dir, 'xdg-config'),
    xdgData: path.join(dir, 'xdg-data'),
  };
  for (const d of Object.values(p)) fs.mkdirSync(d, { recursive: true });
  const file = path.join(p.userData, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const existing = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_SETTINGS, ...existing, ...settings }, null, 2));
  return p;
}

function profileEnv(rt: NodeRuntime, p: Profile, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return harnessEnv(rt, { XDG_CONFIG_HOME: p.xdgConfig, XDG_DATA_HOME: p.xdgData, ...extra });
}

function profileArgs(p: Profile): string[] {
  return ['--user-data-dir', p.userData, '--extensions-dir', p.extensions];
}

/** Installs a .vsix into `extensionsDir`; returns the folder the extension was unpacked to. */
export async function installVsix(p: Profile, vsix: string, extensionsDir = p.extensions): Promise<string> {
  const { entry, node } = await ensureCodeServer();
  await capture(
    node.bin,
    [entry, '--user-data-dir', p.userData, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'],
    { env: profileEnv(node, p, {}) },
  );
  const found = fs.readdirSync(extensionsDir).filter((d) => d.startsWith(`${EXTENSION_ID}-`));
  if (found.length !== 1) {
    throw new HarnessError(`installed ${vsix} but found ${found.length} ${EXTENSION_ID}-* folders in ${extensionsDir}`);
  }
  return path.join(extensionsDir, found[0]);
}

/** Installs another .vsix into the profile's extensions (loaded beside the one under test, e.g. bench/probe-extension). */
export async function installExtraVsix(p: Profile, vsix: string): Promise<void> {
  const { entry, node } = await ensureCodeServer();
  await capture(node.bin, [entry, ...profileArgs(p), '--install-extension', vsix, '--force'], { env: profileEnv(node, p, {}) });
}

export interface Server {
  url: string;
  host: string;
  port: number;
  logFile: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts code-server detached in its own process group and resolves when it listens.
 * `stop()` (also registered as cleanup) signals the whole group: server, extension hosts, ptyHost, watcher.
 */
export async function startCodeServer(
  p: Profile,
  opts: {
    port?: number;
    env?: NodeJS.ProcessEnv;
    logFile: string;
    timeoutMs?: number;
    /** The server loads tests through the workbench URL's payload (see VsCodeTarget.testLoaderArgs). */
    loadsTests?: boolean;
  },
): Promise<Server> {
  const { entry, node } = await ensureCodeServer();
  const port = opts.port ?? (await freePort());
  const args = [
    entry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(opts.loadsTests ? target().testLoaderArgs : []),
    ...profileArgs(p),
  ];
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const logStream = fs.createWriteStream(opts.logFile);
  const child = spawn(node.bin, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: profileEnv(node, p, opts.env ?? {}),
  });
  const pid = child.pid!;
  const unregister = onExitSync(() => killGroup(pid, 'SIGKILL'));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) killGroup(pid, 'SIGTERM');
    try {
      await withTimeout(exited, 5000, 'code-server to exit');
    } catch {
      killGroup(pid, 'SIGKILL');
      await exited;
    }
    // Children of the group (extension host, ptyHost) may outlive the leader by a moment.
    killGroup(pid, 'SIGKILL');
    unregister();
    logStream.end();
  };
  onCleanup(stop);
  child.stdout!.pipe(logStream, { end: false });
  child.stderr!.pipe(logStream, { end: false });
  const ready = new Promise<void>((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('HTTP server listening on')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, sig) =>
      reject(new HarnessError(`code-server exited early (${sig ?? code}); log: ${opts.logFile}\n${buf.slice(-2000)}`)),
    );
  });
  try {
    await withTimeout(ready, opts.timeoutMs ?? 60_000, `code-server to listen on port ${port} (log: ${opts.logFile})`);
  } catch (e) {
    await stop();
    throw e;
  }
  const host = `127.0.0.1:${port}`;
  log(`code-server ready on http://${host} (pid ${pid})`);
  return { url: `http://${host}`, host, port, logFile: opts.logFile, child, stop };
}

/** The workbench URL for a folder, with development/test paths passed through the `payload` parameter. */
export function workbenchUrl(
  server: Server,
  folder: string,
  payload: { extensionDevelopmentPath?: string; extensionTestsPath?: string } = {},
): string {
  const remote = (p: string) => `vscode-remote://${server.host}${p}`;
  const pairs: Array<[string, string]> = [];
  if (payload.extensionDevelopmentPath) pairs.push(['extensionDevelopmentPath', remote(payload.extensionDevelopmentPath)]);
  if (payload.extensionTestsPath) pairs.push(['extensionTestsPath', remote(payload.extensionTestsPath)]);
  pairs.push(['skipWelcome', 'true']);
  return `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(pairs))}`;
}
