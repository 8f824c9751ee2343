// Sync Project, Sync All Projects, Cancel Sync, and the status bar's "show that project's error".
import * as vscode from 'vscode';
import type { SyncOutcome } from '../../core/types';
import { slugOf } from '../tree/nodes';
import { resolveProject, type CommandContext } from './context';

/** sdlcLens.syncProject(slugOrNode?) — resolves to the outcome, or undefined when nothing ran. */
export async function syncProject(ctx: CommandContext, target?: unknown): Promise<SyncOutcome | undefined> {
  const project = await resolveProject(ctx, target, 'Project to sync');
  if (!project) return undefined;
  return ctx.runner.run(project.slug, { origin: 'user' });
}

/** sdlcLens.syncAll — one project after another; one summary at the end. */
export async function syncAll(ctx: CommandContext): Promise<SyncOutcome[]> {
  const projects = await ctx.engine.listProjects();
  if (projects.length === 0) {
    void vscode.window.showInformationMessage('SDLC Lens: no project is registered yet.');
    return [];
  }
  const outcomes: SyncOutcome[] = [];
  for (const p of projects) {
    const o = await ctx.runner.run(p.slug, { origin: 'user', quiet: true });
    if (o) outcomes.push(o);
    if (o?.cancelled) break; // the user cancelled: do not start the next one
  }
  const ok = outcomes.filter((o) => o.sync_status === 'synced').length;
  const failed = outcomes.filter((o) => o.sync_status === 'error' && !o.cancelled).length;
  const skipped = projects.length - outcomes.length;
  const parts = [`${ok} synced`];
  if (failed) parts.push(`${failed} failed`);
  if (skipped) parts.push(`${skipped} not run`);
  ctx.log.info(`Sync All: ${parts.join(', ')}`);
  if (!failed) void vscode.window.showInformationMessage(`SDLC Lens: ${parts.join(', ')}.`);
  return outcomes;
}

/** sdlcLens.cancelSync(slugOrNode?) — true when a running sync was asked to stop. */
export async function cancelSync(ctx: CommandContext, target?: unknown): Promise<boolean> {
  let slug = slugOf(target);
  if (!slug) {
    const running = ctx.runner.running();
    if (running.length === 0) {
      void vscode.window.showInformationMessage('SDLC Lens: no sync is running in this window.');
      return false;
    }
    if (running.length === 1) slug = running[0];
    else {
      const project = await resolveProject(ctx, undefined, 'Sync to cancel', (p) => running.includes(p.slug));
      slug = project?.slug;
    }
  }
  if (!slug) return false;
  if (!ctx.runner.cancel(slug)) {
    void vscode.window.showInformationMessage(`SDLC Lens: "${slug}" is not syncing in this window.`);
    return false;
  }
  return true;
}

/** sdlcLens.showProjectError(slug?) — the status bar's click in the error state. Returns the message shown. */
export async function showProjectError(ctx: CommandContext, target?: unknown): Promise<string | undefined> {
  const slug = slugOf(target);
  const project = (await ctx.engine.listProjects()).find((p) => (slug ? p.slug === slug : p.sync_status === 'error'));
  if (!project || project.sync_status !== 'error') {
    void vscode.commands.executeCommand('sdlcLens.projects.focus');
    return undefined;
  }
  const error = project.sync_error ?? 'The last sync failed.';
  void ctx.runner.offerRetry(project.name, project.slug, error);
  return error;
}
