// The `when`-clause context keys SDLC Lens sets, in one place: package.json's menus hide the commands
// that cannot apply (Cancel Sync while nothing syncs, Stop API Server while it is stopped, …).
// `values` mirrors what was last set, so tests can read the keys back. No `vscode` import: the
// composition root passes the setter (the `setContext` command).
import type { State } from './statusModel';
import type { ViewSettings } from './tree/viewState';

export const CONTEXT_KEYS = {
  /** A sync started by this window is running. */
  syncing: 'sdlcLens.syncing',
  /** This window's API server is running. */
  apiRunning: 'sdlcLens.apiRunning',
  /** At least one project is registered. */
  hasProjects: 'sdlcLens.hasProjects',
  /** The Projects view's grouping: type | status | epic. */
  groupBy: 'sdlcLens.groupBy',
  /** The "hide finished" filter is on. */
  hideFinished: 'sdlcLens.hideFinished',
  /** The Projects view's scope: workspace | all. */
  scope: 'sdlcLens.scope',
} as const;

/** The context key values of a state and view settings (pure). */
export function contextValues(state: State, view: ViewSettings): Record<string, string | boolean> {
  return {
    [CONTEXT_KEYS.syncing]: state.running.length > 0,
    [CONTEXT_KEYS.apiRunning]: state.api.status === 'running',
    [CONTEXT_KEYS.hasProjects]: state.projects.length > 0,
    [CONTEXT_KEYS.groupBy]: view.mode,
    [CONTEXT_KEYS.hideFinished]: view.filter.hideFinished,
    [CONTEXT_KEYS.scope]: view.scope,
  };
}

export type SetContext = (key: string, value: string | boolean) => PromiseLike<unknown>;

export class ContextKeys {
  /** The values last set (test hook). */
  readonly values = new Map<string, string | boolean>();

  constructor(private readonly setContext: SetContext) {}

  /** Sets the keys whose value changed; resolves once VS Code has them. */
  async apply(next: Record<string, string | boolean>): Promise<void> {
    const changed = Object.entries(next).filter(([k, v]) => this.values.get(k) !== v);
    for (const [k, v] of changed) this.values.set(k, v);
    await Promise.all(changed.map(([k, v]) => this.setContext(k, v)));
  }
}
