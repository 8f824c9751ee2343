// The board webview panels, one per project (writing.md §3). The page is rendered once; afterwards
// the panel posts models (the page updates its cards by key). A model is rebuilt from the worker's
// answers whenever the engine reports a change of the project's documents (a sync, another window,
// the CLI, a git checkout: the watcher's path-hinted syncs) or its health findings change. A move
// posted by the page is a Set Status through the one writer; the page shows it at once and is told
// the answer (a refusal snaps the card back with its reason).
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EngineChange } from '../../core/engine-api';
import { isLensError, messageOf } from '../../core/errors';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import type { ExtensionLog } from '../log';
import { placedPath, type FileDiagnostics, type FileSelection } from '../../core/health/placement';
import type { StatusOutcome, StatusTarget } from '../status/flow';
import { parseBoardMessage, type BoardMessage, type BoardReply } from './messages';
import { boardTypes, buildBoard, healthByPath, pickType, type BoardModel } from './model';
import { renderBoard } from './render';

export const BOARD_VIEW_TYPE = 'sdlcLens.board';

export type BoardEngine = Pick<AsyncLensEngine, 'getProject' | 'documentsOfType' | 'documentTypeCounts' | 'statusChoices'>;

export interface BoardDeps {
  engine: BoardEngine;
  /** The placed health diagnostics of these files, from the project's last report (undefined: none yet). */
  healthFiles: (slug: string, which: FileSelection) => Promise<FileDiagnostics[] | undefined>;
  /** Set Status through the one writer, with its refusals and messages. */
  setStatus: (target: StatusTarget, status: string) => Promise<StatusOutcome>;
  log: Pick<ExtensionLog, 'warn' | 'info'>;
}

interface Board {
  panel: vscode.WebviewPanel;
  /** The type asked for (the model's type may differ when the project has none of it). */
  type: string | undefined;
  ready: boolean;
}

export class BoardPanels implements vscode.Disposable {
  private readonly boards = new Map<string, Board>();
  /** The model each board shows now (tests and the benchmark read it). */
  readonly models = new Map<string, BoardModel>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  /** Moves per project so far: a model built from answers read before a move does not replace the moved one. */
  private readonly moves = new Map<string, number>();
  private readonly emitter = new vscode.EventEmitter<{ slug: string; model: BoardModel }>();
  /** A board posted a new model. */
  readonly onDidPost = this.emitter.event;

  constructor(private readonly deps: BoardDeps) {}

  dispose(): void {
    for (const b of [...this.boards.values()]) b.panel.dispose();
    this.emitter.dispose();
  }

  has(slug: string): boolean {
    return this.boards.has(slug);
  }

  /** Opens (or reveals) a project's board; `type` switches it to another document type. */
  async open(slug: string, type?: string): Promise<vscode.WebviewPanel> {
    const existing = this.boards.get(slug);
    if (existing) {
      existing.panel.reveal();
      if (type && type !== existing.type) {
        existing.type = type;
        await this.refresh(slug);
      }
      return existing.panel;
    }
    const panel = vscode.window.createWebviewPanel(BOARD_VIEW_TYPE, 'SDLC Board', vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [],
    });
    await this.adopt(panel, slug, type);
    return panel;
  }

  /** Takes a panel over (a new one, or one VS Code restored) and renders its shell. */
  async adopt(panel: vscode.WebviewPanel, slug: string, type?: string): Promise<void> {
    this.boards.get(slug)?.panel.dispose();
    const board: Board = { panel, type, ready: false };
    this.boards.set(slug, board);
    panel.webview.options = { enableScripts: true, localResourceRoots: [] };
    panel.onDidDispose(() => {
      if (this.boards.get(slug) === board) {
        this.boards.delete(slug);
        this.models.delete(slug);
      }
    });
    panel.webview.onDidReceiveMessage((m) => {
      const msg = parseBoardMessage(m);
      if (msg) this.handle(slug, msg).catch((e) => this.deps.log.warn(`board: ${messageOf(e)}`));
    });
    try {
      const project = await this.deps.engine.getProject(slug);
      panel.title = `Board: ${project.name}`;
    } catch (e) {
      if (isLensError(e) && e.code === 'NOT_FOUND') return panel.dispose();
      throw e;
    }
    panel.webview.html = renderBoard(panel.title, { cspSource: panel.webview.cspSource, nonce: randomBytes(18).toString('base64') });
    // the model is posted when the page says it is ready (a message posted earlier would be lost)
  }

  /** Re-queries the boards an engine change concerns. */
  onEngineChange(c: EngineChange): void {
    if (c.kind === 'removed') {
      this.boards.get(c.slug)?.panel.dispose();
      return;
    }
    for (const slug of this.boards.keys()) if (c.kind === 'reloaded' || c.slug === slug) void this.refresh(slug);
  }

  /**
   * Rebuilds a board's model and posts it (one at a time per board; asked again meanwhile, once more
   * after). The promise resolves once a model built after the call has been posted.
   */
  refresh(slug: string): Promise<void> {
    const current = this.running.get(slug);
    if (current) {
      this.again.add(slug);
      return current.then(() => this.running.get(slug));
    }
    const run = this.build(slug)
      .catch((e) => this.deps.log.warn(`board: ${messageOf(e)}`))
      .finally(() => {
        this.running.delete(slug);
        if (this.again.delete(slug)) void this.refresh(slug);
      });
    this.running.set(slug, run);
    return run;
  }

  private async build(slug: string): Promise<void> {
    const board = this.boards.get(slug);
    if (!board?.ready) return;
    const movesBefore = this.moves.get(slug) ?? 0;
    const e = this.deps.engine;
    let project;
    try {
      project = await e.getProject(slug);
    } catch (err) {
      if (isLensError(err) && err.code === 'NOT_FOUND') return board.panel.dispose();
      throw err;
    }
    const types = boardTypes(await e.documentTypeCounts(slug));
    const type = pickType(types, board.type);
    const [docs, lifecycle] = await Promise.all([e.documentsOfType(slug, type), e.statusChoices(slug, type).then((cs) => cs.map((c) => c.status), () => undefined)]);
    const root = project.sdlc_path;
    // only the cards' files cross from the engine's thread (a type's documents, not the project's)
    const files = root ? ((await this.deps.healthFiles(slug, docs.map((d) => placedPath(root, d.file_path)))) ?? []) : [];
    const health = healthByPath(files, (abs) => {
      if (!root) return null;
      const rel = path.relative(root, abs);
      return rel.startsWith('..') || path.isAbsolute(rel) ? null : rel.split(path.sep).join('/');
    });
    const model = buildBoard({ slug, project: project.name, type, types, docs, health, lifecycle });
    // a move since this build began: its answers may predate the write (the move's refresh follows)
    if (this.boards.get(slug) !== board || (this.moves.get(slug) ?? 0) !== movesBefore) return;
    board.panel.title = `Board: ${project.name}`;
    this.models.set(slug, model);
    await this.post(board, { type: 'model', model });
    this.emitter.fire({ slug, model });
  }

  private post(board: Board, reply: BoardReply): Thenable<boolean> {
    return board.panel.webview.postMessage(reply);
  }

  /** What a page message does (a move: the answer posted to the page). */
  async handle(slug: string, msg: BoardMessage): Promise<BoardReply | void> {
    const board = this.boards.get(slug);
    if (!board) return;
    switch (msg.type) {
      case 'ready':
        board.ready = true;
        return this.refresh(slug);
      case 'refresh':
        return this.refresh(slug);
      case 'setType':
        board.type = msg.docType;
        return this.refresh(slug);
      case 'open':
        return this.openCard(slug, msg.key);
      case 'move':
        return this.move(slug, board, msg.key, msg.to, msg.seq);
    }
  }

  /** A card moved to another column: Set Status, then the board's new model, then the answer. */
  async move(slug: string, board: Board, key: string, to: string, seq: number): Promise<BoardReply> {
    const model = this.models.get(slug);
    const card = model?.cards.find((c) => c.key === key);
    if (!model || !card) {
      const reply: BoardReply = { type: 'moved', key, seq, ok: false, reason: 'That document is no longer on the board.' };
      await this.post(board, reply);
      return reply;
    }
    const outcome = await this.deps.setStatus({ slug, type: model.type, doc_id: card.doc_id, file_path: card.key, status: card.status || null }, to);
    const ok = outcome.outcome === 'changed' || outcome.outcome === 'unchanged' || outcome.outcome === 'buffer';
    // the page keeps the card where it was dropped; the new model (the writer re-synced the file and
    // the engine reports it) follows on its own. An edit left in an unsaved buffer is not on disk yet:
    // the card goes back to the stored status until the user saves.
    if (ok) {
      this.moves.set(slug, (this.moves.get(slug) ?? 0) + 1);
      const c = this.models.get(slug)?.cards.find((x) => x.key === key);
      if (c && outcome.outcome !== 'buffer') c.status = to;
      void this.refresh(slug);
    }
    const reply: BoardReply = { type: 'moved', key, seq, ok, reason: ok ? undefined : outcome.message, buffer: outcome.outcome === 'buffer' || undefined };
    await this.post(board, reply);
    return reply;
  }

  private async openCard(slug: string, key: string): Promise<void> {
    const card = this.models.get(slug)?.cards.find((c) => c.key === key);
    const project = await this.deps.engine.getProject(slug);
    if (!card || !project.sdlc_path) return; // the page cannot open arbitrary paths
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(project.sdlc_path, ...card.key.split('/'))), { preview: true });
  }
}
