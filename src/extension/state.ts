// The extension's UI state: the single State value the status bar and the tree render (rust-analyzer's
// model); every change replaces it and notifies listeners. Not the database (that is core's Store). No `vscode` import.
import type { Project } from '../core/types';
import { initialState, type ApiState, type ProjectState, type RunningSync, type State } from './statusModel';

export type StateListener = (state: State) => void;

export class UiState {
  private current: State = initialState;
  private readonly listeners = new Set<StateListener>();

  get state(): State {
    return this.current;
  }

  onDidChange(listener: StateListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  setProjects(projects: readonly Project[]): void {
    const list: ProjectState[] = projects
      .map((p) => ({
        slug: p.slug,
        name: p.name,
        sync_status: p.sync_status,
        sync_error: p.sync_error,
        document_count: p.document_count,
        last_synced_at: p.last_synced_at,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    this.update({ ready: true, projects: list });
  }

  startRun(slug: string, origin: RunningSync['origin']): void {
    const running = this.current.running.filter((r) => r.slug !== slug);
    running.push({ slug, origin, phase: 'starting', seen: 0, total: 0 });
    this.update({ running });
  }

  progressRun(slug: string, p: Pick<RunningSync, 'phase' | 'seen' | 'total'>): void {
    const running = this.current.running.map((r) => (r.slug === slug ? { ...r, ...p } : r));
    this.update({ running });
  }

  endRun(slug: string): void {
    this.update({ running: this.current.running.filter((r) => r.slug !== slug) });
  }

  setApi(api: ApiState): void {
    this.update({ api });
  }

  private update(patch: Partial<State>): void {
    this.current = { ...this.current, ...patch };
    for (const l of [...this.listeners]) l(this.current);
  }
}
