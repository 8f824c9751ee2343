// Helpers shared by the extension's integration specs (bundled into each spec by the harness).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EngineChange } from '../../../src/core/engine-api';
import { isSyncRelevantPath, SOURCE_CONFIG_FILES } from '../../../src/core/sync/rules';
import type { AsyncLensEngine } from '../../../src/core/worker/protocol';
import { selfIdentity } from '../../../src/core/store/processIdentity';
import type { LensExtensionApi } from '../../../src/extension/extension';
import type { State } from '../../../src/extension/statusModel';
import type { LensNode } from '../../../src/extension/tree/nodes';

export const EXTENSION_ID = 'sdlc-lens.sdlc-lens';
/**
 * A corpus path the harness passes in (test/harness/common.ts corpusEnv(); no path is assumed here):
 * SDLC_LENS_TEST_SAMPLE, the repository's sample project, always; SDLC_LENS_TEST_CORPUS, the real lens
 * corpus, only when the shared material is beside the checkout.
 */
function corpusEnv(name: 'SDLC_LENS_TEST_SAMPLE' | 'SDLC_LENS_TEST_CORPUS'): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run the specs through npm run test:integration)`);
  return v;
}

/** True when the harness passed the real lens corpus (the shared material exists). */
export const hasLensCorpus = (): boolean => !!process.env.SDLC_LENS_TEST_CORPUS;

/** The activated extension's exports, once its database is open. */
export async function lens(): Promise<LensExtensionApi> {
  const ext = vscode.extensions.getExtension<LensExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  const api = await ext.activate();
  await within(api.ready, 20_000, 'the database to open');
  // Specs register projects in temp folders outside the workspace: show every project.
  if (api.view.settings.scope !== 'all') await vscode.commands.executeCommand('sdlcLens.showAllProjects');
  return api;
}

/** Rejects when `p` has not settled after `ms`. */
export function within<T>(p: PromiseLike<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    Promise.resolve(p).finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

/**
 * Copies a corpus into a fresh temp folder: returns `<tmp>/<project>/sdlc-studio`. `sample` is the
 * repository's Harbor project (always there); `lens` needs the shared material (see hasLensCorpus).
 */
export function copyCorpus(which: 'sample' | 'lens', project: string = which): string {
  const src = which === 'lens' ? corpusEnv('SDLC_LENS_TEST_CORPUS') : corpusEnv('SDLC_LENS_TEST_SAMPLE');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-it-'));
  const dest = path.join(root, project, 'sdlc-studio');
  fs.cpSync(src, dest, { recursive: true });
  return fs.realpathSync(dest);
}

/** Number of documents a full sync stores (the files the walk reads, by core's own rule). */
export function countDocs(dir: string): number {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => isSyncRelevantPath(f) && !SOURCE_CONFIG_FILES.includes(f))
    .length;
}

/** Removes every registered project (each suite starts from an empty database). */
export async function removeAllProjects(api: { engine: AsyncLensEngine }): Promise<void> {
  for (const p of await api.engine.listProjects()) await api.engine.deleteProject(p.slug);
}

/** Resolves with the first engine change matching `pred`. */
export function nextChange(engine: Pick<AsyncLensEngine, 'onDidChange'>, pred: (c: EngineChange) => boolean, ms = 15_000): Promise<EngineChange> {
  let off: () => void = () => undefined;
  const p = new Promise<EngineChange>((resolve) => {
    off = engine.onDidChange((c) => {
      if (pred(c)) resolve(c);
    });
  });
  return within(p, ms, 'an engine change').finally(() => off());
}

/** Resolves with the first State matching `pred` (checks the current one first). */
export function stateWhere(api: LensExtensionApi, pred: (s: State) => boolean, ms = 15_000): Promise<State> {
  if (pred(api.store.state)) return Promise.resolve(api.store.state);
  let sub: { dispose(): void } | undefined;
  const p = new Promise<State>((resolve) => {
    sub = api.store.onDidChange((s) => {
      if (pred(s)) resolve(s);
    });
  });
  return within(p, ms, 'a state').finally(() => sub?.dispose());
}

export async function register(folder: string, name: string) {
  return vscode.commands.executeCommand<import('../../../src/core/types').Project | undefined>(
    'sdlcLens.registerProject',
    vscode.Uri.file(folder),
    name,
  );
}

/** Tree items of the children of `node` (the root when undefined). */
export async function children(api: LensExtensionApi, node?: LensNode): Promise<{ node: LensNode; item: vscode.TreeItem }[]> {
  const nodes = await api.tree.getChildren(node);
  return Promise.all(nodes.map(async (n) => ({ node: n, item: await api.tree.getTreeItem(n) })));
}

export function iconOf(item: vscode.TreeItem): { id: string; color?: string } {
  const icon = item.iconPath;
  if (!(icon instanceof vscode.ThemeIcon)) throw new Error(`not a ThemeIcon: ${String(icon)}`);
  return { id: icon.id, color: colorId(icon.color) };
}

export const labelOf = (item: vscode.TreeItem): string =>
  typeof item.label === 'string' ? item.label : item.label?.label ?? '';

/** Runs `command` and keeps accepting the quick input it opens until the command resolves. */
export async function runAccepting<T>(command: string, ...args: unknown[]): Promise<T> {
  let settled = false;
  const result = vscode.commands.executeCommand<T>(command, ...args);
  const done = Promise.resolve(result).finally(() => {
    settled = true;
  });
  const deadline = Date.now() + 15_000;
  while (!settled && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return within(done, 1_000, `${command} to finish after accepting its prompt`);
}

/** ThemeColor's id (present at runtime; not declared by @types/vscode 1.90). */
export const colorId = (c: unknown): string | undefined => (c as { id?: string } | undefined)?.id;

/** Resolves once `pred()` holds (checked every 50 ms); rejects after `ms`. For effects with no event. */
export async function until(pred: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Takes the database's write lock the way another live writer would (the lock file naming this
 * process), so the engine's next write waits in its lock loop until release(): a sync held open on
 * a real condition, not on its speed. Throws if a writer holds the lock right now.
 */
export function holdDatabaseLock(api: { dbPath?: string }): { release(): void } {
  const lock = `${api.dbPath}.lock`;
  fs.writeFileSync(lock, JSON.stringify({ ...selfIdentity(), at: Date.now() }), { flag: 'wx' });
  let held = true;
  return {
    release() {
      if (held) fs.rmSync(lock, { force: true });
      held = false;
    },
  };
}
