// `sdlcLens.setStatus` ("SDLC Lens: Set Status…"): from a tree row (context menu, inline action), the
// palette (the active editor's document), the header's CodeLens (a file Uri) and the board. The quick
// pick is created and shown before anything is awaited, so no keystroke typed right after the
// command is lost; its items (the type's statuses in lifecycle order, the current one marked) come
// from the worker.
import * as vscode from 'vscode';
import type { DocumentSummary } from '../../core/engine-api';
import { messageOf } from '../../core/errors';
import { displayId } from '../../core/parse/ids';
import { typeLabel } from '../../core/parse/labels';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import type { StatusFlow, StatusOptions, StatusOutcome, StatusTarget } from './flow';

export type StatusCommandEngine = Pick<AsyncLensEngine, 'locate' | 'documentsAt' | 'statusChoices'>;

interface StatusItem extends vscode.QuickPickItem {
  status: string;
}

const isTarget = (a: unknown): a is StatusTarget =>
  !!a && typeof a === 'object' && ['slug', 'type', 'doc_id', 'file_path'].every((k) => typeof (a as Record<string, unknown>)[k] === 'string');

/** The document an argument designates: a tree node, a file Uri, a target, else the active editor's file. */
export async function statusTarget(engine: StatusCommandEngine, arg: unknown): Promise<StatusTarget | string> {
  if (isTarget(arg)) return { slug: arg.slug, type: arg.type, doc_id: arg.doc_id, file_path: arg.file_path, status: arg.status ?? null };
  const node = arg as { slug?: unknown; doc?: DocumentSummary } | undefined;
  if (node && typeof node.slug === 'string' && node.doc) return fromSummary(node.slug, node.doc);
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri) return 'Open a document of a registered project first (or pick one in the SDLC Lens view).';
  if (uri.scheme !== 'file') return 'Set Status works on files of a registered project.';
  const at = await engine.locate(uri.fsPath);
  if (!at) return 'This file is not in a registered project.';
  const [doc] = await engine.documentsAt(at.slug, [at.file_path]);
  if (!doc) return 'This file is not a stored document: save it and let the project sync.';
  return fromSummary(at.slug, doc);
}

const fromSummary = (slug: string, d: DocumentSummary): StatusTarget => ({ slug, type: d.type, doc_id: d.doc_id, file_path: d.file_path, status: d.status });

/** Items of the pick: the allowed statuses in order, the current one marked. */
export function statusItems(choices: readonly string[], current: string | null): StatusItem[] {
  const list = current && !choices.includes(current) ? [...choices, current] : choices;
  return list.map((s) => ({
    label: s === current ? `$(check) ${s}` : s,
    description: s === current ? 'current' : undefined,
    status: s,
  }));
}

/**
 * Runs Set Status: `status` given (the board, tests) acts at once; otherwise the pick asks. Returns
 * what happened (undefined when nothing was asked of the writer).
 */
export async function setStatusCommand(
  engine: StatusCommandEngine,
  flow: StatusFlow,
  arg?: unknown,
  status?: string,
  options?: StatusOptions,
): Promise<StatusOutcome | undefined> {
  if (typeof status === 'string' && status.trim()) {
    const target = await statusTarget(engine, arg);
    if (typeof target === 'string') {
      void vscode.window.showWarningMessage(target);
      return { outcome: 'error', message: target };
    }
    return flow.apply(target, status.trim(), options);
  }
  const pick = vscode.window.createQuickPick<StatusItem>();
  pick.title = 'Set Status';
  pick.placeholder = 'The new status';
  pick.busy = true;
  pick.show();
  const chosen = new Promise<StatusItem | undefined>((resolve) => {
    const subs = [
      pick.onDidAccept(() => {
        const item = pick.selectedItems[0] ?? pick.activeItems[0];
        if (!item) return;
        resolve(item);
        pick.hide();
      }),
      pick.onDidHide(() => {
        for (const s of subs) s.dispose();
        pick.dispose();
        resolve(undefined);
      }),
    ];
  });
  let target: StatusTarget | string;
  try {
    target = await statusTarget(engine, arg);
    if (typeof target !== 'string') {
      const choices = (await engine.statusChoices(target.slug, target.type)).map((c) => c.status);
      if (choices.length === 0) target = `${typeLabel(target.type, true)} have no lifecycle: there is no status to set.`;
      else {
        pick.title = `Set Status: ${displayId(target.doc_id)}`;
        pick.placeholder = `The new status of this ${typeLabel(target.type).toLowerCase()} (now ${target.status ?? 'none'})`;
        pick.items = statusItems(choices, target.status);
        const at = choices.indexOf(target.status ?? '');
        const next = pick.items[Math.min(at + 1, pick.items.length - 1)];
        if (next) pick.activeItems = [next];
      }
    }
  } catch (e) {
    target = `Cannot set the status: ${messageOf(e)}`;
  }
  pick.busy = false;
  if (typeof target === 'string') {
    pick.hide();
    void vscode.window.showWarningMessage(target);
    return { outcome: 'error', message: target };
  }
  const item = await chosen;
  if (!item) return { outcome: 'cancelled', message: 'Set Status cancelled.' };
  return flow.apply(target, item.status, options);
}
