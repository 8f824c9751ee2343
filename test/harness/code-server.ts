// code-server (VS Code 1.100.3 server + web workbench from npm): install on demand, start, stop.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import {
  EXTENSION_ID,
  HarnessError,
  TMP,
  VSCODE_TEST,
  capture,
  isRoot,
  log,
  onCleanup,
  onExitSync,
  run,
  which,
  withTimeout,
} from './common';

export const CODE_SERVER_VERSION = '4.100.3';
const INSTALL_DIR = path.join(VSCODE_TEST, 'code-server');
const MARKER = path.join(INSTALL_DIR, `.installed-${CODE_SERVER_VERSION}`);
const ENTRY = path.join(INSTALL_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
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

/** Node's own headers (e.g. /usr/include/node from the distro package), so node-gyp never downloads them. */
function localNodeDir(): string | undefined {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'common.gypi')) ? prefix : undefined;
}

/** The environment every npm/code-server process of the harness runs with (see the recipe). */
export function harnessEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  fs.mkdirSync(TMP, { recursive: true });
  const nodedir = process.env.npm_config_nodedir ?? localNodeDir();
  return {
    ...(nodedir ? { npm_config_nodedir: nodedir } : {}),
    ...process.env,
    TMPDIR: TMP,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

/** Installs code-server into .vscode-test/code-server once (marker file per version); returns its entry script. */
export async function ensureCodeServer(): Promise<string> {
  if (fs.existsSync(MARKER) && fs.existsSync(ENTRY)) return ENTRY;
  const t0 = Date.now();
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) throw new HarnessError(`code-server ${CODE_SERVER_VERSION} needs Node 20 (this is ${process.version})`);
  await ensureSystemPackages(SYSTEM_PACKAGES);
  log(`installing code-server@${CODE_SERVER_VERSION} into ${path.relative(process.cwd(), INSTALL_DIR)} (about 90 s, once)`);
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
    ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`],
    { cwd: INSTALL_DIR, env: harnessEnv() },
  );
  if (!fs.existsSync(ENTRY)) throw new HarnessError(`code-server install finished but ${ENTRY} is missing`);
  fs.writeFileSync(MARKER, new Date().toISOString());
  log(`code-server installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return ENTRY;
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

function profileEnv(p: Profile, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return harnessEnv({ XDG_CONFIG_HOME: p.xdgConfig, XDG_DATA_HOME: p.xdgData, ...extra });
}

function profileArgs(p: Profile): string[] {
  return ['--user-data-dir', p.userData, '--extensions-dir', p.extensions];
}

/** Installs a .vsix into `extensionsDir`; returns the folder the extension was unpacked to. */
export async function installVsix(p: Profile, vsix: string, extensionsDir = p.extensions): Promise<string> {
  const entry = await ensureCodeServer();
  await capture(
    process.execPath,
    [entry, '--user-data-dir', p.userData, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'],
    { env: profileEnv(p, {}) },
  );
  const found = fs.readdirSync(extensionsDir).filter((d) => d.startsWith(`${EXTENSION_ID}-`));
  if (found.length !== 1) {
    throw new HarnessError(`installed ${vsix} but found ${found.length} ${EXTENSION_ID}-* folders in ${extensionsDir}`);
  }
  return path.join(extensionsDir, found[0]);
}

/** Installs another .vsix into the profile's extensions (loaded beside the one under test, e.g. bench/probe-extension). */
export async function installExtraVsix(p: Profile, vsix: string): Promise<void> {
  const entry = await ensureCodeServer();
  await capture(process.execPath, [entry, ...profileArgs(p), '--install-extension', vsix, '--force'], { env: profileEnv(p, {}) });
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
  opts: { port?: number; env?: NodeJS.ProcessEnv; logFile: string; timeoutMs?: number },
): Promise<Server> {
  const entry = await ensureCodeServer();
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
    ...profileArgs(p),
  ];
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const logStream = fs.createWriteStream(opts.logFile);
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: profileEnv(p, opts.env ?? {}),
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
