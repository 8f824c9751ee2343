// A quick pick shown at once, its items filled in when they arrive: keys typed right after the
// command are kept (a pick shown only after an await loses what was typed meanwhile), and an Enter
// pressed before the items are in picks the first item matching what was typed once they are.
import * as vscode from 'vscode';
import { bestIdMatch } from './query';

export interface PickNowOptions<T = vscode.QuickPickItem> {
  /** The title while the items load. */
  title?: string;
  /** The title once they are in (e.g. with their count). */
  loadedTitle?: (items: readonly T[]) => string;
  placeholder?: string;
  matchOnDescription?: boolean;
  matchOnDetail?: boolean;
}

/** Shows the pick before awaiting `items`; resolves with the accepted item, or undefined when dismissed. */
export function pickNow<T extends vscode.QuickPickItem>(items: Promise<readonly T[]> | readonly T[], options: PickNowOptions<T> = {}): Promise<T | undefined> {
  const pick = vscode.window.createQuickPick<T>();
  pick.title = options.title;
  pick.placeholder = options.placeholder;
  pick.matchOnDescription = options.matchOnDescription ?? false;
  pick.matchOnDetail = options.matchOnDetail ?? false;
  pick.busy = true;
  pick.show();
  let loaded = false;
  let early = false;
  return new Promise<T | undefined>((resolve) => {
    let chosen: T | undefined;
    const subs = [
      pick.onDidAccept(() => {
        const item = pick.selectedItems[0] ?? pick.activeItems[0];
        if (!item) {
          early = !loaded;
          return;
        }
        chosen = item;
        pick.hide();
      }),
      pick.onDidHide(() => {
        for (const s of subs) s.dispose();
        pick.dispose();
        resolve(chosen);
      }),
    ];
    Promise.resolve(items).then(
      (list) => {
        loaded = true;
        pick.items = list;
        if (options.loadedTitle) pick.title = options.loadedTitle(list);
        pick.busy = false;
        if (early) {
          chosen = bestIdMatch(list, pick.value) ?? (pick.value ? undefined : list[0]);
          if (chosen) pick.hide();
        }
      },
      (e: unknown) => {
        loaded = true;
        pick.busy = false;
        pick.placeholder = `Cannot list them: ${e instanceof Error ? e.message : String(e)}`;
      },
    );
  });
}
