// Health in the editor: the shared HealthModel, sdlc-studio's own checks, the Problems-panel
// diagnostics of both (scoped to the open files or the workspace), the quick fixes and the Health
// tree node, wired to engine changes, the open editors and the `sdlcLens.health.*`/`skill.*` settings.
import * as vscode from 'vscode';
import type { EngineChange } from '../../core/engine-api';
import { messageOf } from '../../core/errors';
import type { CommandContext } from '../commands/context';
import { affectsHealth, affectsSkill } from './config';
import { HealthCodeActions } from './codeActions';
import { HealthDiagnostics } from './diagnostics';
import { healthTree } from './healthNodes';
import { HealthModel } from './model';
import { OpenFiles } from './openFiles';
import { SkillChecksModel } from './skillChecks';

export type HealthContext = Pick<CommandContext, 'engine' | 'log' | 'tree'>;

/** The model of the running extension (the dashboard and the tests read it). */
let current: { model: HealthModel; diagnostics: HealthDiagnostics; skill: SkillChecksModel; openFiles: OpenFiles } | undefined;
export const healthOf = () => current;

export function registerHealth(ctx: HealthContext): vscode.Disposable[] {
  const model = new HealthModel(ctx.engine, ctx.log);
  const openFiles = new OpenFiles();
  const diagnostics = new HealthDiagnostics(model, ctx.log, openFiles);
  const skill = new SkillChecksModel(ctx.engine, ctx.log, openFiles);
  const warn = (what: string) => (e: unknown) => ctx.log.warn(`${what}: ${messageOf(e)}`);
  current = { model, diagnostics, skill, openFiles };
  healthTree.attach(model, skill);

  const onChange = (c: EngineChange) => {
    if (c.kind === 'removed') model.forget(c.slug);
    else if (c.kind === 'reloaded') void model.refreshAll();
    else if (c.kind === 'project') void model.projectChanged(c.slug, c.project);
    else void model.refresh(c.slug);
    skill.onEngineChange(c);
  };
  const off = ctx.engine.onDidChange(onChange);

  const disposables: vscode.Disposable[] = [
    model,
    diagnostics,
    skill,
    openFiles,
    openFiles.onDidChange(() => {
      diagnostics.showAll(model.known(), true).catch(warn('showing health findings failed'));
      void skill.publishAll();
    }),
    // only what the Health node shows: without the skill its runs change nothing there, and every
    // refresh makes the view read the project again (and delays the tree's next update, which VS
    // Code holds for 200 ms after one)
    skill.onDidChange(({ slug, shown }) => {
      if (shown) ctx.tree.refreshProject(slug, false).catch(() => undefined);
    }),
    // trusted now: the repository's own skill may run (readSkillSettings' trustRepository), then the checks
    vscode.workspace.onDidGrantWorkspaceTrust(() => void skill.configure().then(() => skill.scheduleAll(), warn('applying the sdlcLens.skill settings failed'))),
    model.onDidChange(({ slug, health, changed }) => {
      if (!changed) return; // the same report: the Health node reads the same (a sync's end refreshes the project row itself)
      diagnostics.show(slug, health).catch(warn('showing health findings failed'));
      ctx.tree.refreshProject(slug, false).catch(() => undefined); // the Health node's score
    }),
    vscode.languages.registerCodeActionsProvider(
      [{ scheme: 'file', language: 'markdown' }, { scheme: 'file', pattern: '**/*.md' }],
      new HealthCodeActions(ctx.engine, (uri) => diagnostics.collection.get(uri) ?? []),
      HealthCodeActions.metadata,
    ),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsHealth(e)) {
        model.refreshAll(true).catch(warn('refreshing the health check failed'));
        void skill.publishAll();
      }
      if (affectsSkill(e)) skill.configure().then(() => skill.scheduleAll(), warn('applying the sdlcLens.skill settings failed'));
    }),
    { dispose: off },
    {
      dispose: () => {
        healthTree.attach(undefined, undefined);
        current = undefined;
      },
    },
  ];
  model.refreshAll().catch(warn('the health check failed'));
  skill.configure().then(() => skill.scheduleAll(), warn('applying the sdlcLens.skill settings failed'));
  return disposables;
}
