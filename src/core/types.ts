// Shared shapes of the engine. Nothing here touches `vscode`.

export type SyncStatus = 'never_synced' | 'syncing' | 'synced' | 'error';

/** api.md §2.1 — the Project resource as every adapter (API, CLI, tree) sees it. */
export interface Project {
  slug: string;
  name: string;
  sdlc_path: string | null;
  source_type: 'local';
  sync_status: SyncStatus;
  sync_error: string | null;
  schema_version: string | null;
  profile: string | null;
  last_synced_at: string | null; // ISO-8601 UTC with Z
  document_count: number;
  created_at: string; // ISO-8601 UTC with Z
}

/** api.md §2.2 */
export interface DocumentListItem {
  doc_id: string;
  type: string;
  title: string;
  status: string | null;
  owner: string | null;
  priority: string | null;
  story_points: number | null;
  epic: string | null;
  story: string | null;
  updated_at: string;
}

/** api.md §2.3 (plus the optional depends_on / aliases arrays) */
export interface DocumentDetail extends Omit<DocumentListItem, 'updated_at'> {
  depends_on: string[] | null;
  aliases: string[] | null;
  metadata: Record<string, string> | null;
  content: string;
  file_path: string;
  file_hash: string;
  synced_at: string;
}

/** api.md §2.4 */
export interface RelatedDocumentItem {
  doc_id: string;
  type: string;
  title: string;
  status: string | null;
}

export interface RelatedDocuments {
  doc_id: string;
  type: string;
  title: string;
  parents: RelatedDocumentItem[];
  children: RelatedDocumentItem[];
  depends_on: RelatedDocumentItem[];
  dependents: RelatedDocumentItem[];
}

/** api.md §6 — one hit of GET /search. */
export interface SearchResultItem {
  doc_id: string;
  type: string;
  title: string;
  project_slug: string;
  project_name: string;
  status: string | null;
  /** ~32 tokens of the content, HTML-escaped, matched tokens in <mark>…</mark>. */
  snippet: string;
  /** BM25, > 0, higher is better, rounded to 4 decimals. */
  score: number;
}

/** Counters of one sync run (sync.md §4). */
export interface SyncCounts {
  added: number;
  updated: number;
  skipped: number;
  deleted: number;
  errors: number;
}

/** Emitted while a run goes on; `phase` tells the UI what to say. */
export interface SyncProgress extends SyncCounts {
  slug: string;
  phase: 'collecting' | 'applying' | 'done';
  /** files read so far / candidate files found (total is 0 until the walk has finished). */
  seen: number;
  total: number;
}

/** The end of one run, whatever its outcome. */
export interface SyncOutcome extends SyncCounts {
  slug: string;
  sync_status: SyncStatus;
  sync_error: string | null;
  document_count: number;
  duration_ms: number;
  /** relative paths of the files that could not be synced, with the reason. */
  file_errors: { path: string; reason: string }[];
  cancelled: boolean;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
