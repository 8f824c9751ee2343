// The Projects tree: projects → document-type groups → documents. Costs O(items shown): the root is
// one listProjects call, a project's groups one grouped count, a group's documents one query; every
// answer comes from the engine's worker, so expanding a node never waits on the host's thread.
// Node objects are interned by id so refreshing one project (onDidChangeTreeData with its node) works.
import * as vscode from 'vscode';
import type { DocumentSummary } from '../../core/engine-api';
import { isLensError } from '../../core/errors';
import { typeRank } from '../../core/parse';
import type { Project } from '../../core/types';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import { documentItem, documentTooltipOf, groupItem, projectItem } from './items';
import {
  documentId,
  groupId,
  projectId,
  type DocumentNode,
  type GroupNode,
  type LensNode,
  type ProjectNode,
} from './nodes';
import { groupLabel } from './presentation';
import { healthTree, isHealthNode } from '../health/healthNodes'; // Health node hook (src/extension/health)

const natural = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

type TreeEngine = Pick<AsyncLensEngine, 'listProjects' | 'getProject' | 'documentsOfType' | 'documentTypeCounts' | 'locate'>;

const notFound = (e: unknown) => isLensError(e) && e.code === 'NOT_FOUND';

export class ProjectsTree implements vscode.TreeDataProvider<LensNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<LensNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly nodes = new Map<string, LensNode>();
  /** The project rows last read (the root's listProjects, or a refreshed project). */
  private readonly projects = new Map<string, Project>();

  constructor(private readonly engine: TreeEngine) {}

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

  refreshAll(): void {
    this.nodes.clear();
    this.emitter.fire(undefined);
  }

  async getChildren(node?: LensNode): Promise<LensNode[]> {
    if (!node) {
      const list = await this.engine.listProjects();
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
        const docs = await this.engine.documentsOfType(node.slug, node.type);
        return docs
          .sort((a, b) => natural.compare(a.doc_id, b.doc_id) || natural.compare(a.file_path, b.file_path))
          .map((d) => this.documentNode(node.slug, d));
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
        return groupItem(node);
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
      case 'document':
        return this.intern<GroupNode>({ kind: 'group', id: groupId(node.slug, node.doc.type), slug: node.slug, type: node.doc.type, count: 0 });
    }
  }

  /** The document node of an absolute file path, if it is a synced document of a registered project. */
  async nodeForFile(absPath: string): Promise<DocumentNode | undefined> {
    const hit = await this.engine.locate(absPath);
    if (!hit?.type) return undefined;
    try {
      if (!this.projects.has(hit.slug)) await this.fetchProject(hit.slug);
      await this.groups(hit.slug); // interns the group with its count, for reveal's getParent
      const doc = (await this.engine.documentsOfType(hit.slug, hit.type)).find((d) => d.file_path === hit.file_path);
      return doc ? this.documentNode(hit.slug, doc) : undefined;
    } catch (e) {
      if (notFound(e)) return undefined;
      throw e;
    }
  }

  /** Groups of a project ordered as a reader expects (PRD, TRD, TSD, epics, stories, …). */
  private async groups(slug: string): Promise<GroupNode[]> {
    const counts = await this.engine.documentTypeCounts(slug);
    return counts
      .sort((a, b) => typeRank(a.type) - typeRank(b.type) || natural.compare(groupLabel(a.type), groupLabel(b.type)))
      .map(({ type, count }) => {
        const node = this.intern<GroupNode>({ kind: 'group', id: groupId(slug, type), slug, type, count });
        node.count = count;
        return node;
      });
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

  private documentNode(slug: string, doc: DocumentSummary): DocumentNode {
    const node = this.intern<DocumentNode>({ kind: 'document', id: documentId(slug, doc.file_path), slug, doc });
    node.doc = doc;
    return node;
  }

  private intern<T extends LensNode>(fresh: T): T {
    const existing = this.nodes.get(fresh.id);
    if (existing && existing.kind === fresh.kind) return existing as T;
    this.nodes.set(fresh.id, fresh);
    return fresh;
  }

  private forgetChildren(slug: string): void {
    for (const id of [...this.nodes.keys()]) {
      if (id.startsWith(`group/${slug}/`) || id.startsWith(`doc/${slug}/`)) this.nodes.delete(id);
    }
  }
}
