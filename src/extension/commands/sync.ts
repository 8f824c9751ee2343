// Sync Project, Sync All Projects, Cancel Sync, and the status bar's "show that project's error".
import * as vscode from 'vscode';
import type { SyncOutcome } from '../../core/types';
import { syncAllSummary } from '../statusModel';
import { slugOf } from '../tree/nodes';
import { resolveProject, type CommandContext } from './context';

/** sdlcLens.syncProject(slugOrNode?) — resolves to the outcome, or undefined when nothing ran. */
export async function syncProject(ctx: CommandContext, target?: unknown): Promise<SyncOutcome | undefined> {
  const project = await resolveProject(ctx, target, 'Project to sync');
  if (!project) return undefined;
  return ctx.runner.run(project.slug, { origin: 'user' });
}

/** sdlcLens.syncAll — one project after another under one progress notification; one summary at the end. */
export async function syncAll(ctx: CommandContext): Promise<SyncOutcome[]> {
  const projects = await ctx.engine.listProjects();
  if (projects.length === 0) {
    void vscode.window.showInformationMessage('No project is registered yet.');
    return [];
  }
  const outcomes: SyncOutcome[] = [];
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Syncing ${projects.length} projects`, cancellable: true },
    async (progress, token) => {
      for (const [index, p] of projects.entries()) {
        if (token.isCancellationRequested) break;
        const o = await ctx.runner.run(p.slug, { origin: 'user', quiet: true, batch: { progress, token, index, count: projects.length } });
        if (o) outcomes.push(o);
        if (o?.cancelled) break; // the user cancelled: do not start the next one
      }
    },
  );
  const summary = syncAllSummary(outcomes, projects.length);
  ctx.log.info(summary);
  const failed = outcomes.filter((o) => o.sync_status === 'error' && !o.cancelled);
  for (const o of failed) ctx.log.error(`Sync All: ${o.slug} failed: ${o.sync_error ?? 'unknown error'}`);
  if (failed.length) {
    void vscode.window.showWarningMessage(summary, 'Show Log').then((c) => c && ctx.log.show());
  } else {
    void vscode.window.showInformationMessage(summary);
  }
  return outcomes;
}

/** sdlcLens.cancelSync(slugOrNode?) — true when a running sync was asked to stop. */
export async function cancelSync(ctx: CommandContext, target?: unknown): Promise<boolean> {
  let slug = slugOf(target);
  if (!slug) {
    const running = ctx.runner.running();
    if (running.length === 0) {
      void vscode.window.showInformationMessage('No sync is running in this window.');
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
    void vscode.window.showInformationMessage(`"${slug}" is not syncing in this window.`);
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
