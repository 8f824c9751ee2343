// Health in the editor: the shared HealthModel, the Problems-panel diagnostics, the quick fixes and
// the Health tree node, wired to engine changes and the `sdlcLens.health.*` settings.
import * as vscode from 'vscode';
import type { EngineChange } from '../../core/engine-api';
import { messageOf } from '../../core/errors';
import type { CommandContext } from '../commands/context';
import { affectsHealth } from './config';
import { HealthCodeActions } from './codeActions';
import { HealthDiagnostics } from './diagnostics';
import { healthTree } from './healthNodes';
import { HealthModel } from './model';

export type HealthContext = Pick<CommandContext, 'engine' | 'log' | 'tree'>;

/** The model of the running extension (the dashboard and the tests read it). */
let current: { model: HealthModel; diagnostics: HealthDiagnostics } | undefined;
export const healthOf = () => current;

export function registerHealth(ctx: HealthContext): vscode.Disposable[] {
  const model = new HealthModel(ctx.engine, ctx.log);
  const diagnostics = new HealthDiagnostics(model, ctx.log);
  const warn = (what: string) => (e: unknown) => ctx.log.warn(`${what}: ${messageOf(e)}`);
  current = { model, diagnostics };
  healthTree.attach(model);

  const onChange = (c: EngineChange) => {
    if (c.kind === 'removed') model.forget(c.slug);
    else if (c.kind === 'reloaded') void model.refreshAll();
    else void model.refresh(c.slug);
  };
  const off = ctx.engine.onDidChange(onChange);

  const disposables: vscode.Disposable[] = [
    model,
    diagnostics,
    model.onDidChange(({ slug, health, changed }) => {
      if (changed) diagnostics.show(slug, health).catch(warn('showing health findings failed'));
      ctx.tree.refreshProject(slug, false).catch(() => undefined); // the Health node's score
    }),
    vscode.languages.registerCodeActionsProvider(
      [{ scheme: 'file', language: 'markdown' }, { scheme: 'file', pattern: '**/*.md' }],
      new HealthCodeActions(ctx.engine),
      HealthCodeActions.metadata,
    ),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsHealth(e)) model.refreshAll(true).catch(warn('refreshing the health check failed'));
    }),
    { dispose: off },
    {
      dispose: () => {
        healthTree.attach(undefined);
        current = undefined;
      },
    },
  ];
  model.refreshAll().catch(warn('the health check failed'));
  return disposables;
}
