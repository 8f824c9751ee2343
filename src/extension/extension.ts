// Composition root: creates every part once, wires them together and owns every disposable.
// The database (sql.js) opens in the background; the tree and commands await it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Engine } from '../core/engine';
import type { EngineChange, LensEngine } from '../core/engine-api';
import { messageOf } from '../core/errors';
import { ApiController } from './apiController';
import { registerCommands } from './commands';
import { affectsApi, affectsAutoSync, readConfig } from './config';
import { watchDatabase } from './dbWatcher';
import { createLog, type ExtensionLog } from './log';
import { StateStore } from './state';
import { StatusBar } from './statusBar';
import { renderStatus } from './statusModel';
import { SyncRunner } from './syncRunner';
import type { LensNode } from './tree/nodes';
import { ProjectsTree } from './tree/projectsTree';
import { AutoSyncWatcher } from './watcher';

/** What activate() returns: the extension's exports, used by the integration tests. */
export interface LensExtensionApi {
  /** Resolves once the database is open and the UI shows it. */
  readonly ready: Promise<void>;
  readonly engine: LensEngine | undefined;
  readonly tree: ProjectsTree;
  readonly treeView: vscode.TreeView<LensNode>;
  readonly store: StateStore;
  readonly statusModel: { renderStatus: typeof renderStatus };
  readonly statusBar: StatusBar;
  readonly runner: SyncRunner;
  readonly api: ApiController;
  readonly watcher: AutoSyncWatcher;
  readonly log: ExtensionLog;
  /** The LogOutputChannel's file. */
  readonly logFile: vscode.Uri;
}

let shutdown: (() => Promise<void>) | undefined;

async function openEngine(context: vscode.ExtensionContext, log: ExtensionLog): Promise<Engine> {
  const dataDir = context.globalStorageUri.fsPath;
  // Loaded here, not at the top: sql.js stays off activation's critical path.
  const { Engine } = await import('../core/engine');
  const engine = await Engine.open({ dataDir, wasmPath: path.join(context.extensionPath, 'dist', 'sql-wasm.wasm'), logger: log });
  for (const w of engine.warnings) {
    log.warn(w);
    void vscode.window.showWarningMessage(`SDLC Lens: ${w}`, 'Show Log').then((c) => c && log.show());
  }
  log.info(`Database ${engine.dbPath} open (SDLC Lens ${engine.version})`);
  return engine;
}

export function activate(context: vscode.ExtensionContext): LensExtensionApi {
  const log = createLog();
  const store = new StateStore();
  const engineP = openEngine(context, log);
  let engine: Engine | undefined;

  const tree = new ProjectsTree(engineP);
  const treeView = vscode.window.createTreeView('sdlcLens.projects', { treeDataProvider: tree, showCollapseAll: true });
  const statusBar = new StatusBar(store);
  const runner = new SyncRunner(engineP, store, log);
  const api = new ApiController(engineP, store, log, String(context.extension.packageJSON.version ?? ''));
  const watcher = new AutoSyncWatcher((slug) => void runner.run(slug, { origin: 'auto' }), log);
  const commandCtx = { engine: engineP, tree, treeView, runner, api, log, store };

  const syncWatchers = () => {
    if (!engine) return;
    const cfg = readConfig().autoSync;
    watcher.update(cfg.enabled, cfg.debounceMs, engine.listProjects());
  };

  context.subscriptions.push(
    log,
    tree,
    treeView,
    statusBar,
    runner,
    watcher,
    ...registerCommands(commandCtx),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsApi(e)) void api.apply();
      if (affectsAutoSync(e)) syncWatchers();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void api.apply()),
  );

  const onChange = (change: EngineChange) => {
    if (!engine) return;
    store.setProjects(engine.listProjects());
    switch (change.kind) {
      case 'project':
        tree.refreshProject(change.slug, false);
        break;
      case 'documents':
        tree.refreshProject(change.slug, true);
        break;
      case 'removed':
      case 'reloaded':
        tree.refreshAll();
        break;
    }
    if (change.kind !== 'documents') syncWatchers();
  };

  const ready = engineP.then(
    (e) => {
      engine = e;
      const unsubscribe = e.onDidChange(onChange);
      context.subscriptions.push(
        { dispose: unsubscribe },
        watchDatabase(e, log),
        // A window whose extension host died mid-sync leaves its claim behind; clear it when the
        // user comes back to this window rather than showing "syncing" until the next restart.
        vscode.window.onDidChangeWindowState((w) => {
          if (w.focused) e.resetStaleSyncs().catch((err) => log.warn(`checking for interrupted syncs failed: ${messageOf(err)}`));
        }),
      );
      store.setProjects(e.listProjects());
      syncWatchers();
      void api.apply();
    },
    (err) => {
      const message = messageOf(err);
      log.error(`Cannot open the SDLC Lens database: ${message}`);
      void vscode.window.showErrorMessage(`SDLC Lens: cannot open its database: ${message}`, 'Show Log').then((c) => c && log.show());
      throw err;
    },
  );
  ready.catch(() => undefined);

  shutdown = async () => {
    runner.dispose(); // aborts running syncs; engine.close() records `error` for them
    watcher.dispose();
    await api.dispose();
    const e = engine ?? (await engineP.catch(() => undefined));
    await e?.close();
  };

  return {
    ready,
    get engine() {
      return engine;
    },
    tree,
    treeView,
    store,
    statusModel: { renderStatus },
    statusBar,
    runner,
    api,
    watcher,
    log,
    logFile: vscode.Uri.joinPath(context.logUri, 'SDLC Lens.log'),
  };
}

export async function deactivate(): Promise<void> {
  const s = shutdown;
  shutdown = undefined;
  await s?.();
}
