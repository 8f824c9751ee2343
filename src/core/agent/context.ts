// What a tool handler works with: the engine, the agent's own reads, the projects in scope, and the
// rules every tool shares (which project an input names, which document an id names, syncing a
// changed project before it is read).
import type { DocumentCandidate, LensEngine } from '../engine-api';
import { LensError, type LensErrorCode } from '../errors';
import type { Store } from '../store/database';
import type { Project } from '../types';
import type { Freshness } from './freshness';

/** A tool error about one input field: the model is told which one and why. */
export class ToolInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly code: LensErrorCode = 'VALIDATION_ERROR',
  ) {
    super(message);
    this.name = 'ToolInputError';
  }
}

export interface ToolContext {
  readonly engine: LensEngine;
  readonly store: Store;
  /** The projects this caller may see (MCP roots, --project), in creation order. */
  readonly scope: Project[];
  /** The projects an optional `project` input names: that one, else the whole scope. */
  projects(project: string | undefined): Project[];
  /** Syncs (path-hinted or full) each project whose files changed since its last sync. */
  fresh(projects: readonly Project[]): Promise<void>;
  /** The one document `id` names among `projects`; an error naming `id` (or `project`) otherwise. */
  document(id: string, projects: readonly Project[]): DocumentCandidate;
}

export interface ContextDeps {
  engine: LensEngine;
  store: Store;
  freshness: Freshness;
  /** Slugs the caller may see; undefined: every registered project. */
  scope?: readonly string[];
  /** One sync per project at a time, shared by concurrent calls. */
  inFlight: Map<string, Promise<void>>;
}

const list = (slugs: readonly string[]): string => (slugs.length ? slugs.join(', ') : 'none');

export function toolContext(deps: ContextDeps): ToolContext {
  const { engine, store, freshness, inFlight } = deps;
  const all = engine.listProjects();
  const scope = deps.scope ? all.filter((p) => deps.scope!.includes(p.slug)) : all;
  const idOf = (slug: string): number => Number(store.get('SELECT id FROM projects WHERE slug = ?', [slug])?.id ?? -1);

  const syncOne = async (p: Project): Promise<void> => {
    if (!p.sdlc_path || engine.isSyncing(p.slug)) return; // a run already under way answers soon enough
    const id = idOf(p.slug);
    const staleness = await freshness.probe(id, p.sdlc_path, p.last_synced_at);
    if (staleness.kind === 'fresh') return;
    try {
      const run = await engine.startSync(p.slug, staleness.kind === 'paths' ? { paths: staleness.paths } : undefined);
      await run.done;
    } catch (e) {
      if (!(e instanceof LensError && e.code === 'SYNC_IN_PROGRESS')) throw e; // another process syncs it
      return;
    }
    await freshness.settle(id, p.sdlc_path);
  };

  return {
    engine,
    store,
    scope,
    projects(project) {
      if (project === undefined) return scope;
      const wanted = project.trim().toLowerCase();
      const found = scope.find((p) => p.slug === wanted) ?? scope.find((p) => p.name.toLowerCase() === wanted);
      if (found) return [found];
      const elsewhere = all.some((p) => p.slug === wanted);
      throw new ToolInputError(
        'project',
        `project: ${elsewhere ? `"${project}" is not in this session's scope` : `no project "${project}"`} (projects: ${list(scope.map((p) => p.slug))})`,
        'NOT_FOUND',
      );
    },
    async fresh(projects) {
      await Promise.all(
        projects.map((p) => {
          let run = inFlight.get(p.slug);
          if (!run) {
            run = syncOne(p).finally(() => inFlight.delete(p.slug));
            inFlight.set(p.slug, run);
          }
          return run;
        }),
      );
    },
    document(id, projects) {
      // the writer's lookup (every written form of an id), kept to these projects, in their order
      const order = projects.map((p) => p.slug);
      const matches = engine
        .findDocuments(id, projects.length === 1 ? projects[0].slug : undefined)
        .filter((m) => order.includes(m.slug))
        .sort((a, b) => order.indexOf(a.slug) - order.indexOf(b.slug));
      if (matches.length === 0) {
        const where = projects.length === 1 ? `project ${projects[0].slug}` : `projects ${list(projects.map((p) => p.slug))}`;
        throw new ToolInputError('id', `id: no document "${id}" in ${where}`, 'NOT_FOUND');
      }
      const slugs = [...new Set(matches.map((m) => m.slug))];
      if (slugs.length > 1) {
        throw new ToolInputError('project', `project: "${id}" is in several projects (${slugs.join(', ')}); say which with project`);
      }
      return matches[0];
    },
  };
}
