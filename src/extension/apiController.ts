// Starts/stops the local REST API over the extension's own engine, following the `sdlcLens.api.*`
// settings (restart on change, no reload) and workspace trust (never in Restricted Mode).
// The server itself runs in the engine's worker thread; this class only decides when.
import * as vscode from 'vscode';
import { messageOf } from '../core/errors';
import type { ApiServerInfo, AsyncLensEngine } from '../core/worker/protocol';
import { readConfig } from './config';
import type { ExtensionLog } from './log';
import type { UiState } from './state';

type ApiEngine = Pick<AsyncLensEngine, 'startApiServer' | 'stopApiServer'>;

export class ApiController implements vscode.Disposable {
  private server: ApiServerInfo | undefined;
  private key = '';
  private serverToken: string | undefined;
  /** Started by the command although the setting is off: keep it up across config changes. */
  private manual = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly engine: ApiEngine,
    private readonly store: UiState,
    private readonly log: ExtensionLog,
    private readonly version: string,
    /** The token for a server: the setting's, else the one kept in SecretStorage (apiToken.ts). */
    private readonly tokenFor: (configured: string) => Promise<string>,
  ) {}

  get url(): string | undefined {
    const api = this.store.state.api;
    return api.status === 'running' ? api.url : undefined;
  }

  /** The running server's token (every mutating request must send it). */
  get token(): string | undefined {
    return this.url ? this.serverToken : undefined;
  }

  /** Brings the server in line with the settings (called at activation, on config/trust change). */
  apply(): Promise<void> {
    return this.serial(async () => {
      const cfg = readConfig().api;
      const want = (cfg.enabled || this.manual) && vscode.workspace.isTrusted;
      const key = `${cfg.port}\u0000${cfg.token}`;
      if (!want) return this.doStop();
      if (this.server && key === this.key) return;
      await this.doStop();
      await this.doStart(false);
    });
  }

  /** "Start API Server": starts now (also when the setting is off). Resolves to the URL, or undefined. */
  start(): Promise<string | undefined> {
    return this.serial(async () => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage('The API server is not available in Restricted Mode.', { detail: 'Trust this workspace to start it.' } as vscode.MessageOptions);
        return undefined;
      }
      this.manual = true;
      if (this.server) {
        void vscode.window.showInformationMessage(`The API server is already running at ${this.url}.`);
        return this.url;
      }
      return this.doStart(true);
    });
  }

  /** "Stop API Server": resolves to whether a server was running (the command says so when not). */
  stop(): Promise<boolean> {
    return this.serial(async () => {
      this.manual = false;
      const was = this.server !== undefined;
      await this.doStop();
      if (was) vscode.window.setStatusBarMessage('$(debug-stop) SDLC Lens API server stopped', 4000);
      return was;
    });
  }

  async dispose(): Promise<void> {
    await this.serial(() => this.doStop());
  }

  /** The engine's worker died, and the server with it: say so; the next start begins afresh. */
  engineStopped(message: string): void {
    if (!this.server) return;
    this.server = undefined;
    this.key = '';
    this.store.setApi({ status: 'error', port: readConfig().api.port, message: `the API server stopped with the engine: ${message}` });
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op, op);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async doStart(announce: boolean): Promise<string | undefined> {
    const cfg = readConfig().api;
    this.store.setApi({ status: 'starting', port: cfg.port });
    try {
      const token = await this.tokenFor(cfg.token);
      const server = await this.engine.startApiServer({ port: cfg.port, token, version: this.version });
      this.server = server;
      this.serverToken = token;
      this.key = `${cfg.port}\u0000${cfg.token}`;
      this.store.setApi({ status: 'running', port: server.port, url: server.url });
      // The server (in the worker) logs "API server listening on …" itself, once; add only the token note.
      this.log.info('API server: every request must send the bearer token ("Copy API URL" copies it)');
      if (announce) void vscode.window.showInformationMessage(`API server running at ${server.url}`, 'Copy URL').then((c) => c && vscode.env.clipboard.writeText(server.url));
      return server.url;
    } catch (e) {
      const inUse = (e as NodeJS.ErrnoException)?.code === 'EADDRINUSE' || /EADDRINUSE|in use/i.test(messageOf(e));
      const message = inUse
        ? `port ${cfg.port} is already in use`
        : messageOf(e);
      this.store.setApi({ status: 'error', port: cfg.port, message });
      this.log.error(`API server could not start: ${message}`);
      const detail = inUse ? 'Another VS Code window or program may be serving it. Change the port setting or stop the other process.' : undefined;
      if (detail) this.log.error(detail);
      void vscode.window.showErrorMessage(`API server could not start: ${message}.`, { detail } as vscode.MessageOptions, 'Open Settings').then((c) => {
        if (c) void vscode.commands.executeCommand('workbench.action.openSettings', 'sdlcLens.api');
      });
      return undefined;
    }
  }

  private async doStop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.serverToken = undefined;
    this.key = '';
    if (server) {
      try {
        await this.engine.stopApiServer(); // the server logs "API server stopped" itself
      } catch (e) {
        this.log.warn(`API server did not close cleanly: ${messageOf(e)}`);
      }
    }
    this.store.setApi({ status: 'stopped' });
  }
}
