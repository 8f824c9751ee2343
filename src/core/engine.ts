// The engine: one store, project rules, document queries and the sync service behind LensEngine.
// Composition only; each concern lives in its own module.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DocumentQueries } from './documents';
import {
  CHANGED_PATHS_MAX,
  type DocumentPage,
  type DocumentQuery,
  type DocumentSummary,
  type EngineChange,
  type LensEngine,
  type ProjectInput,
  type ProjectUpdate,
  type SearchPage,
  type SearchQuery,
  type StartedSync,
  type StartSyncOptions,
  type SystemHealth,
} from './engine-api';
import { LensError, messageOf } from './errors';
import { Listeners } from './listeners';
import {
  checkAllowedBase,
  clearProjectDocuments,
  deleteProjectRow,
  insertProject,
  pathInside,
  projectFolders,
  projectRowOf,
  projectRows,
  resolveSdlcPath,
  slugify,
  toProject,
  updateProjectRow,
  validateName,
} from './projects';
import { Store } from './store/database';
import { FtsIndexer, pendingCount } from './store/ftsIndex';
import { indexPersister } from './search/persistIndex';
import { probeSchema } from './store/schema';
import { referencesTo, resolveRefs, type DocumentReference, type ResolveOptions, type ResolvedRef } from './references';
import { completeIds, type IdCompletion } from './completion';
import { SearchIndex, type IndexRepair } from './search';
import { newOwner, type SyncOwner } from './sync/owner';
import { SyncService } from './sync/service';
import { silentLogger, type DocumentDetail, type Logger, type Project, type RelatedDocuments } from './types';
import { checkProject, statsOfAll, statsOfProject, type AllStats, type HealthCheckOptions, type HealthReport, type ProjectStats } from './health';
import { DiagnosticsPlacer, projectFileOf, type FileSelection, type HealthDiagnosticsResult, type HealthFilesResult } from './health/placement';
import { VERSION } from './version';
import { SkillChecks, type SkillCheckOptions, type SkillCheckReport } from './skill/checks';
import type { AgentTools, AgentToolOptions, ToolAnswer } from './agent';
import type { SkillSettings } from './skill/run';
import { findDocuments, resyncAfterWrite, StatusWriter, type DocumentCandidate, type StatusChoice, type StatusWriterOptions } from './write';
import type { SetStatusRequest, SetStatusResult } from './engine-api';

export interface EngineOptions {
  /** Folder holding the database file (the extension's globalStorage, or the CLI's --data-dir). */
  dataDir: string;
  /** sql-wasm.wasm to load; defaults to the one beside the bundle or in node_modules. */
  wasmPath?: string;
  logger?: Logger;
  /** Optional allowed base: every project path must lie inside it (sync.md §12, BG-01KX8BJY). */
  allowedBase?: string | null;
  /** The status writer's skill settings and test seams (writing.md; default: discover, python3). */
  writer?: StatusWriterOptions;
  /**
   * Documents the search indexer takes per slice (store/ftsIndex.ts; default INDEX_SLICE, sized for
   * a thread that answers requests). A one-shot CLI command answers nobody while it indexes.
   */
  indexSlice?: number;
}

export class Engine implements LensEngine {
  readonly version = VERSION;
  private readonly listeners: Listeners<EngineChange>;
  /** Health diagnostics placed: spans per file kept while the file is unchanged, each project's latest files. */
  readonly #placer = new DiagnosticsPlacer();
  private readonly docs: DocumentQueries;
  private readonly sync: SyncService;
  private readonly indexer: FtsIndexer;
  private readonly searchIndex: SearchIndex;
  readonly #writer: StatusWriter;
  private closed = false;
  /** sdlc-studio's own checks (src/core/skill/checks.ts). */
  private readonly _checks = new SkillChecks({
    project: (slug) => this.getProject(slug),
    documents: (slug) => this.documentSummaries(slug),
    settings: () => this.#writer.skillSettings, // one holder of the skill settings: the writer's
  });
  #agent: AgentTools | undefined;
  /** A rebuilt search index being saved (indexRepaired); close waits for it. */
  private indexSaved: Promise<void> = Promise.resolve();

  private constructor(
    private readonly store: Store,
    private readonly owner: SyncOwner,
    private readonly logger: Logger,
    private readonly allowedBase: string | null,
    writerOptions: StatusWriterOptions = {},
    indexSlice?: number,
  ) {
    this.listeners = new Listeners<EngineChange>(logger);
    this.docs = new DocumentQueries(store);
    this.indexer = new FtsIndexer(
      store,
      (e) => logger.warn(`search index update failed (retried later): ${(e as Error).message}`),
      indexPersister(store, logger),
      // a sync in progress goes first (an edit's sync never waits behind slices), and an image being
      // written: a slice meanwhile would make sql.js copy the frozen file (store/sqljs.ts)
      () => this.sync.busy() ?? store.writingImage,
      indexSlice,
    );
    this.searchIndex = new SearchIndex(store, (why) => this.indexRepaired(why));
    this.sync = new SyncService(
      store,
      owner,
      logger,
      {
        projectChanged: (slug) => this.emit({ kind: 'project', slug }),
        documentsChanged: (slug, changed) => {
          this.indexer.schedule();
          const listed = changed && changed.updated.length <= CHANGED_PATHS_MAX;
          this.emit(listed ? { kind: 'documents', slug, paths: changed.updated, added: changed.added, deleted: changed.deleted } : { kind: 'documents', slug });
        },
      },
      allowedBase,
    );
    this.#writer = new StatusWriter({ store, logger, resync: (slug, paths) => resyncAfterWrite({ sync: this.sync, logger, closed: () => this.closed }, slug, paths) }, writerOptions);
  }

  static async open(options: EngineOptions): Promise<Engine> {
    const logger = options.logger ?? silentLogger;
    const store = await Store.open(options.dataDir, logger, options.wasmPath);
    const allowedBase = options.allowedBase ? path.resolve(options.allowedBase) : null;
    const engine = new Engine(store, newOwner(), logger, allowedBase, options.writer, options.indexSlice);
    await engine.sync.recoverInterrupted();
    engine.indexer.schedule(); // anything a crash or another process left queued
    return engine;
  }

  get dbPath(): string {
    return this.store.file;
  }

  /** Problems met while opening (e.g. a corrupt database moved aside). */
  get warnings(): readonly string[] {
    return this.store.warnings;
  }

  // ── projects ──────────────────────────────────────────────────────────────

  listProjects(): Project[] {
    return projectRows(this.store).map(toProject);
  }

  getProject(slug: string): Project {
    return toProject(this.projectRow(slug));
  }

  async registerProject(input: ProjectInput): Promise<Project> {
    const name = validateName(input?.name);
    if (input.source_type !== undefined && input.source_type !== 'local') {
      throw new LensError('VALIDATION_ERROR', "source_type: only 'local' is supported");
    }
    const slug = slugify(name);
    if (!slug) throw new LensError('VALIDATION_ERROR', 'Project name produces an empty slug after sanitisation');
    const sdlcPath = await resolveSdlcPath(input.sdlc_path, this.allowedBase);
    await this.store.mutate((db) => insertProject(db, slug, name, sdlcPath));
    this.logger.info(`${slug}: registered ${sdlcPath}`);
    this.emit({ kind: 'project', slug });
    return this.getProject(slug);
  }

  async updateProject(slug: string, update: ProjectUpdate): Promise<Project> {
    // Only the updatable fields count: `{}` and `{"unknown": 1}` are both empty updates (api.md §4.4).
    const u = update ?? {};
    if (u.name == null && u.sdlc_path == null && u.source_type == null) throw new LensError('VALIDATION_ERROR', 'At least one field must be provided');
    const name = update.name != null ? validateName(update.name) : undefined;
    if (update.source_type != null && update.source_type !== 'local') {
      throw new LensError('VALIDATION_ERROR', "source_type: only 'local' is supported");
    }
    const current = this.getProject(slug);
    // Validate the effective post-update project (BG-01KX95QP), then change everything or nothing.
    const sdlcPath =
      update.sdlc_path != null ? await resolveSdlcPath(update.sdlc_path, this.allowedBase) : current.sdlc_path;
    if (update.sdlc_path == null && sdlcPath) checkAllowedBase(sdlcPath, this.allowedBase);
    await this.store.mutate((db) => updateProjectRow(db, slug, name ?? current.name, sdlcPath));
    this.emit({ kind: 'project', slug });
    return this.getProject(slug);
  }

  async deleteProject(slug: string): Promise<void> {
    const running = this.sync.isSyncing(slug);
    this.sync.cancel(slug); // the run checks ownership before writing, so it becomes a no-op
    this._checks.forget(slug);
    this.#placer.forget(slug);
    await this.store.mutate((db) => deleteProjectRow(db, slug));
    this.logger.info(`${slug}: removed${running ? ' (its running sync was cancelled)' : ''}`);
    this.emit({ kind: 'removed', slug });
    await this.afterRemoval();
  }

  /**
   * After documents were removed: gives the freed pages back (Store.compact; a failure only costs
   * the space), and indexes whatever a large removal queued (projects.ts requeueForRemoval).
   */
  private async afterRemoval(): Promise<void> {
    try {
      await this.store.compact();
    } catch (e) {
      this.logger.warn(`could not compact the database (its free pages stay until the next removal): ${messageOf(e)}`);
    }
    this.indexer.schedule();
  }

  async clearDocuments(slug: string): Promise<void> {
    if (this.sync.isSyncing(slug)) throw new LensError('SYNC_IN_PROGRESS', 'Sync already running for this project');
    await this.store.mutate((db) => clearProjectDocuments(db, slug));
    this.emit({ kind: 'documents', slug });
    this.emit({ kind: 'project', slug });
    await this.afterRemoval();
  }

  // ── sync ──────────────────────────────────────────────────────────────────

  startSync(slug: string, options?: StartSyncOptions): Promise<StartedSync> {
    if (this.closed) return Promise.reject(new LensError('DATABASE_UNAVAILABLE', 'SDLC Lens is shutting down'));
    this._checks.cancel(slug); // a newer sync: the skill's checks of the older state are moot
    return this.sync.start(slug, options);
  }

  cancelSync(slug: string): boolean {
    return this.sync.cancel(slug);
  }

  isSyncing(slug: string): boolean {
    return this.sync.isSyncing(slug);
  }

  // ── documents ─────────────────────────────────────────────────────────────

  listDocuments(slug: string, query?: DocumentQuery): DocumentPage {
    return this.docs.list(this.projectId(slug), query);
  }

  getDocument(slug: string, type: string, docId: string): DocumentDetail {
    return this.docs.get(this.projectId(slug), type, docId);
  }

  relatedDocuments(slug: string, type: string, docId: string): RelatedDocuments {
    return this.docs.related(this.projectId(slug), type, docId);
  }

  documentSummaries(slug: string): DocumentSummary[] {
    return this.docs.summaries(this.projectId(slug));
  }

  documentModifiedTimes(slug: string): Record<string, string> {
    return this.docs.modifiedTimes(this.projectId(slug));
  }

  documentsOfType(slug: string, type: string): DocumentSummary[] {
    return this.docs.summaries(this.projectId(slug), type);
  }

  documentsAt(slug: string, paths: string[]): DocumentSummary[] {
    const id = this.projectId(slug);
    const out: DocumentSummary[] = [];
    for (let i = 0; i < paths.length; i += 500) out.push(...this.docs.summaries(id, undefined, paths.slice(i, i + 500)));
    return out;
  }

  documentTypeCounts(slug: string): { type: string; count: number }[] {
    return this.docs.typeCounts(this.projectId(slug));
  }

  exportDocuments(slug: string): Omit<DocumentDetail, 'content'>[] {
    return this.docs.exportAll(this.projectId(slug));
  }

  locate(absPath: string): { slug: string; file_path: string; type: string | null; doc_id: string | null } | null {
    let real = absPath;
    try {
      real = fs.realpathSync(absPath);
    } catch {
      // a file that no longer exists can still be matched by its path
    }
    for (const project of projectFolders(this.store)) {
      const filePath = pathInside(project.sdlc_path, real);
      if (filePath === null) continue;
      const doc = this.docs.byPath(project.id, filePath);
      return {
        slug: project.slug,
        file_path: filePath,
        type: doc ? String(doc.doc_type) : null,
        doc_id: doc ? String(doc.doc_id) : null,
      };
    }
    return null;
  }

  // ── links between documents ───────────────────────────────────────────────

  resolveRefs(refs: string[], fromPath?: string, options?: ResolveOptions): Record<string, ResolvedRef> {
    this.assertOpen();
    return resolveRefs(this.store, refs, this.#slugOfPath(fromPath), options);
  }

  referencesTo(ref: string, fromPath?: string): DocumentReference[] {
    this.assertOpen();
    return referencesTo(this.store, ref, this.#slugOfPath(fromPath));
  }

  completeIds(prefix: string, fromPath?: string, limit?: number): IdCompletion[] {
    this.assertOpen();
    return completeIds(this.store, prefix, this.#slugOfPath(fromPath), limit);
  }

  /** The project an absolute path lies in (`#private`: never callable from the worker's host). */
  #slugOfPath(fromPath: string | undefined): string | null {
    return typeof fromPath === 'string' && fromPath ? this.locate(fromPath)?.slug ?? null : null;
  }

  // ── search ────────────────────────────────────────────────────────────────

  search(query: SearchQuery): SearchPage {
    this.assertOpen();
    return this.searchIndex.search(query);
  }

  /**
   * A search brought the index up to date in memory. A rebuild (missing, stale, unreadable) is the
   * whole index: it is saved with a fold, so the next process does not rebuild it again (issue 18);
   * a lagging queue drained at a search is what replaying the log queues anyway.
   */
  private indexRepaired(why: IndexRepair): void {
    if (why === 'lagging') {
      this.logger.info('search index: lagging at a search, queued documents indexed');
      return;
    }
    this.logger.warn(`search index was ${why}; rebuilt it from the stored documents`);
    this.indexSaved = this.store.checkpoint().catch((e: Error) => this.logger.warn(`could not save the rebuilt search index: ${e.message}`));
  }

  // ── statistics and health check ───────────────────────────────────────────

  projectStats(slug: string): ProjectStats {
    const row = this.projectRow(slug);
    return statsOfProject(this.store, { id: Number(row.id), slug: String(row.slug), name: String(row.name), last_synced_at: toProject(row).last_synced_at });
  }

  allStats(): AllStats {
    this.assertOpen();
    return statsOfAll(this.store);
  }

  healthCheck(slug: string, options?: HealthCheckOptions): HealthReport {
    return checkProject(this.store, slug, () => this.projectId(slug), options);
  }

  async healthDiagnostics(slug: string, options: HealthCheckOptions & { since?: string; files?: FileSelection } = {}): Promise<HealthDiagnosticsResult> {
    const { since, files, ...check } = options;
    const report = this.healthCheck(slug, check);
    const sdlcPath = toProject(this.projectRow(slug)).sdlc_path;
    if (!sdlcPath) {
      this.#placer.forget(slug);
      return { unchanged: false, hash: '', reads: 0, report, projectFile: null, files: [] };
    }
    let projectFile: string | null = null;
    if (report.findings.some((f) => f.affected_documents.length === 0)) {
      const id = this.projectId(slug);
      projectFile = projectFileOf([...this.docs.summaries(id, 'prd'), ...this.docs.summaries(id, 'trd')]) ?? projectFileOf(this.docs.summaries(id));
    }
    return this.#placer.place(slug, report, sdlcPath, projectFile, since, files);
  }

  healthFiles(slug: string, hash: string, which: FileSelection = 'all'): HealthFilesResult {
    this.assertOpen();
    return this.#placer.files(slug, hash, which);
  }

  // ── agent tools ───────────────────────────────────────────────────────────

  /** The tools (and their zod schemas, ~35 ms of a new process's start) are loaded at the first call. */
  agentTool(name: string, input: unknown, options?: AgentToolOptions): Promise<ToolAnswer> {
    if (!this.#agent) {
      // require, not import(): the bundle keeps it lazy, and tests run the sources as CommonJS
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { AgentTools } = require('./agent/runtime') as typeof import('./agent/runtime');
      this.#agent = new AgentTools(this, this.store, this.logger);
    }
    return this.#agent.run(name, input, options);
  }

  // ── status changes (write/) ───────────────────────────────────────────────

  setStatus(req: SetStatusRequest): Promise<SetStatusResult> {
    if (this.closed) return Promise.reject(new LensError('DATABASE_UNAVAILABLE', 'SDLC Lens is shutting down'));
    return this.#writer.set(req);
  }

  statusChoices(slug: string, type: string): StatusChoice[] {
    this.assertOpen();
    return this.#writer.choices(slug, type);
  }

  configureSkill(settings: Partial<SkillSettings>): void {
    this.#writer.configure(settings);
  }

  findDocuments(id: string, slug?: string): DocumentCandidate[] {
    this.assertOpen();
    return findDocuments(this.store, id, slug);
  }

  skillChecks(slug: string, options?: SkillCheckOptions): Promise<SkillCheckReport> {
    if (this.closed) return Promise.reject(new LensError('DATABASE_UNAVAILABLE', 'SDLC Lens is shutting down'));
    try {
      return this._checks.run(slug, options);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  // ── system ────────────────────────────────────────────────────────────────

  health(): SystemHealth {
    const down: SystemHealth = {
      status: 'unhealthy',
      database: 'disconnected',
      version: this.version,
      migration_ok: false,
      fts_ok: false,
      ready: false,
    };
    if (this.closed || !this.store.isOpen) return down;
    try {
      const { migration_ok, fts_ok } = probeSchema(this.store.connection);
      return { status: 'healthy', database: 'connected', version: this.version, migration_ok, fts_ok, ready: migration_ok && fts_ok };
    } catch {
      return down;
    }
  }

  async catchUp(): Promise<boolean> {
    if (this.closed) return false;
    const reloaded = await this.store.loadOtherWrites();
    if (reloaded) {
      this.indexer.schedule();
      this.emit({ kind: 'reloaded' });
    }
    return reloaded;
  }

  async resetStaleSyncs(): Promise<string[]> {
    if (this.closed) return [];
    await this.catchUp();
    return this.sync.recoverInterrupted();
  }

  whenIndexed(): Promise<void> {
    return this.indexer.whenIdle();
  }

  /**
   * search() once the background indexer has nothing queued, so that it answers from the index
   * instead of indexing the queue itself in one hold of the thread (seconds for an image another
   * process left queued; every other request waits behind it). For the worker, the REST API and the
   * agent's search; a one-shot command calls search(), which indexes the queue at once.
   */
  async searchSettled(query: SearchQuery): Promise<SearchPage> {
    await this.indexer.whenDrained();
    return this.search(query);
  }

  /** Documents stored but not yet in the search index. */
  indexQueued(): number {
    return this.store.isOpen ? pendingCount(this.store.connection) : 0;
  }

  onDidChange(listener: (change: EngineChange) => void): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    // Closed before the first await: no new run or write can start while the running ones end.
    if (this.closed) return;
    this.closed = true;
    this.#agent?.dispose();
    await this.sync.cancelAll();
    await this._checks.cancelAll();
    await this.indexer.stop();
    await this.sync.flushUnrecorded();
    this.owner.dispose();
    await this.indexSaved;
    await this.store.close();
    this.listeners.clear();
  }

  // ── helpers ───────────────────────────────────────────────────────────────

  /** Throws DATABASE_UNAVAILABLE once the engine is closed. */
  private assertOpen(): void {
    if (this.closed) throw new LensError('DATABASE_UNAVAILABLE', 'The SDLC Lens database is closed');
  }

  private projectRow(slug: string) {
    this.assertOpen();
    const row = projectRowOf(this.store, slug);
    if (!row) throw new LensError('NOT_FOUND', 'Project not found');
    return row;
  }

  private projectId(slug: string): number {
    return Number(this.projectRow(slug).id);
  }

  private emit(change: EngineChange): void {
    if (change.kind === 'project' && !change.project && this.store.isOpen) {
      try {
        change = { ...change, project: this.getProject(change.slug) };
      } catch {
        // gone meanwhile: the listeners ask, and learn it
      }
    }
    this.listeners.emit(change);
  }
}
