// The Projects tree: projects → groups (by type, status or epic) → documents. By type with no filter,
// a project's groups cost one grouped count and a group's documents one query; the other arrangements
// read the project's document summaries once and lay them out (grouping.ts), cached until its
// documents change. Every answer comes from the engine's worker, so expanding never waits on the host.
// Node objects are interned by id so refreshing one project (onDidChangeTreeData with its node) works.
import * as vscode from 'vscode';
import type { DocumentSummary } from '../../core/engine-api';
import { isLensError } from '../../core/errors';
import { typeRank } from '../../core/parse';
import type { Project } from '../../core/types';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import { bucketCount, inScope, layoutDocuments, type Layout } from './grouping';
import { documentItem, documentTooltipOf, groupItem, projectItem } from './items';
import {
  documentId,
  groupId,
  projectId,
  typeKey,
  type DocumentNode,
  type GroupNode,
  type LensNode,
  type ProjectNode,
} from './nodes';
import { compareDocuments, compareTypes, groupLabel } from './presentation';
import { DEFAULT_VIEW, type ViewSettings } from './viewState';
import { healthTree, isHealthNode } from '../health/healthNodes'; // Health node hook (src/extension/health)

const natural = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

type TreeEngine = Pick<
  AsyncLensEngine,
  'listProjects' | 'getProject' | 'documentsOfType' | 'documentTypeCounts' | 'documentSummaries' | 'locate'
>;

const notFound = (e: unknown) => isLensError(e) && e.code === 'NOT_FOUND';

export interface TreeOptions {
  /** The view settings (grouping, filter, scope); defaults when absent. */
  settings?: () => ViewSettings;
  /** Folders of the open workspace, for the "This Workspace" scope. */
  workspaceRoots?: () => string[];
}

export class ProjectsTree implements vscode.TreeDataProvider<LensNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<LensNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly nodes = new Map<string, LensNode>();
  /** The project rows last read (the root's listProjects, or a refreshed project). */
  private readonly projects = new Map<string, Project>();
  /** Laid-out documents per project (every mode but "by type" without a filter). */
  private readonly layouts = new Map<string, Promise<Layout>>();
  /** Registered projects left out by the scope at the last root read. */
  hiddenByScope = 0;

  constructor(
    private readonly engine: TreeEngine,
    private readonly options: TreeOptions = {},
  ) {}

  private get settings(): ViewSettings {
    return this.options.settings?.() ?? DEFAULT_VIEW;
  }

  /** True when groups come straight from the engine's per-type queries. */
  private get direct(): boolean {
    const s = this.settings;
    return s.mode === 'type' && !s.filter.hideFinished;
  }

  dispose(): void {
    this.emitter.dispose();
  }

  /** Re-reads one project and re-renders its row (and, when its documents changed, its children). */
  async refreshProject(slug: string, documentsChanged: boolean): Promise<void> {
    if (documentsChanged) this.forgetChildren(slug);
    try {
      this.projects.set(slug, await this.engine.getProject(slug));
    } catch (e) {
      if (!notFound(e)) throw e;
      return this.refreshAll();
    }
    this.emitter.fire(this.nodes.get(projectId(slug)));
  }

  /** Re-renders the project rows (their relative times) without reading anything. */
  refreshProjectRows(): number {
    let n = 0;
    for (const node of this.nodes.values()) {
      if (node.kind === 'project' && this.projects.get(node.slug)?.last_synced_at) {
        this.emitter.fire(node);
        n++;
      }
    }
    return n;
  }

  refreshAll(): void {
    this.nodes.clear();
    this.layouts.clear();
    this.emitter.fire(undefined);
  }

  /** Projects the current scope shows. */
  async visibleProjects(): Promise<Project[]> {
    const list = await this.engine.listProjects();
    const roots = this.options.workspaceRoots?.() ?? [];
    const shown = list.filter((p) => inScope(this.settings.scope, p.sdlc_path, roots, pathSep));
    this.hiddenByScope = list.length - shown.length;
    return shown;
  }

  async getChildren(node?: LensNode): Promise<LensNode[]> {
    if (!node) {
      const list = await this.visibleProjects();
      this.projects.clear();
      for (const p of list) this.projects.set(p.slug, p);
      return list
        .sort((a, b) => natural.compare(a.name, b.name))
        .map((p) => this.intern<ProjectNode>({ kind: 'project', id: projectId(p.slug), slug: p.slug }));
    }
    if (isHealthNode(node)) return healthTree.children(node); // Health node hook
    try {
      if (node.kind === 'project') return [...(await this.groups(node.slug)), ...healthTree.roots(node.slug)]; // + Health node hook
      if (node.kind === 'group') {
        if (this.direct && node.type) {
          const docs = await this.engine.documentsOfType(node.slug, node.type);
          return docs.sort(compareDocuments).map((d) => this.documentNode(node.slug, d, node.id));
        }
        const layout = await this.layout(node.slug);
        const bucket = layout.buckets.find((b) => b.key === node.key);
        return (bucket?.docs ?? []).map((d) => this.documentNode(node.slug, d, node.id, layout.children.get(d.file_path)));
      }
      if (node.kind === 'document' && node.children) {
        return node.children.map((d) => this.documentNode(node.slug, d, node.id));
      }
    } catch (e) {
      if (!notFound(e)) throw e; // raced with a removal; the root refresh follows
    }
    return [];
  }

  async getTreeItem(node: LensNode): Promise<vscode.TreeItem> {
    const project = this.projects.get(node.slug) ?? (await this.fetchProject(node.slug));
    if (!project) return new vscode.TreeItem('(removed)'); // raced with a removal; the root refresh follows
    if (isHealthNode(node)) return healthTree.item(node); // Health node hook
    switch (node.kind) {
      case 'project':
        return projectItem(project);
      case 'group':
        return groupItem(node, project);
      case 'document':
        return documentItem(node, project);
    }
  }

  /** Fills in what only a hover needs (a document's tooltip). */
  resolveTreeItem(item: vscode.TreeItem, node: LensNode): vscode.TreeItem {
    if (node.kind === 'document' && item.tooltip === undefined) item.tooltip = documentTooltipOf(node);
    return item;
  }

  getParent(node: LensNode): LensNode | undefined {
    if (isHealthNode(node)) return healthTree.parent(node) ?? this.intern<ProjectNode>({ kind: 'project', id: projectId(node.slug), slug: node.slug }); // Health node hook
    switch (node.kind) {
      case 'project':
        return undefined;
      case 'group':
        return this.intern<ProjectNode>({ kind: 'project', id: projectId(node.slug), slug: node.slug });
      case 'document': {
        if (node.parentId) {
          const parent = this.nodes.get(node.parentId);
          if (parent) return parent;
        }
        const key = typeKey(node.doc.type);
        return this.intern<GroupNode>({ kind: 'group', id: groupId(node.slug, key), slug: node.slug, key, type: node.doc.type, label: groupLabel(node.doc.type), count: 0 });
      }
    }
  }

  /** The document node of an absolute file path, if it is a synced document of a registered project. */
  async nodeForFile(absPath: string): Promise<DocumentNode | undefined> {
    const hit = await this.engine.locate(absPath);
    if (!hit?.type) return undefined;
    try {
      if (!this.projects.has(hit.slug)) await this.fetchProject(hit.slug);
      const groups = await this.groups(hit.slug); // interns the groups (with counts), for reveal's getParent
      if (this.direct) {
        const key = typeKey(hit.type);
        const doc = (await this.engine.documentsOfType(hit.slug, hit.type)).find((d) => d.file_path === hit.file_path);
        return doc ? this.documentNode(hit.slug, doc, groupId(hit.slug, key)) : undefined;
      }
      const layout = await this.layout(hit.slug);
      for (const g of groups) {
        const bucket = layout.buckets.find((b) => b.key === g.key);
        for (const d of bucket?.docs ?? []) {
          const node = this.documentNode(hit.slug, d, g.id, layout.children.get(d.file_path));
          if (d.file_path === hit.file_path) return node;
          const child = layout.children.get(d.file_path)?.find((c) => c.file_path === hit.file_path);
          if (child) return this.documentNode(hit.slug, child, node.id);
        }
      }
      return undefined;
    } catch (e) {
      if (notFound(e)) return undefined;
      throw e;
    }
  }

  /** The group rows of a project in the current arrangement. */
  private async groups(slug: string): Promise<GroupNode[]> {
    if (this.direct) {
      const counts = await this.engine.documentTypeCounts(slug);
      return counts
        .sort((a, b) => compareTypes(a.type, b.type, typeRank))
        .map(({ type, count }) => this.groupNode(slug, typeKey(type), groupLabel(type), count, type));
    }
    const layout = await this.layout(slug);
    return layout.buckets.map((b) =>
      this.groupNode(slug, b.key, b.label, bucketCount(b, layout), b.key.startsWith('type:') ? b.key.slice(5) : undefined, b.doc),
    );
  }

  private layout(slug: string): Promise<Layout> {
    let p = this.layouts.get(slug);
    if (!p) {
      const { mode, filter } = this.settings;
      p = this.engine.documentSummaries(slug).then((docs: DocumentSummary[]) => layoutDocuments(docs, mode, filter));
      p.catch(() => this.layouts.delete(slug));
      this.layouts.set(slug, p);
    }
    return p;
  }

  private groupNode(slug: string, key: string, label: string, count: number, type?: string, doc?: DocumentSummary): GroupNode {
    const node = this.intern<GroupNode>({ kind: 'group', id: groupId(slug, key), slug, key, type, label, count, doc });
    node.label = label;
    node.count = count;
    node.doc = doc;
    return node;
  }

  private async fetchProject(slug: string): Promise<Project | undefined> {
    try {
      const p = await this.engine.getProject(slug);
      this.projects.set(slug, p);
      return p;
    } catch (e) {
      if (!notFound(e)) throw e;
      return undefined;
    }
  }

  private documentNode(slug: string, doc: DocumentSummary, parentId: string, children?: DocumentSummary[]): DocumentNode {
    const node = this.intern<DocumentNode>({ kind: 'document', id: documentId(slug, doc.file_path), slug, doc });
    node.doc = doc;
    node.parentId = parentId;
    node.children = children?.length ? children : undefined;
    return node;
  }

  private intern<T extends LensNode>(fresh: T): T {
    const existing = this.nodes.get(fresh.id);
    if (existing && existing.kind === fresh.kind) return existing as T;
    this.nodes.set(fresh.id, fresh);
    return fresh;
  }

  private forgetChildren(slug: string): void {
    this.layouts.delete(slug);
    for (const id of [...this.nodes.keys()]) {
      if (id.startsWith(`group/${slug}/`) || id.startsWith(`doc/${slug}/`)) this.nodes.delete(id);
    }
  }
}

const pathSep = process.platform === 'win32' ? '\\' : '/';
