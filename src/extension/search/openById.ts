// Open Document by ID…: every document of every project, `ID · Title`, fuzzy-matched by VS Code.
// The pick is created and shown before anything is awaited, so keys typed right after the command
// are kept; an Enter pressed while the documents are still loading opens the best match for what
// was typed once they are in (an exact id first), instead of being dropped.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import { typeLabel } from '../../core/parse';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import { documentLabel } from '../tree/presentation';
import { bestIdMatch } from './query';

export interface ByIdItem extends vscode.QuickPickItem {
  file: vscode.Uri;
}

export interface ByIdHooks {
  /** The picker once its items are in. */
  onDidShow?(pick: vscode.QuickPick<ByIdItem>): void;
}

/** Every document as a pick item (one documentSummaries call per project). */
export async function byIdItems(engine: AsyncLensEngine): Promise<ByIdItem[]> {
  const projects = (await engine.listProjects()).filter((p) => p.sdlc_path);
  const lists = await Promise.all(projects.map((p) => engine.documentSummaries(p.slug)));
  return projects.flatMap((p, i) =>
    lists[i]!.map((d) => ({
      label: documentLabel(d),
      description: [typeLabel(d.type), d.status ?? 'no status', projects.length > 1 ? p.name : null].filter(Boolean).join(' · '),
      file: vscode.Uri.file(path.join(p.sdlc_path!, ...d.file_path.split('/'))),
    })),
  );
}

export async function openDocumentById(engine: AsyncLensEngine, hooks: ByIdHooks = {}): Promise<void> {
  const pick = vscode.window.createQuickPick<ByIdItem>();
  pick.title = 'SDLC Lens: Open Document by ID';
  pick.placeholder = 'Type an id or words of a title (e.g. US0001, CR-0003, widget)';
  pick.matchOnDescription = true;
  pick.busy = true;
  pick.show();
  let loaded = false;
  let acceptWhenLoaded = false;
  const open = (item: ByIdItem) => {
    pick.hide();
    void vscode.window.showTextDocument(item.file, { preview: true });
  };
  const done = new Promise<void>((resolve) => {
    const subs = [
      pick.onDidAccept(() => {
        const item = pick.selectedItems[0] ?? pick.activeItems[0];
        if (!item && !loaded) acceptWhenLoaded = true; // Enter before the documents arrived
        if (!item) return;
        open(item);
      }),
      pick.onDidHide(() => {
        for (const s of subs) s.dispose();
        pick.dispose();
        resolve();
      }),
    ];
  });
  try {
    pick.items = await byIdItems(engine);
    if (pick.items.length === 0) pick.placeholder = 'No synced document yet: register and sync a project first';
  } catch (e) {
    pick.placeholder = `Cannot list the documents: ${messageOf(e)}`;
  }
  loaded = true;
  pick.busy = false;
  const early = acceptWhenLoaded ? bestIdMatch(pick.items, pick.value) : undefined;
  if (early) open(early);
  hooks.onDidShow?.(pick);
  await done;
}
