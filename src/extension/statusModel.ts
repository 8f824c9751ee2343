// The one State value of the extension and the status bar as a pure function of it.
// No `vscode` import: unit-testable in plain Node; statusBar.ts maps the result to a StatusBarItem.
import type { SyncStatus } from '../core/types';

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
  phase: 'starting' | 'collecting' | 'applying' | 'persisting' | 'done';
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

const STATUS_WORDS: Record<SyncStatus, string> = {
  never_synced: 'never synced',
  syncing: 'syncing',
  synced: 'synced',
  error: 'error',
};

/** A project line of the tooltip, e.g. "lens — synced, 215 documents". */
export function projectLine(p: ProjectState, running?: RunningSync): string {
  let status = STATUS_WORDS[p.sync_status];
  if (running) {
    status = running.total > 0 ? `syncing ${running.seen}/${running.total} files` : 'syncing';
  }
  const docs = plural(p.document_count, 'document');
  const error = p.sync_status === 'error' && p.sync_error && !running ? `: ${firstLine(p.sync_error)}` : '';
  return `${p.name} — ${status}, ${docs}${error}`;
}

function firstLine(s: string): string {
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
