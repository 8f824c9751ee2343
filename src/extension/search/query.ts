// What the Search Documents box means, as plain data (no `vscode` import, unit-tested): typed
// filters (`type:story status:done project:slug`) and the text to search, and a snippet as plain text.
import type { SearchQuery } from '../../core/engine-api';
import { DOC_TYPES, STATUS_VOCAB } from '../../core/parse';
import { MARK_CLOSE, MARK_OPEN } from '../../core/search';

export interface SearchFilters {
  project?: string;
  type?: string;
  status?: string;
}

export interface ParsedInput extends SearchFilters {
  /** The text left once the filters are taken out (trimmed; may be empty). */
  text: string;
}

const FILTER_RE = /(?:^|\s)(type|status|project):(?:"([^"]*)"|(\S*))/gi;
const squash = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');

/** Every status of every vocabulary, once, by squashed form (`inprogress` → `In Progress`). */
const STATUSES = new Map<string, string>();
for (const vocab of Object.values(STATUS_VOCAB)) for (const s of vocab) if (!STATUSES.has(squash(s))) STATUSES.set(squash(s), s);

/** Type ids and labels, singular and plural (`story`, `Stories`, `test-spec`, `Test Specs`), by squashed form. */
const TYPES = new Map<string, string>();
for (const d of DOC_TYPES) for (const name of [d.type, ...d.labels]) TYPES.set(squash(name), d.type);

/** The stored status a typed one means (`done` → `Done`, `in-progress` → `In Progress`; `none` stays). */
export function canonicalStatusFilter(typed: string): string {
  if (typed.toLowerCase() === 'none') return 'none';
  return STATUSES.get(squash(typed)) ?? typed;
}

/** The stored type a typed one means (`stories` → `story`, `Test Spec` → `test-spec`). */
export function canonicalTypeFilter(typed: string): string {
  return TYPES.get(squash(typed)) ?? typed.toLowerCase();
}

/** Splits the box's value into filters and text. A later filter of the same kind wins; empty ones are ignored. */
export function parseSearchInput(value: string): ParsedInput {
  const out: ParsedInput = { text: '' };
  const text = value.replace(FILTER_RE, (_all, key: string, quoted: string | undefined, bare: string | undefined) => {
    const v = (quoted ?? bare ?? '').trim();
    if (v) {
      const k = key.toLowerCase() as keyof SearchFilters;
      out[k] = k === 'status' ? canonicalStatusFilter(v) : k === 'type' ? canonicalTypeFilter(v) : v;
    }
    return ' ';
  });
  out.text = text.replace(/\s+/g, ' ').trim();
  return out;
}

/** The engine query for a parsed input plus the filters picked with the buttons (typed ones win); null when there is no text. */
export function toSearchQuery(input: ParsedInput, picked: SearchFilters, perPage = 30): SearchQuery | null {
  if (!input.text) return null;
  const q: SearchQuery = { q: input.text.slice(0, 500), per_page: perPage };
  const project = input.project ?? picked.project;
  const type = input.type ?? picked.type;
  const status = input.status ?? picked.status;
  if (project) q.project = project;
  if (type) q.type = type;
  if (status) q.status = status;
  return q;
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
