// The Projects view's own settings, kept per workspace (workspaceState): grouping, filter and scope.
// No `vscode` import: a Memento-like store is passed in, so it is unit-testable.
import { GROUP_MODES, SCOPES, type GroupMode, type Scope, type TreeFilter } from './grouping';

export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

export interface ViewSettings {
  mode: GroupMode;
  filter: TreeFilter;
  scope: Scope;
}

export const VIEW_STATE_KEYS = {
  mode: 'sdlcLens.view.groupBy',
  hideFinished: 'sdlcLens.view.hideFinished',
  scope: 'sdlcLens.view.scope',
} as const;

export const DEFAULT_VIEW: ViewSettings = { mode: 'type', filter: { hideFinished: false }, scope: 'workspace' };

const oneOf = <T extends string>(list: readonly T[], v: unknown, fallback: T): T => (list.includes(v as T) ? (v as T) : fallback);

export class ViewState {
  private current: ViewSettings;
  private readonly listeners = new Set<(s: ViewSettings) => void>();

  constructor(private readonly memento: MementoLike) {
    this.current = {
      mode: oneOf(GROUP_MODES, memento.get(VIEW_STATE_KEYS.mode), DEFAULT_VIEW.mode),
      filter: { hideFinished: memento.get(VIEW_STATE_KEYS.hideFinished) === true },
      scope: oneOf(SCOPES, memento.get(VIEW_STATE_KEYS.scope), DEFAULT_VIEW.scope),
    };
  }

  get settings(): ViewSettings {
    return this.current;
  }

  onDidChange(listener: (s: ViewSettings) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async setMode(mode: GroupMode): Promise<void> {
    await this.memento.update(VIEW_STATE_KEYS.mode, mode);
    this.set({ mode });
  }

  async setHideFinished(hideFinished: boolean): Promise<void> {
    await this.memento.update(VIEW_STATE_KEYS.hideFinished, hideFinished);
    this.set({ filter: { hideFinished } });
  }

  async setScope(scope: Scope): Promise<void> {
    await this.memento.update(VIEW_STATE_KEYS.scope, scope);
    this.set({ scope });
  }

  private set(patch: Partial<ViewSettings>): void {
    this.current = { ...this.current, ...patch };
    for (const l of [...this.listeners]) l(this.current);
  }
}
