// The Projects tree: projects → document-type groups → documents.
// Node objects are interned by id so refreshing one project (onDidChangeTreeData with its node) works.
import * as vscode from 'vscode';
import type { DocumentSummary, LensEngine } from '../../core/engine-api';
import { isLensError } from '../../core/errors';
import { typeRank } from '../../core/parse';
import { documentItem, groupItem, projectItem } from './items';
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

const natural = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export class ProjectsTree implements vscode.TreeDataProvider<LensNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<LensNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly nodes = new Map<string, LensNode>();
  private readonly docs = new Map<string, DocumentSummary[]>();

  constructor(private readonly engine: Promise<LensEngine>) {}

  dispose(): void {
    this.emitter.dispose();
  }

  /** Re-renders one project and, if loaded, its children; unknown slugs refresh the root. */
  refreshProject(slug: string, documentsChanged: boolean): void {
    if (documentsChanged) this.forgetChildren(slug);
    const node = this.nodes.get(projectId(slug));
    this.emitter.fire(node);
  }

  refreshAll(): void {
    this.docs.clear();
    this.nodes.clear();
    this.emitter.fire(undefined);
  }

  async getChildren(node?: LensNode): Promise<LensNode[]> {
    const engine = await this.engine;
    if (!node) {
      return engine
        .listProjects()
        .sort((a, b) => natural.compare(a.name, b.name))
        .map((p) => this.intern<ProjectNode>({ kind: 'project', id: projectId(p.slug), slug: p.slug }));
    }
    if (node.kind === 'project') return this.groups(engine, node.slug);
    if (node.kind === 'group') {
      return this.documents(engine, node.slug)
        .filter((d) => d.type === node.type)
        .sort((a, b) => natural.compare(a.doc_id, b.doc_id) || natural.compare(a.file_path, b.file_path))
        .map((d) => this.documentNode(node.slug, d));
    }
    return [];
  }

  async getTreeItem(node: LensNode): Promise<vscode.TreeItem> {
    const engine = await this.engine;
    try {
      const project = engine.getProject(node.slug);
      switch (node.kind) {
        case 'project':
          return projectItem(project);
        case 'group':
          return groupItem(node);
        case 'document':
          return documentItem(node, project);
      }
    } catch (e) {
      if (!isLensError(e) || e.code !== 'NOT_FOUND') throw e;
      return new vscode.TreeItem('(removed)'); // raced with a removal; the root refresh follows
    }
  }

  getParent(node: LensNode): LensNode | undefined {
    switch (node.kind) {
      case 'project':
        return undefined;
      case 'group':
        return this.intern<ProjectNode>({ kind: 'project', id: projectId(node.slug), slug: node.slug });
      case 'document': {
        const count = this.docs.get(node.slug)?.filter((d) => d.type === node.doc.type).length ?? 0;
        return this.intern<GroupNode>({ kind: 'group', id: groupId(node.slug, node.doc.type), slug: node.slug, type: node.doc.type, count });
      }
    }
  }

  /** The document node of an absolute file path, if it is a synced document of a registered project. */
  async nodeForFile(absPath: string): Promise<DocumentNode | undefined> {
    const engine = await this.engine;
    const hit = engine.locate(absPath);
    if (!hit) return undefined;
    const doc = this.documents(engine, hit.slug).find((d) => d.file_path === hit.file_path);
    return doc ? this.documentNode(hit.slug, doc) : undefined;
  }

  /** Groups of a project ordered as a reader expects (PRD, TRD, TSD, epics, stories, …). */
  private groups(engine: LensEngine, slug: string): GroupNode[] {
    const counts = new Map<string, number>();
    for (const d of this.documents(engine, slug)) counts.set(d.type, (counts.get(d.type) ?? 0) + 1);
    return [...counts.entries()]
      .sort(([a], [b]) => typeRank(a) - typeRank(b) || natural.compare(groupLabel(a), groupLabel(b)))
      .map(([type, count]) => {
        const node = this.intern<GroupNode>({ kind: 'group', id: groupId(slug, type), slug, type, count });
        node.count = count;
        return node;
      });
  }

  private documents(engine: LensEngine, slug: string): DocumentSummary[] {
    let list = this.docs.get(slug);
    if (!list) {
      try {
        list = engine.documentSummaries(slug);
      } catch (e) {
        if (!isLensError(e) || e.code !== 'NOT_FOUND') throw e;
        list = [];
      }
      this.docs.set(slug, list);
    }
    return list;
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
    this.docs.delete(slug);
    for (const id of [...this.nodes.keys()]) {
      if (id.startsWith(`group/${slug}/`) || id.startsWith(`doc/${slug}/`)) this.nodes.delete(id);
    }
  }
}
