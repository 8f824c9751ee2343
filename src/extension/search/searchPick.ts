// Search Documents: a quick pick that asks the engine (in its worker) as the user types. The pick is
// created and shown before anything is awaited, so no keystroke typed right after the command is
// lost. A keystroke is asked at once (SEARCH_DEBOUNCE_MS); one query at a time is in flight and,
// while it is, only the newest value waits (the ones typed in between are never sent); each query
// carries a sequence number and only the newest one's answer is ever shown. The last word gets a `*` while typing
// (query.ts), so results appear mid-word. The engine ranks: VS Code's own matching is off. While a
// search waits for the search index to be built, the pick says how many documents are left (indexWait.ts).
import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import { DOC_TYPES, STATUS_VOCAB, typeLabel } from '../../core/parse';
import type { SearchResultItem } from '../../core/types';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import { documentLabel } from '../tree/presentation';
import { indexWaitLabel, reportIndexWait } from './indexWait';
import { openDocRef, type DocRef } from './open';
import { pickNow } from './pickNow';
import { describeFilters, SEARCH_DEBOUNCE_MS, snippetText, toSearchQuery, type SearchFilters } from './query';

export interface SearchItem extends vscode.QuickPickItem {
  ref?: DocRef;
}

/** Test hooks: the picker once shown, and each answer once applied (value it answers, items shown). */
export interface SearchHooks {
  onDidShow?(pick: vscode.QuickPick<SearchItem>): void;
  onDidApply?(value: string, items: readonly SearchItem[]): void;
}

const SIDE_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('split-horizontal'), tooltip: 'Open to the Side' };
const FILTER_BUTTONS = {
  project: { iconPath: new vscode.ThemeIcon('root-folder'), tooltip: 'Filter by Project' },
  type: { iconPath: new vscode.ThemeIcon('symbol-class'), tooltip: 'Filter by Type' },
  status: { iconPath: new vscode.ThemeIcon('filter'), tooltip: 'Filter by Status' },
  clear: { iconPath: new vscode.ThemeIcon('clear-all'), tooltip: 'Clear Filters' },
} satisfies Record<string, vscode.QuickInputButton>;

const HINT = 'Search titles and text: words, "a phrase", -word, type:story status:done project:<slug> epic:EP0001 owner:name';

export function toItem(r: SearchResultItem, showProject: boolean): SearchItem {
  const description = [typeLabel(r.type), r.status ?? 'no status', showProject ? r.project_name : null].filter(Boolean).join(' · ');
  return {
    label: documentLabel(r),
    description,
    detail: snippetText(r.snippet) || undefined,
    alwaysShow: true,
    buttons: [SIDE_BUTTON],
    ref: { slug: r.project_slug, type: r.type, doc_id: r.doc_id },
  };
}

export async function searchDocuments(engine: AsyncLensEngine, hooks: SearchHooks = {}): Promise<void> {
  const pick = vscode.window.createQuickPick<SearchItem>();
  pick.title = 'SDLC Lens: Search Documents';
  pick.placeholder = HINT;
  pick.matchOnDescription = false;
  pick.matchOnDetail = false;
  pick.buttons = Object.values(FILTER_BUTTONS);
  const picked: SearchFilters = {};
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let choosing = false;
  let projectCount = 1;
  void engine.listProjects().then((ps) => (projectCount = ps.length), () => undefined);

  const retitle = () => {
    const f = describeFilters(picked);
    pick.title = f ? `SDLC Lens: Search Documents (${f})` : 'SDLC Lens: Search Documents';
  };

  let inFlight = false;
  let waiting: { value: string; mine: number } | null = null;

  const run = async (value: string, mine: number) => {
    if (inFlight) {
      waiting = { value, mine }; // sent when the one in flight answers; any older waiting one is dropped
      return;
    }
    inFlight = true;
    const query = toSearchQuery(value, picked);
    let items: SearchItem[] = [];
    if (query) {
      try {
        // a search waits while documents wait to be indexed (seconds after a large cold sync): say so
        const page = await reportIndexWait(
          engine.search(query),
          () => engine.indexQueued(),
          (left) => {
            if (mine === seq) pick.items = [{ label: indexWaitLabel(left), alwaysShow: true }];
          },
        );
        items = page.items.map((r) => toItem(r, projectCount > 1));
        if (items.length === 0) items = [{ label: 'No matching documents', alwaysShow: true }];
      } catch (e) {
        items = [{ label: `$(warning) ${messageOf(e)}`, alwaysShow: true }];
      }
    }
    inFlight = false;
    const next = waiting;
    waiting = null;
    if (next && next.mine === seq) void run(next.value, next.mine);
    if (mine !== seq) return; // a newer query was typed meanwhile: its answer is the one to show
    pick.items = items;
    pick.busy = false;
    hooks.onDidApply?.(value, items);
  };

  const schedule = (delay = SEARCH_DEBOUNCE_MS) => {
    const mine = ++seq;
    if (timer) clearTimeout(timer);
    pick.busy = true;
    timer = setTimeout(() => void run(pick.value, mine), delay);
  };

  const choose = async (kind: keyof SearchFilters) => {
    type Option = vscode.QuickPickItem & { value: string | undefined };
    const options = async (): Promise<Option[]> => {
      const out: Option[] = [{ label: 'Any', value: undefined }];
      if (kind === 'project') for (const p of await engine.listProjects()) out.push({ label: p.name, description: p.slug, value: p.slug });
      if (kind === 'type') for (const d of DOC_TYPES) out.push({ label: typeLabel(d.type), description: d.type, value: d.type });
      if (kind === 'status') {
        const all = new Set(Object.values(STATUS_VOCAB).flat());
        for (const s of all) out.push({ label: s, value: s });
        out.push({ label: 'No status', value: 'none' });
      }
      return out;
    };
    choosing = true;
    // shown before the projects are listed, so what is typed at once is kept
    const chosen = await pickNow(options(), { placeholder: `Filter by ${kind}`, matchOnDescription: true });
    choosing = false;
    if (chosen) picked[kind] = chosen.value;
    retitle();
    pick.show();
    schedule(0);
  };

  const done = new Promise<void>((resolve) => {
    const subs: vscode.Disposable[] = [
      pick.onDidChangeValue(() => schedule()),
      pick.onDidTriggerButton((b) => {
        if (b === FILTER_BUTTONS.clear) {
          delete picked.project;
          delete picked.type;
          delete picked.status;
          retitle();
          schedule(0);
        } else {
          const kind = (Object.keys(FILTER_BUTTONS) as (keyof typeof FILTER_BUTTONS)[]).find((k) => FILTER_BUTTONS[k] === b);
          if (kind && kind !== 'clear') void choose(kind);
        }
      }),
      pick.onDidTriggerItemButton((e) => {
        if (e.item.ref) void openDocRef(engine, e.item.ref, true);
      }),
      pick.onDidAccept(() => {
        const ref = pick.selectedItems[0]?.ref ?? pick.activeItems[0]?.ref;
        if (!ref) return;
        pick.hide();
        void openDocRef(engine, ref);
      }),
      pick.onDidHide(() => {
        if (choosing) return;
        if (timer) clearTimeout(timer);
        seq++;
        for (const s of subs) s.dispose();
        pick.dispose();
        resolve();
      }),
    ];
  });
  pick.show();
  hooks.onDidShow?.(pick);
  await done;
}
