// `sdlc-lens sync <sdlc-path> [--name NAME] [--json]`: register the folder if needed, sync it to the end.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { flagString, type ParsedArgs } from '../args';
import type { CliCommand, CliContext } from '../command';
import { withEngine } from '../engine';
import { isLensError, LensError } from '../../core/errors';
import type { LensEngine } from '../../core/engine-api';
import type { Project } from '../../core/types';

/** The folder's parent's name (`myrepo/sdlc-studio` → `myrepo`), else the folder's own name. */
function defaultName(real: string): string {
  return path.basename(path.dirname(real)) || path.basename(real) || 'sdlc-studio';
}

async function findOrRegister(engine: LensEngine, sdlcPath: string, name: string | undefined): Promise<Project> {
  let real: string;
  try {
    real = await fs.promises.realpath(sdlcPath);
  } catch {
    throw new LensError('PATH_NOT_FOUND', `sdlc-studio folder not found: ${sdlcPath}`);
  }
  const existing = engine.listProjects().find((p) => p.sdlc_path === real);
  if (existing) return existing;
  try {
    return await engine.registerProject({ name: name ?? defaultName(real), sdlc_path: real });
  } catch (e) {
    // Another process registered the same folder meanwhile: use its project.
    if (!isLensError(e) || e.code !== 'CONFLICT') throw e;
    await engine.refresh();
    const registered = engine.listProjects().find((p) => p.sdlc_path === real);
    if (!registered) throw e;
    return registered;
  }
}

export const syncCommand: CliCommand = {
  name: 'sync',
  usage: 'sync <sdlc-path> [--name NAME] [--json]',
  summary: 'Register an sdlc-studio folder (if needed) and sync its documents',
  flags: { values: ['name'], booleans: ['json'] },
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    if (args.positionals.length !== 1) throw new LensError('VALIDATION_ERROR', 'usage: sdlc-lens sync <sdlc-path>');
    return withEngine(ctx, async (engine) => {
      const project = await findOrRegister(engine, path.resolve(args.positionals[0]), flagString(args, 'name'));
      const abort = new AbortController();
      ctx.onShutdown(async () => abort.abort());
      const { done } = await engine.startSync(project.slug, { signal: abort.signal });
      const o = await done;
      await engine.whenIndexed(); // leave the search index complete on disk
      if (args.flags.has('json')) {
        const { slug, sync_status, sync_error, document_count, added, updated, skipped, deleted, errors, duration_ms } = o;
        ctx.out(
          JSON.stringify({ slug, sync_status, sync_error, document_count, added, updated, skipped, deleted, errors, duration_ms }),
        );
      } else {
        ctx.out(
          `${o.slug}: ${o.sync_status} — ${o.document_count} documents (added ${o.added}, updated ${o.updated}, ` +
            `skipped ${o.skipped}, deleted ${o.deleted}, errors ${o.errors}) in ${o.duration_ms} ms`,
        );
        if (o.sync_error) ctx.err(`sdlc-lens: ${o.sync_error}`);
      }
      return o.sync_status === 'synced' ? 0 : 1;
    });
  },
};
