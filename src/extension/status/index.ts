// Acting on documents in the editor: the Set Status command (tree, palette, CodeLens, board), the
// header CodeLens, and the skill settings the engine's writer uses (sent on start and on change).
import * as vscode from 'vscode';
import type { EngineChange } from '../../core/engine-api';
import { messageOf } from '../../core/errors';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import type { ExtensionLog } from '../log';
import { StatusCodeLens } from './codeLens';
import { setStatusCommand } from './command';
import { StatusFlow, type StatusOptions } from './flow';
import { affectsSkill, readSkillConfig } from './skillConfig';

export type StatusContext = { engine: AsyncLensEngine; log: ExtensionLog };

export function registerStatus(ctx: StatusContext): { flow: StatusFlow; disposables: vscode.Disposable[] } {
  const flow = new StatusFlow(ctx.engine, ctx.log);
  const lens = new StatusCodeLens(ctx.engine);
  const configure = () =>
    ctx.engine.configureSkill(readSkillConfig()).catch((e: unknown) => ctx.log.warn(`sdlcLens.skill settings: ${messageOf(e)}`));
  void configure();
  const off = ctx.engine.onDidChange((c: EngineChange) => {
    if (c.kind !== 'project') lens.refresh();
  });
  return {
    flow,
    disposables: [
      lens,
      { dispose: off },
      vscode.commands.registerCommand('sdlcLens.setStatus', (arg?: unknown, status?: string, options?: StatusOptions) =>
        setStatusCommand(ctx.engine, flow, arg, status, options),
      ),
      vscode.languages.registerCodeLensProvider({ language: 'markdown', scheme: 'file' }, lens),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsSkill(e)) void configure();
      }),
    ],
  };
}
