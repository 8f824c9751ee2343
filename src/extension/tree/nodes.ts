// Node shapes of the Projects tree. Ids are stable so expansion and selection survive refreshes.
import type { DocumentSummary } from '../../core/engine-api';
import type { HealthNode } from '../health/healthNodes';

export interface ProjectNode {
  readonly kind: 'project';
  readonly id: string;
  readonly slug: string;
}

export interface GroupNode {
  readonly kind: 'group';
  readonly id: string;
  readonly slug: string;
  readonly type: string;
  count: number;
}

export interface DocumentNode {
  readonly kind: 'document';
  readonly id: string;
  readonly slug: string;
  doc: DocumentSummary;
}

/** HealthNode: the Health node and its children, provided by src/extension/health/healthNodes.ts. */
export type LensNode = ProjectNode | GroupNode | DocumentNode | HealthNode;

export const projectId = (slug: string) => `project/${slug}`;
export const groupId = (slug: string, type: string) => `group/${slug}/${type}`;
export const documentId = (slug: string, filePath: string) => `doc/${slug}/${filePath}`;

/** The slug a command argument designates: a slug string or any tree node. */
export function slugOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg.length > 0) return arg;
  if (arg && typeof arg === 'object' && 'slug' in arg && typeof (arg as { slug: unknown }).slug === 'string') {
    return (arg as { slug: string }).slug;
  }
  return undefined;
}
