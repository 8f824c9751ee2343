// Composition root: creates every part once, wires them together and owns every disposable.
// The engine (sql.js, sync, search index, API server) runs in a worker thread started on first use;
// everything here talks to it through the async client and never waits on its work.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EngineChange } from '../core/engine-api';
import { messageOf } from '../core/errors';
import { EngineClient } from '../core/worker/client';
import type { AsyncLensEngine } from '../core/worker/protocol';
import { ApiController } from './apiController';
import { apiToken } from './apiToken';
import { registerCommands } from './commands';
import { affectsApi, affectsAutoSync, readConfig } from './config';
import { watchDatabase } from './dbWatcher';
import { registerDashboard } from './dashboard';
import { boardsOf, registerBoard } from './board';
import { registerCompletion } from './completion';
import { registerStatus } from './status';
import { healthOf, registerHealth } from './health';
import { registerLinks } from './links';
import { createLog, type ExtensionLog } from './log';
import { registerRelated, type RelatedView } from './related';
import { registerSearch } from './search';
import { UiState } from './state';
import { StatusBar } from './statusBar';
import { renderStatus } from './statusModel';
import { SyncRunner } from './syncRunner';
import type { LensNode } from './tree/nodes';
import { ProjectsTree } from './tree/projectsTree';
import { ViewController } from './tree/viewController';
import { ViewState } from './tree/viewState';
import { ContextKeys } from './contextKeys';
import { offerDetectOnce } from './commands/offerDetect';
import { AutoSyncWatcher } from './watcher';
import { registerAgentTools, type AgentToolsInfo } from './tools';

/**
 * What another extension gets from activate() in an installed SDLC Lens: its version and when it is
 * ready. The engine, the database and the UI parts are not an API (agents reach the lens through its
 * language-model tools and MCP server).
 */
export interface LensPublicApi {
  readonly version: string;
  /** Resolves once the database is open and the UI shows it. */
  readonly ready: Promise<void>;
}

/**
 * Everything the integration tests and the extension-host benchmark look at: exported only when the
 * extension runs under development or test (extensionDevelopmentPath), never to other extensions.
 */
export interface LensExtensionApi {
  /** Resolves once the database is open and the UI shows it. */
  readonly ready: Promise<void>;
  /** The engine in its worker thread (every method async). */
  readonly engine: AsyncLensEngine;
  /** The worker's client: thread id, restarts. */
  readonly client: EngineClient;
  /** Absolute path of the database file (known once `ready`). */
  readonly dbPath: string | undefined;
  readonly tree: ProjectsTree;
  readonly treeView: vscode.TreeView<LensNode>;
  readonly store: UiState;
  readonly statusModel: { renderStatus: typeof renderStatus };
  readonly statusBar: StatusBar;
  readonly runner: SyncRunner;
  readonly api: ApiController;
  readonly watcher: AutoSyncWatcher;
  readonly log: ExtensionLog;
  /** The Projects view's grouping, filter and scope (per workspace). */
  readonly view: ViewState;
  readonly viewController: ViewController;
  /** The `when`-clause context keys, as last set. */
  readonly contextKeys: ContextKeys;
  /** The LogOutputChannel's file. */
  readonly logFile: vscode.Uri;
  /** The Related view (follows the active editor). */
  readonly related: RelatedView;
  /** The health model and Problems-panel diagnostics (undefined before registration). */
  readonly health: typeof healthOf;
  /** The agent tools: language-model tools and the MCP server definition, where VS Code has them. */
  readonly agentTools: AgentToolsInfo;
  /** The boards and their current models (undefined before registration). */
  readonly board: typeof boardsOf;
  /** activate()'s own time, entry to return (ms; the extension-host benchmark reads it). */
  readonly timings: { readonly activateMs: number };
}

let shutdown: (() => Promise<void>) | undefined;

const workspaceRoots = () => (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);

const showLogOn = (log: ExtensionLog) => (choice: string | undefined) => choice && log.show();

/**
 * Runs `task` now, or once more after the running one when asked again meanwhile (never two at
 * once). The promise resolves once a run that started after the call has finished.
 */
function coalesced(task: () => Promise<void>, onError: (e: unknown) => void): () => Promise<void> {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const go = (): Promise<void> => {
    if (queued) return queued;
    if (running) {
      queued = running.then(() => {
        queued = undefined;
        return go();
      });
      return queued;
    }
    running = task()
      .catch(onError)
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  return go;
}

export function activate(context: vscode.ExtensionContext): LensExtensionApi | LensPublicApi {
  const activateStart = performance.now();
  const log = createLog();
  const store = new UiState();
  const dist = path.join(context.extensionPath, 'dist');
  const client = new EngineClient({
    dataDir: context.globalStorageUri.fsPath,
    wasmPath: path.join(dist, 'sql-wasm.wasm'),
    workerFile: path.join(dist, 'engineWorker.js'),
    logger: log,
    onDidDie: (message) => {
      api.engineStopped(message);
      void vscode.window.showErrorMessage(`The SDLC Lens engine stopped: ${message}.`, 'Show Log').then(showLogOn(log));
    },
  });
  const engine = client.engine;
  let dbPath: string | undefined;
  const warn = (what: string) => (e: unknown) => log.warn(`${what}: ${messageOf(e)}`);

  const view = new ViewState(context.workspaceState);
  const tree = new ProjectsTree(engine, { settings: () => view.settings, workspaceRoots });
  const treeView = vscode.window.createTreeView('sdlcLens.projects', { treeDataProvider: tree, showCollapseAll: true });
  const contextKeys = new ContextKeys((key, value) => vscode.commands.executeCommand('setContext', key, value));
  const statusBar = new StatusBar(store);
  const watcher = new AutoSyncWatcher((slug, paths) => void runner.run(slug, { origin: 'auto', paths }), log);
  // One listProjects answers both the status bar and the auto-sync watchers.
  const refreshProjects = coalesced(async () => {
    const projects = await engine.listProjects();
    store.setProjects(projects);
    const cfg = readConfig().autoSync;
    watcher.update(cfg.enabled, cfg.debounceMs, projects);
  }, warn('reading the projects failed'));
  // A run's promise resolves once the status bar and the watchers show its outcome.
  const runner = new SyncRunner(engine, store, log, refreshProjects);
  const api = new ApiController(engine, store, log, String(context.extension.packageJSON.version ?? ''), (configured) => apiToken(context.secrets, configured));
  const commandCtx = { engine, tree, treeView, runner, api, log, store, view };
  const viewController = new ViewController(treeView, tree, view, store, contextKeys);

  const related = registerRelated(commandCtx);
  const agentTools = registerAgentTools({ engine, log, extensionPath: context.extensionPath, dataDir: context.globalStorageUri.fsPath, version: String(context.extension.packageJSON.version ?? ''), workspaceRoots });
  const status = registerStatus(commandCtx);
  context.subscriptions.push(
    log,
    tree,
    treeView,
    statusBar,
    runner,
    watcher,
    viewController,
    ...registerCommands(commandCtx),
    ...registerSearch(commandCtx),
    ...registerLinks(commandCtx),
    related,
    ...registerHealth(commandCtx),
    ...registerDashboard(commandCtx),
    ...agentTools.disposables,
    ...status.disposables,
    ...registerBoard(commandCtx, status.flow),
    ...registerCompletion(commandCtx),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsApi(e)) void api.apply();
      if (affectsAutoSync(e) && dbPath) void refreshProjects();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void api.apply()),
  );

  const onChange = (change: EngineChange) => {
    void refreshProjects();
    switch (change.kind) {
      case 'project':
        tree.refreshProject(change.slug, false).catch(warn('refreshing the tree failed'));
        break;
      case 'documents':
        tree.refreshProject(change.slug, change.paths ? { paths: change.paths, added: change.added, deleted: change.deleted } : true).catch(warn('refreshing the tree failed'));
        break;
      case 'removed':
      case 'reloaded':
        tree.refreshAll();
        break;
    }
  };

  const ready = (async () => {
    const info = await client.info();
    dbPath = info.dbPath;
    for (const w of info.warnings) {
      log.warn(w);
      void vscode.window.showWarningMessage(w, 'Show Log').then(showLogOn(log));
    }
    log.info(`Database ${info.dbPath} open (SDLC Lens ${info.version}, engine in worker thread ${client.threadId})`);
    context.subscriptions.push(
      { dispose: engine.onDidChange(onChange) },
      watchDatabase(info.dataFiles, engine, log, (message) => {
        void vscode.window.showErrorMessage(`SDLC Lens cannot read its database any more: ${message}`, 'Show Log').then(showLogOn(log));
      }),
      // A window whose extension host died mid-sync leaves its claim behind; clear it when the
      // user comes back to this window rather than showing "syncing" until the next restart.
      vscode.window.onDidChangeWindowState((w) => {
        if (w.focused) engine.resetStaleSyncs().catch(warn('checking for interrupted syncs failed'));
      }),
    );
    await refreshProjects();
    void api.apply();
    void offerDetectOnce(commandCtx, context.workspaceState).catch(warn('looking for unregistered projects failed'));
  })();
  ready.catch((err) => {
    const message = messageOf(err);
    log.error(`Cannot open the SDLC Lens database: ${message}`);
    void vscode.window.showErrorMessage(`SDLC Lens cannot open its database: ${message}`, 'Show Log').then(showLogOn(log));
  });

  shutdown = async () => {
    runner.dispose(); // aborts running syncs; engine.close() in the worker records `error` for them
    watcher.dispose();
    await api.dispose();
    await client.close();
  };

  const timings = { activateMs: 0 };
  const exported: LensExtensionApi = {
    ready,
    engine,
    client,
    get dbPath() {
      return dbPath;
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
    view,
    viewController,
    contextKeys,
    logFile: vscode.Uri.joinPath(context.logUri, 'SDLC Lens.log'),
    related,
    health: healthOf,
    agentTools: agentTools.info,
    board: boardsOf,
    timings,
  };
  timings.activateMs = performance.now() - activateStart;
  if (context.extensionMode !== vscode.ExtensionMode.Production) return exported;
  return { version: String(context.extension.packageJSON.version ?? ''), ready };
}

export async function deactivate(): Promise<void> {
  const s = shutdown;
  shutdown = undefined;
  await s?.();
}
