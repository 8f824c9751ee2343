// Labels, descriptions, icons and tooltips of tree nodes as plain data (no `vscode` import).
// tree/items.ts turns these into TreeItems.
import type { DocumentSummary } from '../../core/engine-api';
import { displayId, statusGroup, typeLabel } from '../../core/parse';
import type { Project, SyncStatus } from '../../core/types';

export interface IconSpec {
  id: string; // codicon id, e.g. "sync~spin"
  color?: string; // theme colour id
}

export const PROJECT_ICONS: Record<SyncStatus, IconSpec> = {
  never_synced: { id: 'circle-outline' },
  syncing: { id: 'sync~spin' },
  synced: { id: 'check' },
  error: { id: 'error', color: 'errorForeground' },
};

/** Icon per document status group (documents.md §6.2). */
const GROUP_ICONS: Record<string, IconSpec> = {
  done: { id: 'pass', color: 'testing.iconPassed' },
  'in-flight': { id: 'sync', color: 'charts.blue' },
  review: { id: 'circle-filled', color: 'charts.blue' },
  ready: { id: 'circle-outline' },
  planned: { id: 'circle-outline' },
  draft: { id: 'circle-outline' },
  triage: { id: 'circle-outline' },
  blocked: { id: 'circle-slash', color: 'errorForeground' },
  unknown: { id: 'file' },
};

export function documentIcon(status: string | null): IconSpec {
  return GROUP_ICONS[statusGroup(status)] ?? GROUP_ICONS.unknown;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", or a date for older times. */
export function relativeTime(iso: string | null, now: Date = new Date()): string {
  if (!iso) return 'never';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = Math.round((now.getTime() - t) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d === 1) return 'yesterday';
  if (d < 30) return `${d} days ago`;
  return new Date(t).toISOString().slice(0, 10);
}

export function projectDescription(p: Project, now?: Date): string {
  switch (p.sync_status) {
    case 'never_synced':
      return 'never synced';
    case 'syncing':
      return `${plural(p.document_count, 'doc')} · syncing…`;
    case 'synced':
      return `${plural(p.document_count, 'doc')} · ${relativeTime(p.last_synced_at, now)}`;
    case 'error':
      return `${plural(p.document_count, 'doc')} · sync failed`;
  }
}

const STATUS_TEXT: Record<SyncStatus, string> = {
  never_synced: 'Never synced',
  syncing: 'Syncing…',
  synced: 'Synced',
  error: 'Error',
};

/** Markdown text: escapes characters Markdown would interpret. */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

export function projectTooltip(p: Project, now?: Date): string {
  const lines = [
    `**${md(p.name)}**`,
    '',
    `Path: \`${(p.sdlc_path ?? '(none)').replace(/`/g, "'")}\``,
    '',
    `Status: ${STATUS_TEXT[p.sync_status]}`,
    '',
    `Documents: ${p.document_count}`,
    '',
    `Last sync: ${p.last_synced_at ? `${relativeTime(p.last_synced_at, now)} (${p.last_synced_at})` : 'never'}`,
  ];
  if (p.sync_error) lines.push('', '---', '', `$(error) ${md(p.sync_error)}`);
  return lines.join('\n');
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "US0001 · Create Widget": the display id, then the title without a repeated id prefix. */
export function documentLabel(d: Pick<DocumentSummary, 'doc_id' | 'title'>): string {
  const id = displayId(d.doc_id);
  let title = d.title?.trim() ?? '';
  if (id) title = title.replace(new RegExp(`^${escapeRe(id)}(?:\\s*[:\\-–—·|]\\s*|\\s+)`, 'i'), '').trim();
  if (!title || title === id || title === d.doc_id) return id || d.doc_id;
  return id ? `${id} · ${title}` : title;
}

export function groupLabel(type: string): string {
  return typeLabel(type, true);
}

export function documentTooltip(d: DocumentSummary): string {
  const rows: [string, string | number | null][] = [
    ['Type', typeLabel(d.type, false)],
    ['Status', d.status],
    ['Owner', d.owner],
    ['Priority', d.priority],
    ['Story points', d.story_points],
    ['Epic', d.epic],
    ['Story', d.story],
  ];
  const lines = [`**${md(documentLabel(d))}**`, ''];
  for (const [k, v] of rows) if (v !== null && v !== undefined && v !== '') lines.push(`${k}: ${md(String(v))}`, '');
  const shown = new Set(['status', 'owner', 'priority', 'story points', 'epic', 'story', 'type']);
  for (const [k, v] of Object.entries(d.metadata ?? {})) {
    if (!shown.has(k.toLowerCase()) && v) lines.push(`${md(k)}: ${md(v)}`, '');
  }
  lines.push(`\`${d.file_path.replace(/`/g, "'")}\``);
  return lines.join('\n');
}
