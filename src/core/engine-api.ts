// The engine's public surface: everything the API server, the CLI and the extension may call.
// Adapters depend on this interface only; `Engine` (engine.ts) implements it.
import type {
  DocumentDetail,
  DocumentListItem,
  Project,
  RelatedDocuments,
  SearchResultItem,
  SyncOutcome,
  SyncProgress,
} from './types';
import type { AllStats, HealthCheckOptions, HealthReport, ProjectStats } from './health/types';
import type { FileSelection, HealthDiagnosticsResult, HealthFilesResult } from './health/placement';
import type { DocumentReference, ResolveOptions, ResolvedRef } from './references';
import type { SkillCheckOptions, SkillCheckReport } from './skill/checks';
import type { AgentToolOptions, ToolAnswer } from './agent';
import type { SkillSettings } from './skill/run';
import type { IdCompletion } from './completion';
import type { DocumentCandidate, StatusChoice } from './write';

export type { DocumentReference, Mention, ResolveOptions, ResolvedRef } from './references';
export type { IdCompletion } from './completion';
export type { DocumentCandidate, StatusChoice } from './write';

export interface ProjectInput {
  name: string;
  sdlc_path: string;
  source_type?: 'local';
}

export interface ProjectUpdate {
  name?: string;
  sdlc_path?: string;
  source_type?: 'local';
}

export interface DocumentQuery {
  type?: string;
  status?: string; // literal 'none' = status is null
  sort?: 'title' | 'type' | 'status' | 'updated_at';
  order?: 'asc' | 'desc';
  page?: number;
  per_page?: number; // capped to 100
}

export interface DocumentPage {
  items: DocumentListItem[];
  total: number;
  page: number;
  per_page: number;
  pages: number;
}

/** GET /search (api.md §6). The engine validates it too (LensError VALIDATION_ERROR). */
export interface SearchQuery {
  /**
   * 1–500 characters in the query language (api.md §6.1, search/queryLanguage.ts): words AND-ed,
   * "phrases", prefix*, -exclusions, type:/status:/project:/epic:/owner: filters, an id alone jumps
   * to that document. Malformed syntax is read as words, never an error.
   */
  q: string;
  /** project slug; an unknown one gives no results */
  project?: string;
  type?: string;
  status?: string; // literal 'none' = status is null, as for listDocuments
  page?: number;
  per_page?: number; // 1–50, default 20; more is an error, not capped
}

export interface SearchPage {
  items: SearchResultItem[];
  total: number;
  /** q echoed verbatim */
  query: string;
  page: number;
  per_page: number;
}

/** A document row as the tree needs it (no content). */
export interface DocumentSummary extends DocumentListItem {
  file_path: string;
  ref_id: string | null;
  metadata: Record<string, string> | null;
}

export interface SystemHealth {
  status: 'healthy' | 'unhealthy';
  database: 'connected' | 'disconnected';
  version: string;
  migration_ok: boolean;
  fts_ok: boolean;
  ready: boolean;
}

export interface StartSyncOptions {
  /** Aborting cancels the run: it ends in `error` ("cancelled") and writes no document change. */
  signal?: AbortSignal;
  onProgress?: (p: SyncProgress) => void;
  /** Read and hash every file, even those whose size, mtime and inode match the stored ones. */
  fullRehash?: boolean;
  /**
   * Only these paths changed (relative to the sdlc-studio folder, `/`-separated; the watch mode
   * knows them): the run stats, reads and parses only them (a folder: everything under it, by the
   * full walk's rules), deletes the rows of those that are gone or no longer documents, and leaves
   * every other row as it is. A path naming the root or a root config file makes it a full sync;
   * one outside the folder is a VALIDATION_ERROR. Absent: the whole folder.
   */
  paths?: string[];
}

export interface StartedSync {
  /** The project as stored right after the atomic flip to `syncing`. */
  project: Project;
  /** Resolves when the run has ended and been persisted (never rejects). */
  done: Promise<SyncOutcome>;
}

export type EngineChange =
  /**
   * The project's row changed (status, name, folder, counters). `project`: the row as stored when the
   * change was announced, in order with the other changes (absent when the project could not be read).
   */
  | { kind: 'project'; slug: string; project?: Project }
  /**
   * Documents of the project changed. When the change knows them: `paths` (relative to the project's
   * sdlc_path) of the documents updated in place (absent when there are many: any may have changed),
   * and how many documents were added and deleted.
   */
  | { kind: 'documents'; slug: string; paths?: string[]; added?: number; deleted?: number }
  | { kind: 'removed'; slug: string }
  | { kind: 'reloaded' }; // another process wrote the database: everything may have changed

/**
 * A status change (writing.md): the one write SDLC Lens makes to a source folder. The document is
 * (`slug`, `type`, `doc_id`), as on the API's R15.
 */
export interface SetStatusRequest {
  slug: string;
  type: string;
  doc_id: string;
  /**
   * The document's file (relative to the project's folder, `/`-separated, as DocumentSummary.file_path):
   * two files in different folders may share (type, doc_id); with it the write goes to exactly this one
   * (it must have that type and doc_id). Without it, the first by path, as getDocument reads.
   */
  file_path?: string;
  /** The new status: canonicalised; must be allowed for the type (writing.md §1.2). */
  status: string;
  /** The content hash the caller last read (DocumentDetail.file_hash); a difference is a CONFLICT. */
  expected_hash?: string;
  /** Say what would change, change nothing. */
  dry_run?: boolean;
  /** Passed to the skill's transition.py as --force (only after the user confirmed a second time). */
  force?: boolean;
}

export interface SetStatusResult {
  doc_id: string;
  type: string;
  from: string | null;
  to: string;
  /** Which writer did (or would do) it: sdlc-studio's transition.py, or SDLC Lens's value-only edit. */
  writer: 'sdlc-studio' | 'sdlc-lens';
  /** False for a dry run and when the status already was `to`. */
  changed: boolean;
  dry_run: boolean;
  /** Relative to the project's sdlc_path, `/`-separated. */
  file_path: string;
  /** The skill's warning, if it gave one. */
  warning: string | null;
}

/** The most updated paths a `documents` change lists; past it `paths` is left out. */
export const CHANGED_PATHS_MAX = 200;

export interface LensEngine {
  readonly version: string;
  /** Absolute path of the database file. */
  readonly dbPath: string;

  // Projects (api.md §4). Throw LensError: VALIDATION_ERROR, PATH_NOT_FOUND, CONFLICT, NOT_FOUND.
  listProjects(): Project[];
  getProject(slug: string): Project;
  registerProject(input: ProjectInput): Promise<Project>;
  updateProject(slug: string, update: ProjectUpdate): Promise<Project>;
  deleteProject(slug: string): Promise<void>;

  // Sync (sync.md). startSync throws LensError NOT_FOUND or SYNC_IN_PROGRESS before any file is read.
  startSync(slug: string, options?: StartSyncOptions): Promise<StartedSync>;
  /** Cancels this process's running sync of `slug`; false when none is running here. */
  cancelSync(slug: string): boolean;
  /** True while this process runs a sync of `slug`. */
  isSyncing(slug: string): boolean;
  /** Removes every stored document of a project (sync.md §5 "clear project documents"). */
  clearDocuments(slug: string): Promise<void>;

  // Documents (api.md §5). Throw LensError NOT_FOUND.
  listDocuments(slug: string, query?: DocumentQuery): DocumentPage;
  getDocument(slug: string, type: string, docId: string): DocumentDetail;
  relatedDocuments(slug: string, type: string, docId: string): RelatedDocuments;
  /** Every document of the project without content, sorted by file_path. */
  documentSummaries(slug: string): DocumentSummary[];
  /**
   * file_path → the file's modification time when it was last read (ISO-8601 UTC), for every
   * document of the project with one (the dashboard's "Recently changed"; not the sync time).
   */
  documentModifiedTimes(slug: string): Record<string, string>;
  /** The documents of one type without content, sorted by file_path (one tree group: one query). */
  documentsOfType(slug: string, type: string): DocumentSummary[];
  /** How many documents of each type the project has, in no particular order (one grouped query). */
  documentTypeCounts(slug: string): { type: string; count: number }[];
  /** Every document as DocumentDetail minus content, sorted by file_path (CLI `docs`). */
  exportDocuments(slug: string): Omit<DocumentDetail, 'content'>[];
  /** The project and document an absolute file path belongs to, if any. */
  locate(absPath: string): { slug: string; file_path: string; type: string | null; doc_id: string | null } | null;

  /**
   * Ids (any written form, e.g. `CR-0003`, `EP-01KXCCA4`) → the documents they designate, keyed by
   * normalised id: within the project of `fromPath` (an absolute file path) first, else a match only
   * one project has. Unresolvable ids are absent; ambiguous ones too, unless `options.candidates`
   * asks for them (then with every project's document). For the editor's links and hover.
   */
  resolveRefs(refs: string[], fromPath?: string, options?: ResolveOptions): Record<string, ResolvedRef>;
  /**
   * The documents pointing at the document `ref` resolves to (as for resolveRefs): `epic`, `story`,
   * `depends_on` fields and mentions in their files, with the mentions' positions. Sorted by path.
   */
  referencesTo(ref: string, fromPath?: string): DocumentReference[];
  /**
   * Completion of a typed id (`US00`, `EP-01K`): the documents whose id starts with it, the project of
   * `fromPath` first; at most `limit` (≤ 50). For the editor's completion.
   */
  completeIds(prefix: string, fromPath?: string, limit?: number): IdCompletion[];

  /**
   * Full-text search over every project's titles and contents (api.md §6), best match first. Brings
   * a missing or lagging index up to date before answering. Throws LensError VALIDATION_ERROR.
   */
  search(query: SearchQuery): SearchPage;

  // Statistics and health check (health-check.md, api.md §7–§8). Synchronous, plain JSON in and out.
  /** R13: counts by type and status, story completion. Throws LensError NOT_FOUND. */
  projectStats(slug: string): ProjectStats;
  /** R12: the same summed over every project, plus one line per project (created_at order). */
  allStats(): AllStats;
  /**
   * R14: the 19 rules over the project's stored documents. Affected documents also carry their
   * `file_path` (the API drops it). Throws LensError VALIDATION_ERROR (unknown rule id, checked
   * first) or NOT_FOUND.
   */
  healthCheck(slug: string, options?: HealthCheckOptions): HealthReport;
  /**
   * The health check placed for an editor: per file, each diagnostic's line and range (the files are
   * read here, and again only when their stat changes). With `since` equal to the current hash only
   * the hash comes back. A project without a folder has no files. `files` selects which files'
   * diagnostics the answer carries (default all; the hash always covers every file). Placing yields
   * to the event loop between slices of files (PLACE_SLICE), so other requests are answered
   * meanwhile. Rejects as healthCheck throws.
   */
  healthDiagnostics(slug: string, options?: HealthCheckOptions & { since?: string; files?: FileSelection }): Promise<HealthDiagnosticsResult>;
  /**
   * The placed diagnostics of the files `which` selects (default all), from the project's latest
   * healthDiagnostics when its hash is `hash`; `stale` otherwise (a later computation, a restarted
   * engine: ask healthDiagnostics again).
   */
  healthFiles(slug: string, hash: string, which?: FileSelection): HealthFilesResult;
  /** Document summaries at these paths (relative to the project's folder); absent paths are left out. */
  documentsAt(slug: string, paths: string[]): DocumentSummary[];

  /**
   * Runs one agent tool (agents.md: sdlc_search, sdlc_get_document, …) by name, for the MCP server
   * and the VS Code language-model tools. Never throws: a bad call is an answer with `isError`.
   */
  agentTool(name: string, input: unknown, options?: AgentToolOptions): Promise<ToolAnswer>;
  // Status changes (writing.md): the one write to a source folder.
  /**
   * Sets a document's status through sdlc-studio's transition.py when the skill is installed (its
   * dry run first), else by a value-only edit; re-syncs what changed before resolving. Throws
   * LensError NOT_FOUND, CONFLICT (changed on disk, read-only), VALIDATION_ERROR (status not allowed,
   * bad request), TRANSITION_BLOCKED (the skill refused: its reason is the message).
   */
  setStatus(req: SetStatusRequest): Promise<SetStatusResult>;
  /**
   * The statuses a document of `type` in project `slug` may be set to (writing.md §1.2), in display
   * order: the type's lifecycle, the project's `status_vocab`, then statuses in use. Throws NOT_FOUND.
   */
  statusChoices(slug: string, type: string): StatusChoice[];
  /** The skill settings the writer uses from now on (`sdlcLens.skill.path` / `.python`); keys left out keep theirs. */
  configureSkill(settings: Partial<SkillSettings>): void;
  /**
   * The documents an id in any written form names (`US0001`, `US-01KX…`, a full doc_id), in every
   * project or in `slug` only; sorted by project and path. For the CLI and the agent tools.
   */
  findDocuments(id: string, slug?: string): DocumentCandidate[];
  /**
   * sdlc-studio's own checks (integrity.py, validate.py, reconcile.py) of a project, placed on their
   * files. One run at a time; a newer run or sync of the project cancels an older one (state
   * `cancelled`). `cached`: the latest report or the run under way, when there is one. The scripts'
   * failures are in the report, never thrown; throws LensError NOT_FOUND.
   */
  skillChecks(slug: string, options?: SkillCheckOptions): Promise<SkillCheckReport>;

  /** GET /system/health. Never throws. */
  health(): SystemHealth;

  /**
   * Resolves once the full-text index has caught up with every committed document change (it is
   * updated in the background, in small slices, after each sync).
   */
  whenIndexed(): Promise<void>;
  /** search() once nothing waits to be indexed, so the thread answers other requests meanwhile instead of indexing the queue in one hold. */
  searchSettled(query: SearchQuery): Promise<SearchPage>;
  /** Documents stored but not yet in the search index (what a searchSettled waits for). */
  indexQueued(): number;

  /**
   * Picks up other processes' writes, then sets to `error` every project left `syncing` by a process
   * that is no longer alive (as at start-up). Returns the slugs it reset. Cheap when there are none.
   */
  resetStaleSyncs(): Promise<string[]>;

  /** Picks up writes made by other processes sharing the data folder. Returns true when it reloaded. */
  catchUp(): Promise<boolean>;
  onDidChange(listener: (change: EngineChange) => void): () => void;
  /** Cancels running syncs (recording `error` for them), persists, releases everything. */
  close(): Promise<void>;
}
