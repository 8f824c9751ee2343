// `sdlc-lens sync <sdlc-path> | SLUG | --all [--name NAME] [--json]`: register a folder if needed and
// sync it to the end; or sync a registered project by slug; or every project, one after another.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { flagString, type ParsedArgs } from '../args';
import type { CliCommand, CliContext } from '../command';
import { withEngine } from '../engine';
import { DB_FILE } from '../../core/store/dataDir';
import { readRegistry, REGISTRY_FILE } from '../../core/store/registry';
import { isLensError, LensError } from '../../core/errors';
import type { LensEngine } from '../../core/engine-api';
import type { Project, SyncOutcome } from '../../core/types';

/** The folder's parent's name (`myrepo/sdlc-studio` → `myrepo`), else the folder's own name. */
function defaultName(real: string): string {
  return path.basename(path.dirname(real)) || path.basename(real) || 'sdlc-studio';
}

async function findOrRegister(engine: LensEngine, real: string, name: string | undefined): Promise<Project> {
  const existing = (await engine.listProjects()).find((p) => p.sdlc_path === real);
  if (existing) return existing;
  try {
    return await engine.registerProject({ name: name ?? defaultName(real), sdlc_path: real });
  } catch (e) {
    // Another process registered the same folder meanwhile: use its project.
    if (!isLensError(e) || e.code !== 'CONFLICT') throw e;
    await engine.catchUp();
    const registered = (await engine.listProjects()).find((p) => p.sdlc_path === real);
    if (!registered) throw e;
    return registered;
  }
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** The real path of a path that may no longer exist: its deepest existing ancestor resolved, the rest appended. */
async function realpathOfMissing(p: string): Promise<string> {
  const rest: string[] = [];
  let cur = path.resolve(p);
  for (;;) {
    try {
      return path.join(await fs.promises.realpath(cur), ...rest.reverse());
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return path.resolve(p);
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
}

export interface Target {
  project: Project;
  /** True when the argument named a folder (which `check` syncs first). */
  byPath: boolean;
}

/**
 * What a `sync`/`check` argument names, in this order: a registered project's slug (a slug never
 * holds `/` or `.`, so `./name` always means a folder); an existing folder (registered if new); the
 * folder of a registered project that no longer exists (so its sync runs and records "sdlc-studio
 * path not found" on the project, instead of failing before it starts).
 */
export async function resolveTarget(engine: LensEngine, arg: string, name?: string): Promise<Target> {
  const projects = await engine.listProjects();
  const bySlug = projects.find((p) => p.slug === arg);
  if (bySlug) return { project: bySlug, byPath: false };
  const abs = path.resolve(arg);
  if (await isDirectory(abs)) return { project: await findOrRegister(engine, await fs.promises.realpath(abs), name), byPath: true };
  const candidates = new Set([abs, await realpathOfMissing(abs)]);
  const vanished = projects.find((p) => p.sdlc_path !== null && candidates.has(p.sdlc_path));
  if (vanished) return { project: vanished, byPath: true };
  throw new LensError('PATH_NOT_FOUND', `sdlc-studio folder not found: ${arg} (nor a registered project of that slug)`);
}

/** Runs one sync to its end; Ctrl-C cancels it cleanly (recorded as `error`). */
export async function syncToEnd(engine: LensEngine, ctx: CliContext, slug: string, fullRehash = false): Promise<SyncOutcome> {
  const abort = new AbortController();
  ctx.onShutdown(async () => abort.abort());
  const { done } = await engine.startSync(slug, { signal: abort.signal, fullRehash });
  const o = await done;
  await engine.whenIndexed(); // leave the search index complete on disk
  return o;
}

const summaryOf = (o: SyncOutcome) => {
  const { slug, sync_status, sync_error, document_count, added, updated, skipped, deleted, errors, duration_ms } = o;
  return { slug, sync_status, sync_error, document_count, added, updated, skipped, deleted, errors, duration_ms };
};

function printLine(ctx: CliContext, o: SyncOutcome, named: boolean): void {
  ctx.out(
    `${o.slug}: ${o.sync_status} — ${o.document_count} documents (added ${o.added}, updated ${o.updated}, ` +
      `skipped ${o.skipped}, deleted ${o.deleted}, errors ${o.errors}) in ${o.duration_ms} ms`,
  );
  if (o.sync_error) ctx.err(`sdlc-lens: ${named ? `${o.slug}: ` : ''}${o.sync_error}`);
}

/**
 * Whether this sync is a re-sync: of projects this data folder already has (by slug, folder or
 * --all), without --rehash. A re-sync usually finds a few files changed, so its process is brief
 * (cli/wasmTier.ts): in new processes, 5 runs each (2026-12-03), an unchanged re-sync of 2,352
 * documents 0.40-0.53 -> 0.31-0.38 s, of 10k 0.52-0.68 -> 0.46-0.49 s. A folder's first sync keeps
 * both compilers: a cold sync of 9,408 is 10-30 % slower on the baseline one alone (so is a re-sync
 * that finds most files changed, the rarer case). Decided from the registry file, before sql.js loads.
 */
export function isResync(args: ParsedArgs, dataDir: string): boolean {
  if (args.flags.has('rehash') || !fs.existsSync(path.join(dataDir, DB_FILE))) return false;
  const registered = readRegistry(path.join(dataDir, REGISTRY_FILE));
  if (!registered?.length) return false;
  if (args.flags.has('all')) return true;
  const arg = args.positionals[0];
  if (arg === undefined) return false;
  if (registered.some((p) => p.slug === arg)) return true;
  try {
    const real = fs.realpathSync(path.resolve(arg));
    return registered.some((p) => p.sdlc_path === real);
  } catch {
    return false; // not a folder: the run says why
  }
}

const USAGE = 'usage: sdlc-lens sync <sdlc-path> | SLUG | --all [--name NAME] [--rehash] [--json]';

export const syncCommand: CliCommand = {
  name: 'sync',
  usage: 'sync <sdlc-path> | SLUG | --all [--name NAME] [--rehash] [--json]',
  summary: 'Sync a folder (registering it if new), a registered project, or every project',
  flags: { values: ['name'], booleans: ['json', 'all', 'rehash'] },
  brief: isResync,
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    const all = args.flags.has('all');
    if (all ? args.positionals.length !== 0 || args.flags.has('name') : args.positionals.length !== 1) {
      throw new LensError('VALIDATION_ERROR', USAGE);
    }
    const json = args.flags.has('json');
    const rehash = args.flags.has('rehash'); // read and hash every file, even those whose stat is unchanged
    return withEngine(ctx, async (engine) => {
      if (!all) {
        const { project } = await resolveTarget(engine, args.positionals[0], flagString(args, 'name'));
        const o = await syncToEnd(engine, ctx, project.slug, rehash);
        if (json) ctx.out(JSON.stringify(summaryOf(o)));
        else printLine(ctx, o, false);
        return o.sync_status === 'synced' ? 0 : 1;
      }
      const outcomes: SyncOutcome[] = [];
      let failed = false;
      for (const p of await engine.listProjects()) {
        let o: SyncOutcome;
        try {
          o = await syncToEnd(engine, ctx, p.slug, rehash);
        } catch (e) {
          // e.g. SYNC_IN_PROGRESS in another process, or removed meanwhile: report it, go on
          if (!isLensError(e)) throw e;
          ctx.err(`sdlc-lens: ${p.slug}: ${e.message}`);
          failed = true;
          continue;
        }
        outcomes.push(o);
        if (!json) printLine(ctx, o, true);
        if (o.cancelled) break; // Ctrl-C stops the whole run
      }
      if (json) ctx.out(JSON.stringify(outcomes.map(summaryOf)));
      else if (!outcomes.length && !failed) ctx.out('No projects registered. Run: sdlc-lens sync <path-to-sdlc-studio>');
      return !failed && outcomes.every((o) => o.sync_status === 'synced') ? 0 : 1;
    });
  },
};
