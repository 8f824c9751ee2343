// The one State value of the extension and the status bar as a pure function of it.
// No `vscode` import: unit-testable in plain Node; statusBar.ts maps the result to a StatusBarItem.
import { SYNC_STATUS_WORDS } from '../core/projects';
import { syncErrorCode } from '../core/sync/messages';
import type { SyncOutcome, SyncProgress, SyncStatus } from '../core/types';

export interface ProjectState {
  slug: string;
  name: string;
  sync_status: SyncStatus;
  sync_error: string | null;
  document_count: number;
  last_synced_at: string | null;
}

export interface RunningSync {
  slug: string;
  origin: 'user' | 'auto';
  phase: 'starting' | 'collecting' | 'applying' | 'done';
  seen: number;
  total: number;
}

export type ApiState =
  | { status: 'stopped' }
  | { status: 'starting'; port: number }
  | { status: 'running'; port: number; url: string }
  | { status: 'error'; port: number; message: string };

export interface State {
  /** false until the engine has opened the database. */
  ready: boolean;
  projects: ProjectState[];
  /** Syncs run by this window, in start order. */
  running: RunningSync[];
  api: ApiState;
}

export const initialState: State = { ready: false, projects: [], running: [], api: { status: 'stopped' } };

export interface StatusView {
  visible: boolean;
  text: string;
  tooltip: string;
  /** Mapped to ThemeColor('statusBarItem.errorBackground'). */
  backgroundColor?: 'error';
  command?: { id: string; title: string; args?: unknown[] };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;


/** A project line of the tooltip, e.g. "lens — synced, 215 documents". */
export function projectLine(p: ProjectState, running?: RunningSync): string {
  let status = SYNC_STATUS_WORDS[p.sync_status];
  if (running) {
    status = running.total > 0 ? `syncing ${running.seen}/${running.total} files` : 'syncing';
  }
  const docs = plural(p.document_count, 'document');
  const error = p.sync_status === 'error' && p.sync_error && !running ? `: ${firstLine(p.sync_error)}` : '';
  return `${p.name} — ${status}, ${docs}${error}`;
}

/** The first line of a message, at most 120 characters (notifications and tooltips cut beyond that). */
export function firstLine(s: string): string {
  const line = s.split('\n')[0].trim();
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

function apiLine(api: ApiState): string | undefined {
  switch (api.status) {
    case 'running':
      return `API server: ${api.url}`;
    case 'starting':
      return `API server: starting on port ${api.port}`;
    case 'error':
      return `API server: ${firstLine(api.message)}`;
    case 'stopped':
      return undefined;
  }
}

export function renderStatus(state: State): StatusView {
  const hidden: StatusView = { visible: false, text: '', tooltip: '' };
  if (!state.ready || state.projects.length === 0) return hidden;

  const runningBySlug = new Map(state.running.map((r) => [r.slug, r]));
  const lines = state.projects.map((p) => projectLine(p, runningBySlug.get(p.slug)));
  const api = apiLine(state.api);
  if (api) lines.push('', api);
  const tooltip = ['SDLC Lens', '', ...lines].join('\n');

  // Syncing wins: this window's runs first, then projects another window is syncing.
  const syncing = [
    ...state.running.map((r) => state.projects.find((p) => p.slug === r.slug)).filter((p) => p !== undefined),
    ...state.projects.filter((p) => p.sync_status === 'syncing' && !runningBySlug.has(p.slug)),
  ];
  if (syncing.length > 0) {
    const more = syncing.length > 1 ? ` (+${syncing.length - 1})` : '';
    const first = syncing[0];
    const run = runningBySlug.get(first.slug);
    const cancellable = run !== undefined;
    return {
      visible: true,
      text: `$(sync~spin) SDLC: syncing ${first.name}${more}`,
      tooltip,
      command: cancellable
        ? { id: 'sdlcLens.cancelSync', title: 'Cancel Sync', args: [first.slug] }
        : { id: 'sdlcLens.projects.focus', title: 'Show Projects' },
    };
  }

  const errors = state.projects.filter((p) => p.sync_status === 'error');
  if (errors.length > 0) {
    return {
      visible: true,
      text: `$(error) SDLC: ${plural(errors.length, 'error')}`,
      tooltip,
      backgroundColor: 'error',
      command: { id: 'sdlcLens.showProjectError', title: 'Show Sync Error', args: [errors[0].slug] },
    };
  }

  // Nothing has ever synced: say so, and offer the sync rather than "0 docs".
  if (state.projects.every((p) => p.sync_status === 'never_synced' && p.last_synced_at === null)) {
    return {
      visible: true,
      text: '$(circle-outline) SDLC: not synced',
      tooltip,
      command:
        state.projects.length === 1
          ? { id: 'sdlcLens.syncProject', title: 'Sync Project', args: [state.projects[0].slug] }
          : { id: 'sdlcLens.syncAll', title: 'Sync All Projects' },
    };
  }

  const docs = state.projects.reduce((n, p) => n + p.document_count, 0);
  return {
    visible: true,
    text: `$(check) SDLC: ${docs} docs`,
    tooltip,
    command: { id: 'sdlcLens.projects.focus', title: 'Show Projects' },
  };
}

/** "3 added, 2 updated, 0 deleted, 0 errors" — the end-of-sync summary. */
export function summarizeCounts(c: { added: number; updated: number; deleted: number; errors: number }): string {
  return `${c.added} added, ${c.updated} updated, ${c.deleted} deleted, ${plural(c.errors, 'error')}`;
}

export const CHANGE_FOLDER = 'Change Folder…';

/** The sync error of a project whose sdlc-studio folder no longer exists (by its code: core's messages.ts). */
export function isMissingFolderError(error: string): boolean {
  return syncErrorCode(error) === 'PATH_NOT_FOUND';
}

/** Share of the bar (0–100) a sync phase has reached, and the words shown beside it. */
export function progressStep(p: Pick<SyncProgress, 'phase' | 'seen' | 'total'>): { pct: number; message?: string } {
  switch (p.phase) {
    case 'collecting':
      return p.total > 0
        ? { pct: Math.floor((p.seen / p.total) * 80), message: `reading files ${p.seen}/${p.total}` }
        : { pct: 0, message: 'listing files…' };
    case 'applying':
      return { pct: 85, message: p.total > 0 ? `applying ${p.total} files…` : 'applying changes…' };
    case 'done':
      return { pct: 100 };
    default:
      return { pct: 0 };
  }
}

/** The one message Sync All ends with: "Sync All (3 projects): 2 synced, 1 failed — 12 added, 3 updated, 0 deleted." */
export function syncAllSummary(outcomes: readonly SyncOutcome[], total: number): string {
  const ok = outcomes.filter((o) => o.sync_status === 'synced').length;
  const failed = outcomes.filter((o) => o.sync_status === 'error' && !o.cancelled).length;
  const cancelled = outcomes.some((o) => o.cancelled);
  const notRun = total - outcomes.length;
  const parts = [`${ok} synced`];
  if (failed) parts.push(`${failed} failed`);
  if (cancelled) parts.push('cancelled');
  if (notRun) parts.push(`${notRun} not run`);
  const sum = (k: 'added' | 'updated' | 'deleted') => outcomes.reduce((n, o) => n + o[k], 0);
  return `Sync All (${plural(total, 'project')}): ${parts.join(', ')} — ${sum('added')} added, ${sum('updated')} updated, ${sum('deleted')} deleted.`;
}
