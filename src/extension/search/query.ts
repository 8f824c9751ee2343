// What the Search Documents box means, as plain data (no `vscode` import, unit-tested): the engine
// query for the box and the picked filters, and a snippet as plain text.
import type { SearchQuery } from '../../core/engine-api';
import { MARK_CLOSE, MARK_OPEN } from '../../core/search';
import { canonicalStatusFilter, canonicalTypeFilter } from '../../core/search/queryFilters';
import { asYouType, isSearchable, parseQuery } from '../../core/search/queryLanguage';

/**
 * How long the pick waits after a keystroke before it asks: nothing. A keystroke is answered at once
 * when no query is in flight; while one is, only the newest value waits for it (searchPick.ts), so
 * fast typing never queues work and the last key's answer follows the one in flight. A 40 ms debounce
 * was 40 ms of every keystroke's 100 ms budget (bench/keystroke.ts, `npm run bench:host`).
 */
export const SEARCH_DEBOUNCE_MS = 0;

export interface SearchFilters {
  project?: string;
  type?: string;
  status?: string;
}

export { canonicalStatusFilter, canonicalTypeFilter };

/**
 * The engine query for what is in the box plus the filters picked with the buttons. The box's text
 * goes to the engine as it is (the query language, api.md §6.1, parsed in core: words, "phrases",
 * prefix*, -exclusions, type:/status:/project:/epic:/owner:); while the user types, the last word
 * gets a `*` so results appear mid-word. A picked filter is added as a filter of the query unless
 * the box has one of the same key (typed ones win). Null when the query can match nothing (an empty
 * box with nothing picked, or no word and no filter such as `!!!`).
 */
export function toSearchQuery(value: string, picked: SearchFilters, perPage = 30, typing = true): SearchQuery | null {
  const typed = parseQuery(value);
  const parts = [typing ? asYouType(value.trim()) : value.trim()];
  for (const key of ['project', 'type', 'status'] as const) {
    const v = picked[key];
    if (v && !typed.filters[key]) parts.push(`${key}:${/\s/.test(v) ? `"${v}"` : v}`);
  }
  const q = parts.filter(Boolean).join(' ');
  if (!isSearchable(parseQuery(q))) return null;
  return { q: [...q].slice(0, 500).join(''), per_page: perPage };
}

/**
 * The item (`ID · Title` labels) an Enter typed before Open Document by ID's items arrived means:
 * the exact id (any written form: `us0002`, `US-0002`), else the first id starting so, else the
 * first label holding the text.
 */
export function bestIdMatch<T extends { label: string }>(items: readonly T[], typed: string): T | undefined {
  const t = typed.trim().toLowerCase();
  if (!t) return undefined;
  const squashed = t.replace(/[^a-z0-9]/g, '');
  const idOf = (i: T) => i.label.split(' · ')[0]!.toLowerCase();
  return (
    items.find((i) => idOf(i) === t) ??
    items.find((i) => squashed !== '' && idOf(i).replace(/[^a-z0-9]/g, '') === squashed) ??
    items.find((i) => idOf(i).startsWith(t)) ??
    items.find((i) => i.label.toLowerCase().includes(t))
  );
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** A search snippet (HTML-escaped, matches in <mark>) as the plain text it stands for. */
export function snippetText(snippet: string): string {
  return snippet
    .split(MARK_OPEN)
    .join('')
    .split(MARK_CLOSE)
    .join('')
    .replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!)
    .replace(/\s+/g, ' ')
    .trim();
}

/** "type: Story · status: Done" for the picker's title; empty when no filter applies. */
export function describeFilters(f: SearchFilters): string {
  const parts: string[] = [];
  if (f.project) parts.push(`project: ${f.project}`);
  if (f.type) parts.push(`type: ${f.type}`);
  if (f.status) parts.push(`status: ${f.status}`);
  return parts.join(' · ');
}
