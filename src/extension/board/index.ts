// The board: command `sdlcLens.openBoard` (palette, project context menu, view title), the panels,
// live updates from the engine and the health model, and the serializer that restores open boards
// after a reload (onWebviewPanel activation).
import * as vscode from 'vscode';
import { resolveProject, type CommandContext } from '../commands/context';
import { healthOf } from '../health';
import type { StatusFlow } from '../status/flow';
import { BOARD_VIEW_TYPE, BoardPanels } from './panel';

let current: BoardPanels | undefined;
/** The running extension's boards (the integration tests and the benchmark read their models). */
export const boardsOf = () => current;

export function registerBoard(ctx: CommandContext, flow: StatusFlow): vscode.Disposable[] {
  const panels = new BoardPanels({
    engine: ctx.engine,
    healthFiles: async (slug, which) => healthOf()?.model.files(slug, which),
    // a move cannot wait for a "Force…" answer: the refusal snaps the card back, the offer stays up
    setStatus: (target, status) => flow.apply(target, status),
    log: ctx.log,
  });
  current = panels;
  const offEngine = ctx.engine.onDidChange((c) => panels.onEngineChange(c));
  const health = healthOf();
  return [
    panels,
    { dispose: offEngine },
    ...(health ? [health.model.onDidChange(({ slug, changed }) => changed && panels.has(slug) && void panels.refresh(slug))] : []),
    { dispose: () => (current = undefined) },
    vscode.commands.registerCommand('sdlcLens.openBoard', async (arg?: unknown, type?: string) => {
      const project = await resolveProject(ctx, arg, 'Open the board of…');
      if (project) await panels.open(project.slug, typeof type === 'string' ? type : undefined);
    }),
    vscode.window.registerWebviewPanelSerializer(BOARD_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const s = (state && typeof state === 'object' ? state : {}) as { slug?: unknown; type?: unknown };
        if (typeof s.slug !== 'string') return panel.dispose();
        await panels.adopt(panel, s.slug, typeof s.type === 'string' ? s.type : undefined);
      },
    }),
  ];
}
