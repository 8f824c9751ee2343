// The sync state machine (sync.md §1–§5): atomic flip to `syncing`, the background run, and the
// wrapper that always records an outcome, so nothing is ever left stuck in `syncing`.
import * as fs from 'node:fs';
import type { Database as SqlDatabase, SqlValue } from 'sql.js';
import type { StartedSync, StartSyncOptions } from '../engine-api';
import { LensError, messageOf } from '../errors';
import { PARSER_EPOCH, readSourceConfig, statusVocabFingerprint } from '../parse';
import { checkAllowedBase, projectRowById, toProject } from '../projects';
import type { Store } from '../store/database';
import type { Logger, SyncCounts, SyncOutcome, SyncProgress } from '../types';
import { phase } from '../store/phase';
import { mutateDespiteIndex, rewritesIndex } from '../store/ftsIndex';
import { requeueIndex } from '../store/schema';
import { collect, readConfigFiles, type CollectOptions } from './collect';
import { collectHinted, normalizeSyncPaths } from './hints';
import { FailureRecorder } from './failures';
import { isStaleOwner, type SyncOwner } from './owner';
import { applyBatches, parseBatch, planRun, type ParsedBatch, type Plan, type PlanBatch } from './plan';
import { storedHashes, storedRows } from './stored';
import { errorMessage, guardMessage, INTERRUPTED_MESSAGE, CANCELLED_MESSAGE, NO_PATH_MESSAGE, pathNotFoundMessage } from './messages';
import { nextTurn } from '../nextTurn';

/** What a batch slot holds once its files are parsed (their bytes let go). */
const EMPTY_BATCH: PlanBatch = { inserts: [], updates: [], deletes: [], statUpdates: [] };

interface Running {
  controller: AbortController;
  done?: Promise<SyncOutcome>;
}

/** Ends a run early with `error` and this message (pre-flight, guard): no document is touched. */
class RunFailure extends Error {}

export interface SyncEvents {
  projectChanged(slug: string): void;
  /** `changed`: the paths of documents updated in place, and how many were added and deleted. */
  documentsChanged(slug: string, changed?: { updated: string[]; added: number; deleted: number }): void;
}


const zeroCounts = (): SyncCounts => ({ added: 0, updated: 0, skipped: 0, deleted: 0, errors: 0 });

export class SyncService {
  private readonly running = new Map<string, Running>();
  private readonly failures: FailureRecorder;

  constructor(
    private readonly store: Store,
    private readonly owner: SyncOwner,
    private readonly logger: Logger,
    private readonly events: SyncEvents,
    private readonly allowedBase: string | null,
  ) {
    this.failures = new FailureRecorder(store, owner, logger);
  }

  isSyncing(slug: string): boolean {
    return this.running.has(slug);
  }

  /**
   * Null when no run of this process is in progress; otherwise settles once the runs in progress
   * have ended (a run still claiming its row: after one turn of the event loop, so ask again).
   * Background work (the search indexer) waits on it, so a sync never queues behind it.
   */
  busy(): Promise<void> | null {
    if (this.running.size === 0) return null;
    return Promise.all([...this.running.values()].map((r) => r.done?.catch(() => undefined) ?? nextTurn())).then(() => undefined);
  }

  cancel(slug: string): boolean {
    const run = this.running.get(slug);
    if (!run) return false;
    run.controller.abort();
    return true;
  }

  /** Resolves when this process's run of `slug` (if any) has ended. */
  async whenDone(slug: string): Promise<void> {
    await this.running.get(slug)?.done?.catch(() => undefined);
  }

  /** Cancels every run of this process and waits until each has recorded its outcome. */
  async cancelAll(): Promise<void> {
    const runs = [...this.running.values()];
    for (const r of runs) r.controller.abort();
    await Promise.all(runs.map((r) => r.done));
  }

  /** Start-up housekeeping (sync.md §3): stale `syncing` rows become `error`. Best-effort. */
  async recoverInterrupted(): Promise<string[]> {
    try {
      // Nothing to reset (the usual case): no write, so opening never rewrites the database.
      if (!this.store.get("SELECT 1 AS x FROM projects WHERE sync_status = 'syncing' LIMIT 1")) return [];
      const { value } = await this.store.mutate((db) => {
        const reset: string[] = [];
        const rows = db.exec("SELECT id, slug, sync_owner FROM projects WHERE sync_status = 'syncing'")[0];
        for (const [id, slug, owner] of rows?.values ?? []) {
          if (this.running.has(String(slug)) || !isStaleOwner(owner as string | null, this.owner.token)) continue;
          db.run(
            "UPDATE projects SET sync_status = 'error', sync_error = ?, sync_owner = NULL WHERE id = ?",
            [INTERRUPTED_MESSAGE, id as number],
          );
          reset.push(String(slug));
        }
        return reset;
      });
      for (const slug of value) {
        this.logger.warn(`${slug}: previous sync was interrupted; marked as error (no documents were lost)`);
        this.events.projectChanged(slug);
      }
      return value;
    } catch (e) {
      this.logger.error(`could not reset interrupted syncs: ${messageOf(e)}`);
      return [];
    }
  }

  async start(slug: string, options: StartSyncOptions = {}): Promise<StartedSync> {
    // The in-memory lock is taken synchronously, before any await: concurrent triggers see it.
    if (this.running.has(slug)) throw new LensError('SYNC_IN_PROGRESS', 'Sync already running for this project');
    let hints = normalizeSyncPaths(options.paths); // bad paths: VALIDATION_ERROR before anything is claimed
    const run: Running = { controller: new AbortController() };
    this.running.set(slug, run);
    let projectId: number;
    try {
      const { value } = await this.store.mutate((db) => this.claim(db, slug));
      projectId = value.id;
      // Hints describe changes since a complete sync. A project never synced, or whose last run
      // ended in error (files it could not read, a cancelled run), gets a full sync instead.
      if (value.previous !== 'synced') hints = null;
    } catch (e) {
      this.running.delete(slug);
      throw e;
    }
    this.failures.forget(projectId); // the claim replaced any outcome still waiting to be written
    // Everything after the claim is guarded: a throw here must neither leak the in-memory lock nor
    // leave the stored row `syncing`.
    try {
      const project = toProject(projectRowById(this.store, projectId)!);
      this.logger.info(`${slug}: sync started (${project.sdlc_path}${hints ? `, ${hints.length} changed path(s)` : ''})`);
      this.events.projectChanged(slug);
      const signals = [run.controller.signal, options.signal].filter((s): s is AbortSignal => !!s);
      run.done = this.execute(slug, projectId, project.sdlc_path, AbortSignal.any(signals), options, hints).finally(() =>
        this.running.delete(slug),
      );
      return { project, done: run.done };
    } catch (e) {
      this.running.delete(slug);
      await this.failures.record(projectId, messageOf(e));
      throw e;
    }
  }

  /** Atomic compare-and-set into `syncing`; a stale `syncing` (no live owner) may be taken over. */
  private claim(db: SqlDatabase, slug: string): { id: number; previous: string } {
    const row = db.exec('SELECT id, sync_status, sync_owner FROM projects WHERE slug = ?', [slug])[0]?.values[0];
    if (!row) throw new LensError('NOT_FOUND', 'Project not found');
    const [id, status, owner] = row;
    if (status === 'syncing' && !isStaleOwner(owner as string | null, this.owner.token)) {
      throw new LensError('SYNC_IN_PROGRESS', 'Sync already running for this project');
    }
    db.run("UPDATE projects SET sync_status = 'syncing', sync_error = NULL, sync_owner = ? WHERE id = ?", [
      this.owner.token,
      id as number,
    ]);
    return { id: Number(id), previous: String(status) };
  }

  private async execute(
    slug: string,
    projectId: number,
    sdlcPath: string | null,
    signal: AbortSignal,
    options: StartSyncOptions,
    /** normalised hinted paths (hints.ts): only these are considered; null: the whole folder */
    hints: string[] | null,
  ): Promise<SyncOutcome> {
    const onProgress = options.onProgress;
    const started = Date.now();
    let counts = zeroCounts();
    let fileErrors: Plan['fileErrors'] = [];
    const progress = (p: Omit<SyncProgress, 'slug' | keyof SyncCounts>, c: SyncCounts = counts): void => {
      try {
        onProgress?.({ slug, ...c, ...p });
      } catch (e) {
        this.logger.warn(`${slug}: progress listener failed: ${messageOf(e)}`);
      }
    };
    const finish = (cancelled: boolean, failure?: string): SyncOutcome => {
      const row = this.store.isOpen
        ? projectRowById(this.store, projectId)
        : undefined;
      const project = row ? toProject(row) : null;
      // A run has ended: it never reports `syncing`, even when its failure could not be written.
      const unrecorded = project?.sync_status === 'syncing' && failure !== undefined;
      const outcome: SyncOutcome = {
        slug,
        sync_status: unrecorded ? 'error' : (project?.sync_status ?? 'error'),
        sync_error: unrecorded ? failure! : project ? project.sync_error : 'Project was removed during the sync',
        document_count: project?.document_count ?? 0,
        duration_ms: Date.now() - started,
        ...counts,
        file_errors: fileErrors,
        cancelled,
      };
      progress({ phase: 'done', seen: counts.added + counts.updated + counts.skipped + counts.errors, total: 0 });
      this.logger[outcome.sync_status === 'synced' ? 'info' : 'error'](
        `${slug}: sync ended ${outcome.sync_status} in ${outcome.duration_ms} ms — added ${counts.added}, updated ${counts.updated}, skipped ${counts.skipped}, deleted ${counts.deleted}, errors ${counts.errors}` +
          (outcome.sync_error ? ` — ${outcome.sync_error}` : ''),
      );
      return outcome;
    };

    /** apply transactions committed: a failure after the first leaves them (each row matches its file) */
    let batchesWritten = 0;
    /** what those batches wrote: a run cancelled between them reports these */
    const written = { added: 0, updated: 0, deleted: 0 };
    try {
      const root = await this.preflight(sdlcPath);
      phase('config');
      const configFiles = await readConfigFiles(root);
      const config = readSourceConfig(configFiles.yaml, configFiles.version);
      const fingerprint = statusVocabFingerprint(config.status_vocab);
      phase('stored');
      let stored = await storedRows(this.store.connection, projectId, fingerprint, hints ?? undefined);
      // Rows that need no re-parse may be skipped without reading their file when its stat is unchanged.
      const knownStat = (rel: string): string | undefined => {
        const row = options.fullRehash ? undefined : stored.get(rel);
        return row?.current && row.statKey !== null ? row.statKey : undefined;
      };
      const collectOptions: CollectOptions & { config: typeof configFiles } = {
        signal,
        knownStat,
        config: configFiles,
        onFile: (seen, total) => progress({ phase: 'collecting', seen, total }),
        // a file no row holds is read with its apply batch: a cold sync holds one batch of bytes at a time
        readLater: (rel) => !stored.has(rel),
      };
      let collected = hints ? await collectHinted(root, hints, collectOptions) : null;
      if (!collected) {
        if (hints) stored = await storedRows(this.store.connection, projectId, fingerprint); // a link on the way: walk all
        collected = await collect(root, collectOptions);
        // an emptied folder (an unmounted drive) must not delete every document; a hinted run never sees all
        if (collected.manifest.size === 0 && stored.size > 0) throw new RunFailure(guardMessage(stored.size));
      }
      phase('plan');
      const reread: number[] = [];
      for (const [rel, entry] of collected.manifest) {
        const row = entry.kind === 'file' ? stored.get(rel) : undefined;
        if (row?.current) reread.push(row.id);
      }
      const hashes = await storedHashes(this.store.connection, projectId, reread);
      const plan = await planRun(collected, stored, hashes, signal);
      signal.throwIfAborted();
      counts = plan.counts;
      fileErrors = plan.fileErrors;
      progress({ phase: 'applying', seen: collected.manifest.size, total: collected.manifest.size });
      phase('apply');
      // A large plan is applied in bounded batches, each its own transaction and log record, so no
      // write holds the engine's thread for long (API requests, the tree's queries wait behind it);
      // the project's row is written with the last one. A cancel stops before the next batch.
      const batches = applyBatches(plan);
      const all = plan.updates.length ? Number(this.store.get('SELECT count(*) AS n FROM documents')?.n ?? 0) : 0;
      const requeue = rewritesIndex(plan.updates.length, all);
      let applied = true;
      const updated: string[] = [];
      for (let i = 0; i < batches.length && applied; i++) {
        const last = i === batches.length - 1;
        const batch = parseBatch(batches[i], plan, config.status_vocab, () => collected.manifest.keys());
        batches[i] = EMPTY_BATCH; // its bytes are parsed: nothing keeps them
        await nextTurn(); // reading and parsing a batch, then writing it: each ~15-20 ms at 512 KiB, never both in one hold
        ({ value: applied } = await mutateDespiteIndex(this.store, (m) => this.logger.warn(`${slug}: ${m}`), (db) => {
          // cancelled (also while waiting for the write lock): nothing more is written; the batches
          // before stay (each row matches its file as read), and the next sync writes the rest
          signal.throwIfAborted();
          return this.apply(db, projectId, batch, last ? { plan, config } : null, fingerprint, i === 0 && requeue);
        }, { moreFollow: !last })); // the last batch syncs the log (the batches before it too) and releases the lock
        if (applied) {
          batchesWritten++;
          written.added += batch.inserts.length;
          written.updated += batch.updates.length;
          written.deleted += batch.deletes.length;
          for (const u of batch.updates) updated.push(u.path);
        }
        if (!last) await nextTurn();
      }
      phase('applied');
      if (!applied) {
        // project deleted or taken over meanwhile: the batches before it stay (each row matches its file)
        if (batchesWritten > 0) this.events.documentsChanged(slug);
        return finish(true);
      }
      for (const f of plan.fileErrors) this.logger.error(`${slug}: ${f.path} ${f.reason}`);
      this.events.documentsChanged(slug, { updated, added: plan.counts.added, deleted: plan.deletes.length });
      this.events.projectChanged(slug);
      return finish(false);
    } catch (e) {
      const cancelled = signal.aborted;
      const message = cancelled ? CANCELLED_MESSAGE : e instanceof RunFailure ? e.message : messageOf(e);
      if (!(e instanceof RunFailure) && !cancelled) this.logger.error(`${slug}: sync failed: ${(e as Error)?.stack ?? e}`);
      counts = cancelled && batchesWritten > 0 ? { ...zeroCounts(), ...written } : cancelled || e instanceof RunFailure ? counts : zeroCounts();
      await this.failures.record(projectId, message);
      if (batchesWritten > 0) this.events.documentsChanged(slug);
      this.events.projectChanged(slug);
      return finish(cancelled, message);
    }
  }

  private async preflight(sdlcPath: string | null): Promise<string> {
    if (!sdlcPath) throw new RunFailure(NO_PATH_MESSAGE);
    try {
      if (!(await fs.promises.stat(sdlcPath)).isDirectory()) throw new Error('not a directory');
    } catch {
      throw new RunFailure(pathNotFoundMessage(sdlcPath));
    }
    try {
      checkAllowedBase(await fs.promises.realpath(sdlcPath), this.allowedBase);
    } catch (e) {
      throw new RunFailure(messageOf(e));
    }
    return sdlcPath;
  }

  /**
   * Steps 5–10 for one batch of the plan, as one transaction; `final` (the last batch) also records
   * the run's outcome on the project. Returns false (writing nothing) when the run no longer owns
   * the project.
   */
  private apply(
    db: SqlDatabase,
    projectId: number,
    batch: ParsedBatch,
    final: { plan: Plan; config: ReturnType<typeof readSourceConfig> } | null,
    fingerprint: string,
    requeue: boolean,
  ): boolean {
    const owner = db.exec("SELECT sync_owner FROM projects WHERE id = ? AND sync_status = 'syncing'", [projectId])[0]
      ?.values[0]?.[0];
    if (owner !== this.owner.token) return false;
    if (requeue) requeueIndex(db); // before the updates: their triggers then skip the old entries
    const now = new Date().toISOString();
    const docValues = (w: ParsedBatch['inserts'][number]): SqlValue[] => {
      const d = w.doc;
      const list = (v: string[] | null) => (v && v.length ? JSON.stringify(v) : null);
      return [
        d.docType, d.docId, d.refId, d.title, d.status, d.owner, d.priority, d.storyPoints, d.epic, d.story,
        // content bound as its UTF-8 bytes and stored as TEXT (CAST below): sql.js encodes a bound
        // string with a per-character JS loop; these are mostly a view of the file's own bytes
        list(d.dependsOn), list(d.aliases), d.metadata ? JSON.stringify(d.metadata) : null, w.contentBytes,
        w.hash, PARSER_EPOCH, fingerprint, now, w.stat?.size ?? null, w.stat?.mtimeNs ?? null, w.stat?.ino ?? null,
      ];
    };
    const insert = db.prepare(
      `INSERT INTO documents (doc_type, doc_id, ref_id, title, status, owner, priority, story_points, epic, story,
        depends_on, aliases, metadata, content, file_hash, parser_epoch, vocab_fingerprint, synced_at,
        file_size, file_mtime_ns, file_ino, project_id, file_path)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TEXT), ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const update = db.prepare(
      `UPDATE documents SET doc_type = ?, doc_id = ?, ref_id = ?, title = ?, status = ?, owner = ?, priority = ?,
        story_points = ?, epic = ?, story = ?, depends_on = ?, aliases = ?, metadata = ?, content = CAST(? AS TEXT), file_hash = ?,
        parser_epoch = ?, vocab_fingerprint = ?, synced_at = ?, file_size = ?, file_mtime_ns = ?, file_ino = ? WHERE id = ?`,
    );
    const remove = db.prepare('DELETE FROM documents WHERE id = ?');
    const restat = db.prepare('UPDATE documents SET file_size = ?, file_mtime_ns = ?, file_ino = ? WHERE id = ?');
    try {
      for (const w of batch.inserts) insert.run([...docValues(w), projectId, w.path]);
      for (const w of batch.updates) update.run([...docValues(w), w.id]);
      for (const id of batch.deletes) remove.run([id]);
      for (const u of batch.statUpdates) restat.run([u.stat.size, u.stat.mtimeNs, u.stat.ino, u.id]);
    } finally {
      insert.free();
      update.free();
      remove.free();
      restat.free();
    }
    if (!final) return true;
    const { plan, config } = final;
    const ok = plan.counts.errors === 0;
    db.run(
      `UPDATE projects SET schema_version = ?, profile = ?, status_vocab = ?, last_synced_at = ?,
         sync_status = ?, sync_error = ?, sync_owner = NULL WHERE id = ?`,
      [
        config.schema_version,
        config.profile,
        config.status_vocab ? JSON.stringify(config.status_vocab) : null,
        now,
        ok ? 'synced' : 'error',
        ok ? null : errorMessage(plan.counts, plan.fileErrors),
        projectId,
      ],
    );
    return true;
  }

  /** Writes every failure still waiting to be recorded (the retry timer does too; called at close). */
  flushUnrecorded(): Promise<void> {
    return this.failures.flush();
  }
}

