// The dashboard: command `sdlcLens.openDashboard` (palette, project context menu, view title), the
// panels, and the serializer that restores open dashboards after a reload (onWebviewPanel activation).
import * as vscode from 'vscode';
import type { CommandContext } from '../commands/context';
import { healthOf } from '../health';
import { slugOf } from '../tree/nodes';
import { DASHBOARD_VIEW_TYPE, DashboardPanels } from './panel';

export type DashboardContext = Pick<CommandContext, 'engine' | 'log'>;

let current: DashboardPanels | undefined;
/** The running extension's dashboards (the integration tests read them). */
export const dashboardsOf = () => current;

export function registerDashboard(ctx: DashboardContext): vscode.Disposable[] {
  const reportOf = async (slug: string) => (await healthOf()?.model.get(slug))?.report ?? (await ctx.engine.healthCheck(slug));
  const panels = new DashboardPanels(ctx.engine, reportOf, ctx.log);
  current = panels;
  const off = ctx.engine.onDidChange((c) => panels.onEngineChange(c));
  const offSkill = healthOf()?.skill.onDidChange(({ slug }) => panels.onEngineChange({ kind: 'project', slug })); // sdlc-studio's checks

  /** The scope: a project (argument or pick) or every project (the view title passes nothing; null = all). */
  const scope = async (arg: unknown): Promise<string | null | undefined> => {
    const slug = slugOf(arg);
    if (slug || arg === null) return slug ?? null;
    const projects = await ctx.engine.listProjects();
    if (projects.length <= 1) return projects[0]?.slug ?? null;
    const picked = await vscode.window.showQuickPick(
      [{ label: '$(graph) All projects', slug: null as string | null }, ...projects.map((p) => ({ label: p.name, description: `${p.document_count} docs`, slug: p.slug as string | null }))],
      { placeHolder: 'Open the dashboard of…' },
    );
    return picked ? picked.slug : undefined;
  };

  return [
    panels,
    { dispose: off },
    { dispose: () => offSkill?.dispose() },
    { dispose: () => (current = undefined) },
    vscode.commands.registerCommand('sdlcLens.openDashboard', async (arg?: unknown) => {
      const s = await scope(arg);
      if (s !== undefined) await panels.open(s);
    }),
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const slug = state && typeof state === 'object' && typeof (state as { slug?: unknown }).slug === 'string' ? (state as { slug: string }).slug : null;
        await panels.adopt(panel, slug);
      },
    }),
  ];
}
