// Acting on documents in the editor: the Set Status command (tree, palette, CodeLens, board) and the
// header CodeLens. (The `sdlcLens.skill.*` settings the engine's writer uses are sent by the health
// part, which also runs the skill's checks: health/index.ts.)
import * as vscode from 'vscode';
import type { EngineChange } from '../../core/engine-api';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import type { ExtensionLog } from '../log';
import { StatusCodeLens } from './codeLens';
import { setStatusCommand } from './command';
import { StatusFlow, type StatusOptions } from './flow';

export type StatusContext = { engine: AsyncLensEngine; log: ExtensionLog };

export function registerStatus(ctx: StatusContext): { flow: StatusFlow; disposables: vscode.Disposable[] } {
  const flow = new StatusFlow(ctx.engine, ctx.log);
  const lens = new StatusCodeLens(ctx.engine);
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
    ],
  };
}
