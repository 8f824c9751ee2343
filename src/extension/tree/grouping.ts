// How a project's documents are arranged under it, as plain data (no `vscode` import): by type (the
// default), by status, or by epic (stories under their epic, plans and test specs under their story),
// with the optional "hide finished" filter. The tree (projectsTree.ts) turns a Layout into nodes.
import type { DocumentSummary } from '../../core/engine-api';
import { displayId, isTerminal, normId, statusGroup, typeRank, type StatusGroup } from '../../core/parse';
import { compareDocuments, compareTypes, documentLabel, groupLabel, sortDocuments } from './presentation';

export const GROUP_MODES = ['type', 'status', 'epic'] as const;
export type GroupMode = (typeof GROUP_MODES)[number];
export const GROUP_MODE_LABELS: Record<GroupMode, string> = { type: 'by type', status: 'by status', epic: 'by epic' };

export interface TreeFilter {
  /** Hide documents in a terminal status of their type (Done, Closed, Won't Fix, Superseded, …). */
  hideFinished: boolean;
}
export const NO_FILTER: TreeFilter = { hideFinished: false };

export const SCOPES = ['workspace', 'all'] as const;
export type Scope = (typeof SCOPES)[number];
export const SCOPE_LABELS: Record<Scope, string> = { workspace: 'This Workspace', all: 'All Projects' };

/** A group row under a project. In epic mode an epic's bucket carries the epic document itself. */
export interface Bucket {
  key: string;
  label: string;
  docs: DocumentSummary[];
  /** The document this row stands for (an epic in epic mode): clicking the row opens it. */
  doc?: DocumentSummary;
}

export interface Layout {
  buckets: Bucket[];
  /** Documents shown under another document (epic mode: plans and test specs under their story), by file_path. */
  children: Map<string, DocumentSummary[]>;
}

/** Whether the filter keeps a document. */
export function keeps(filter: TreeFilter, d: Pick<DocumentSummary, 'type' | 'status'>): boolean {
  return !(filter.hideFinished && isTerminal(d.type, d.status));
}

/** Text for the view's description: scope, then the grouping and filter when not the defaults. */
export function viewDescription(scope: Scope, mode: GroupMode, filter: TreeFilter): string {
  const parts: string[] = [SCOPE_LABELS[scope]];
  if (mode !== 'type') parts.push(GROUP_MODE_LABELS[mode]);
  if (filter.hideFinished) parts.push('finished hidden');
  return parts.join(' · ');
}

/** Whether `dir` (a project's sdlc-studio folder) lies inside one of `roots` (workspace folders). */
export function inScope(scope: Scope, dir: string | null, roots: readonly string[], sep = '/'): boolean {
  if (scope === 'all') return true;
  if (!dir) return false;
  const norm = (p: string) => (p.endsWith(sep) ? p : p + sep);
  return roots.some((r) => norm(dir).startsWith(norm(r)));
}

const STATUS_ORDER: StatusGroup[] = ['in-flight', 'review', 'ready', 'planned', 'draft', 'triage', 'blocked', 'done', 'closed', 'unknown'];
const NO_STATUS = 'No Status';

/** Groups by type, in reading order with "Other" last. */
function byType(docs: readonly DocumentSummary[]): Bucket[] {
  const map = new Map<string, DocumentSummary[]>();
  for (const d of docs) map.set(d.type, [...(map.get(d.type) ?? []), d]);
  return [...map.keys()]
    .sort((a, b) => compareTypes(a, b, typeRank))
    .map((type) => ({ key: `type:${type}`, label: groupLabel(type), docs: sortDocuments(map.get(type)!) }));
}

/** Groups by status, in lifecycle order (in flight first, done last, no status at the end). */
function byStatus(docs: readonly DocumentSummary[]): Bucket[] {
  const map = new Map<string, DocumentSummary[]>();
  for (const d of docs) {
    const s = d.status ?? NO_STATUS;
    map.set(s, [...(map.get(s) ?? []), d]);
  }
  const rank = (s: string) => (s === NO_STATUS ? STATUS_ORDER.length : STATUS_ORDER.indexOf(statusGroup(s)));
  return [...map.keys()]
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((s) => ({ key: `status:${s}`, label: s, docs: sortDocuments(map.get(s)!) }));
}

const idKey = (d: DocumentSummary) => normId(displayId(d.doc_id));

/** Epics with their stories (and epic-scoped test specs); stories carry their plans and test specs. */
function byEpic(docs: readonly DocumentSummary[], all: readonly DocumentSummary[]): Layout {
  const epics = sortDocuments(all.filter((d) => d.type === 'epic'));
  const epicKeys = new Set(epics.map(idKey));
  const storyKeys = new Set(all.filter((d) => d.type === 'story').map(idKey));
  const children = new Map<string, DocumentSummary[]>();
  const underEpic = new Map<string, DocumentSummary[]>();
  const rest: DocumentSummary[] = [];
  const stories = docs.filter((d) => d.type === 'story');
  const storyByKey = new Map(stories.map((d) => [idKey(d), d]));
  for (const d of docs) {
    if (d.type === 'epic') continue;
    if ((d.type === 'plan' || d.type === 'test-spec') && d.story && storyKeys.has(d.story)) {
      const story = storyByKey.get(d.story);
      if (story) children.set(story.file_path, [...(children.get(story.file_path) ?? []), d]);
      else rest.push(d); // its story is filtered out: keep it findable
      continue;
    }
    if ((d.type === 'story' || d.type === 'test-spec') && d.epic && epicKeys.has(d.epic)) {
      underEpic.set(d.epic, [...(underEpic.get(d.epic) ?? []), d]);
      continue;
    }
    rest.push(d);
  }
  for (const list of children.values()) sortDocuments(list);
  const shown = new Set(docs);
  const buckets: Bucket[] = [];
  for (const e of epics) {
    const list = underEpic.get(idKey(e)!) ?? [];
    if (!shown.has(e) && list.length === 0) continue;
    // stories first, then the epic's own test specs
    list.sort((a, b) => Number(a.type !== 'story') - Number(b.type !== 'story') || compareDocuments(a, b));
    buckets.push({ key: `epic:${e.file_path}`, label: documentLabel(e), docs: list, doc: e });
  }
  const orphans = rest.filter((d) => d.type === 'story');
  if (orphans.length) buckets.push({ key: 'epic:none', label: 'Stories Without an Epic', docs: sortDocuments(orphans) });
  buckets.push(...byType(rest.filter((d) => d.type !== 'story')));
  return { buckets, children };
}

/** Arranges a project's documents for `mode`, keeping only those `filter` lets through. */
export function layoutDocuments(all: readonly DocumentSummary[], mode: GroupMode, filter: TreeFilter = NO_FILTER): Layout {
  const docs = all.filter((d) => keeps(filter, d));
  switch (mode) {
    case 'type':
      return { buckets: byType(docs), children: new Map() };
    case 'status':
      return { buckets: byStatus(docs), children: new Map() };
    case 'epic':
      return byEpic(docs, all);
  }
}

/** Number of documents a bucket row stands for (its documents and their children). */
export function bucketCount(b: Bucket, layout: Layout): number {
  return b.docs.reduce((n, d) => n + 1 + (layout.children.get(d.file_path)?.length ?? 0), 0);
}
