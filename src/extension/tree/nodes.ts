// Node shapes of the Projects tree. Ids are stable so expansion and selection survive refreshes.
import type { DocumentSummary } from '../../core/engine-api';
import type { HealthNode } from '../health/healthNodes';

export interface ProjectNode {
  readonly kind: 'project';
  readonly id: string;
  readonly slug: string;
}

/** A row under a project: a document type (default), a status, or an epic (grouping.ts Bucket). */
export interface GroupNode {
  readonly kind: 'group';
  readonly id: string;
  readonly slug: string;
  /** The bucket key (`type:story`, `status:Done`, `epic:<file>`); stable across refreshes. */
  readonly key: string;
  /** The document type, for type groups only. */
  readonly type?: string;
  label: string;
  count: number;
  /** The document the row stands for (an epic in "by epic" mode). */
  doc?: DocumentSummary;
}

export interface DocumentNode {
  readonly kind: 'document';
  readonly id: string;
  readonly slug: string;
  doc: DocumentSummary;
  /** The row it is shown under (a group, or a story in "by epic" mode). */
  parentId?: string;
  /** Plans and test specs shown under this story ("by epic" mode). */
  children?: DocumentSummary[];
}

/** The last row of a group showing only its first rows: "Show 250 more…" loads the next page. */
export interface MoreNode {
  readonly kind: 'more';
  readonly id: string;
  readonly slug: string;
  /** The group it pages. */
  readonly groupId: string;
  /** Rows of the group not shown yet. */
  remaining: number;
}

/**
 * Rows a big group shows at first, and how many more each "Show more" row adds. VS Code converts and
 * sends every row of an expanded group at once on the extension host's thread: 500 rows held it
 * 53–85 ms (bench:host, "opening the Stories group"), past the 50 ms every other extension shares.
 */
export const PAGE_SIZE = 250;

/** HealthNode: the Health node and its children, provided by src/extension/health/healthNodes.ts. */
export type LensNode = ProjectNode | GroupNode | DocumentNode | MoreNode | HealthNode;

export const projectId = (slug: string) => `project/${slug}`;
export const groupId = (slug: string, key: string) => `group/${slug}/${key}`;
export const typeKey = (type: string) => `type:${type}`;
export const documentId = (slug: string, filePath: string) => `doc/${slug}/${filePath}`;
export const moreId = (groupNodeId: string) => `more/${groupNodeId}`;

/** The slug a command argument designates: a slug string or any tree node. */
export function slugOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg.length > 0) return arg;
  if (arg && typeof arg === 'object' && 'slug' in arg && typeof (arg as { slug: unknown }).slug === 'string') {
    return (arg as { slug: string }).slug;
  }
  return undefined;
}
