// Shapes of the health check (health-check.md §1, api.md §8) and statistics (health-check.md §6,
// api.md §7). All plain JSON.
import type { RuleCategory, Severity } from './rules';

/** What the health check needs of one stored document (no full content: see `content_length`). */
export interface HealthDoc {
  doc_id: string;
  doc_type: string;
  title: string;
  file_path: string;
  status: string | null;
  owner: string | null;
  priority: string | null;
  story_points: number | null;
  epic: string | null;
  story: string | null;
  /** ISO timestamp of the last (re)write of the row. */
  synced_at: string;
  /** Length, in Unicode code points, of `content` with surrounding whitespace trimmed (`bodyLength`). */
  content_length: number;
  /** The id named by the body's first `**Epic:**` line ("epic-in-body", `bodyEpic`), or null. */
  body_epic: string | null;
}

/** api.md §8 `affected_documents[]` item. */
export interface AffectedDocument {
  doc_id: string;
  doc_type: string;
  title: string;
}

/** An affected document as the engine reports it: the API shape plus the file it lives in. */
export interface AffectedDocumentAt extends AffectedDocument {
  /** Relative to the project's sdlc-studio folder, `/`-separated. Dropped by the API (api.md §8). */
  file_path: string;
}

export interface HealthFinding<A extends AffectedDocument = AffectedDocumentAt> {
  rule_id: string;
  severity: Severity;
  category: RuleCategory;
  message: string;
  affected_documents: A[];
  suggested_fix: string;
}

export type SeveritySummary = Record<Severity, number>;

export interface HealthReport<A extends AffectedDocument = AffectedDocumentAt> {
  project_slug: string;
  checked_at: string;
  total_documents: number;
  findings: HealthFinding<A>[];
  summary: SeveritySummary;
  score: number;
}

export interface HealthCheckOptions {
  /** Rule ids to skip in this run (unknown ids are a VALIDATION_ERROR). */
  disabledRules?: string[];
  /** "Now" as an ISO timestamp (default: the current time). */
  now?: string;
}

/** api.md §7.2 */
export interface ProjectStats {
  slug: string;
  name: string;
  total_documents: number;
  by_type: Record<string, number>;
  by_status: Record<string, number>;
  completion_percentage: number;
  last_synced_at: string | null;
}

/** api.md §7.1 `projects[]` item. */
export interface ProjectStatsSummary {
  slug: string;
  name: string;
  total_documents: number;
  completion_percentage: number;
  last_synced_at: string | null;
}

/** api.md §7.1 */
export interface AllStats {
  total_projects: number;
  total_documents: number;
  by_type: Record<string, number>;
  by_status: Record<string, number>;
  completion_percentage: number;
  projects: ProjectStatsSummary[];
}
