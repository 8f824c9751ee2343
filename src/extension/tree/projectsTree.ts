// The Projects tree: projects → groups (by type, status or epic) → documents. By type with no filter,
// a project's groups cost one grouped count and a group's documents one query; the other arrangements
// read the project's document summaries once and lay them out (grouping.ts), cached until its
// documents change. Every answer comes from the engine's worker, so expanding never waits on the host.
// Node objects are interned by id so refreshing one project (onDidChangeTreeData with its node) works.
// A big group shows PAGE_SIZE rows and a "Show N more…" row (paging.ts); a sync that only edited
// documents re-renders just their rows (the change event names them), not the expanded groups.
// Change events wait while VS Code reads the tree (changeGate.ts), which would otherwise break a node.
import * as vscode from 'vscode';
import type { DocumentSummary } from '../../core/engine-api';
import { isLensError } from '../../core/errors';
import { typeRank } from '../../core/parse';
import type { Project } from '../../core/types';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import { ChangeGate } from './changeGate';
import { bucketCount, inScope, layoutDocuments, type Layout } from './grouping';
import { documentItem, documentTooltipOf, groupItem, moreItem, projectItem } from './items';
import {
  documentId,
  groupId,
  moreId,
  PAGE_SIZE,
  projectId,
  typeKey,
  type DocumentNode,
  type GroupNode,
  type LensNode,
  type MoreNode,
  type ProjectNode,
} from './nodes';
import { compareTypes, groupLabel, relativeTime, sortDocuments } from './presentation';
import { DEFAULT_VIEW, type ViewSettings } from './viewState';
import { healthTree, isHealthNode } from '../health/healthNodes'; // Health node hook (src/extension/health)

const natural = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

type TreeEngine = Pick<
  AsyncLensEngine,
  'listProjects' | 'getProject' | 'documentsOfType' | 'documentTypeCounts' | 'documentSummaries' | 'documentsAt' | 'locate'
>;

/** What changed in a project's documents: everything (true), or the paths of documents edited in place. */
export type DocumentsChanged = boolean | { paths: string[]; added?: number; deleted?: number };

const notFound = (e: unknown) => isLensError(e) && e.code === 'NOT_FOUND';

/**
 * A project row that turns "syncing" is re-rendered once the sync has lasted this long, not at once.
 * VS Code sends a view's changes at the first one and then once per 200 ms window, so re-rendering
 * the row at a short sync's start held back the row its end re-renders (a saved file's new title)
 * by up to 200 ms; a sync that ends sooner never shows the spinner, as a flicker would.
 */
export const SYNCING_ROW_DELAY_MS = 300;

export interface TreeOptions {
  /** The view settings (grouping, filter, scope); defaults when absent. */
  settings?: () => ViewSettings;
  /** Folders of the open workspace, for the "This Workspace" scope. */
  workspaceRoots?: () => string[];
}

export class ProjectsTree implements vscode.TreeDataProvider<LensNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<LensNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  /** Every change event goes through here: held while a getChildren or getTreeItem answer is pending. */
  private readonly gate = new ChangeGate<LensNode>((node) => this.emitter.fire(node));
  private readonly nodes = new Map<string, LensNode>();
  /** The project rows last read (the root's listProjects, or a refreshed project). */
  private readonly projects = new Map<string, Project>();
  /** Laid-out documents per project (every mode but "by type" without a filter). */
  private readonly layouts = new Map<string, Promise<Layout>>();
  /** A type group's documents in row order ("by type" without a filter), until they change. */
  private readonly groupDocs = new Map<string, Promise<DocumentSummary[]>>();
  /** Rows shown per paged group (by group node id); PAGE_SIZE when absent. */
  private readonly limits = new Map<string, number>();
  /** Projects whose "syncing" row waits for SYNCING_ROW_DELAY_MS (by slug). */
  private readonly syncingRows = new Map<string, ReturnType<typeof setTimeout>>();
  /** refreshProject calls in progress (changesSent waits for them). */
  private readonly rereads = new Set<Promise<void>>();
  /** The relative time each project row showed when last rendered (by slug), for the ticker. */
  private readonly shownTimes = new Map<string, string>();
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
    for (const t of this.syncingRows.values()) clearTimeout(t);
    this.syncingRows.clear();
    this.gate.dispose();
    this.emitter.dispose();
  }

  /**
   * Re-reads one project and re-renders its row. `documents`: true forgets its rows (the view re-reads
   * its expanded groups); the paths of documents edited in place re-render only those rows.
   */
  refreshProject(slug: string, documents: DocumentsChanged): Promise<void> {
    const run = this.rereadProject(slug, documents).finally(() => this.rereads.delete(run));
    this.rereads.add(run);
    return run;
  }

  private async rereadProject(slug: string, documents: DocumentsChanged): Promise<void> {
    if (typeof documents === 'object') {
      if (await this.refreshDocuments(slug, documents)) return;
      documents = true;
    }
    if (documents) this.forgetChildren(slug);
    const before = this.projects.get(slug)?.sync_status;
    let project: Project;
    try {
      project = await this.engine.getProject(slug);
    } catch (e) {
      if (!notFound(e)) throw e;
      return this.refreshAll();
    }
    this.projects.set(slug, project);
    const fire = (): void => this.gate.fire(this.nodes.get(projectId(slug)));
    const syncing = !documents && project.sync_status === 'syncing';
    if (syncing && this.syncingRows.has(slug)) return; // still waiting to show it
    clearTimeout(this.syncingRows.get(slug));
    this.syncingRows.delete(slug);
    if (syncing && before !== undefined && before !== 'syncing') {
      this.syncingRows.set(
        slug,
        setTimeout(() => {
          this.syncingRows.delete(slug);
          fire();
        }, SYNCING_ROW_DELAY_MS),
      );
      return;
    }
    fire();
  }

  /**
   * Re-renders the rows of documents edited in place; false when the change moves rows (documents
   * added or deleted, a type or id changed, an arrangement other than "by type"): refresh the project.
   */
  private async refreshDocuments(slug: string, change: Exclude<DocumentsChanged, boolean>): Promise<boolean> {
    if (change.added || change.deleted || !this.direct) return false;
    if (!change.paths.length) return true;
    const fresh = new Map((await this.engine.documentsAt(slug, change.paths)).map((d) => [d.file_path, d]));
    const rows: LensNode[] = [];
    const edits: [DocumentSummary[], number, DocumentSummary][] = [];
    for (const p of change.paths) {
      const doc = fresh.get(p);
      if (!doc) return false;
      const node = this.nodes.get(documentId(slug, p));
      const list = await this.groupDocs.get(groupId(slug, typeKey(doc.type)))?.catch(() => undefined);
      const at = list ? list.findIndex((d) => d.file_path === p) : -1;
      const old = node?.kind === 'document' ? node.doc : list?.[at];
      if (old ? old.type !== doc.type || old.doc_id !== doc.doc_id : list !== undefined) return false; // a row moves
      if (list && at >= 0) edits.push([list, at, doc]);
      if (node?.kind === 'document') rows.push(node);
    }
    for (const [list, at, doc] of edits) list[at] = doc;
    for (const node of rows) (node as DocumentNode).doc = fresh.get((node as DocumentNode).doc.file_path)!;
    for (const node of rows) this.gate.fire(node);
    return true;
  }

  /** Shows the next page of a paged group (its "Show more" row). */
  showMore(node: MoreNode): void {
    this.limits.set(node.groupId, (this.limits.get(node.groupId) ?? PAGE_SIZE) + PAGE_SIZE);
    this.gate.fire(this.nodes.get(node.groupId));
  }

  /**
   * Resolves once every change event asked for so far has been sent: the projects being re-read
   * first (refreshProject asks the engine before it fires), then what the gate holds while the view
   * reads.
   */
  async changesSent(): Promise<void> {
    while (this.rereads.size) await Promise.allSettled([...this.rereads]);
    return this.gate.sent();
  }

  /**
   * Re-renders the project rows whose relative time ("5 min ago") reads differently at `now` than when
   * the row was last rendered, without reading anything; returns how many. Re-rendering an expanded row
   * makes the view read its rows again, so a row whose text stays ("3 h ago") is left alone.
   */
  refreshProjectRows(now = new Date()): number {
    let n = 0;
    for (const node of this.nodes.values()) {
      if (node.kind !== 'project') continue;
      const project = this.projects.get(node.slug);
      const shown = this.shownTimes.get(node.slug); // never synced: "never" stays
      if (project && shown !== undefined && shown !== relativeTime(project.last_synced_at, now)) {
        this.shownTimes.delete(node.slug);
        this.gate.fire(node);
        n++;
      }
    }
    return n;
  }

  refreshAll(): void {
    this.nodes.clear();
    this.layouts.clear();
    this.groupDocs.clear();
    this.limits.clear();
    this.gate.fire(undefined);
  }

  /** Projects the current scope shows. */
  async visibleProjects(): Promise<Project[]> {
    const list = await this.engine.listProjects();
    const roots = this.options.workspaceRoots?.() ?? [];
    const shown = list.filter((p) => inScope(this.settings.scope, p.sdlc_path, roots, pathSep));
    this.hiddenByScope = list.length - shown.length;
    return shown;
  }

  getChildren(node?: LensNode): Promise<LensNode[]> {
    return this.gate.read(this.childrenOf(node));
  }

  getTreeItem(node: LensNode): Promise<vscode.TreeItem> {
    return this.gate.read(this.itemOf(node));
  }

  private async childrenOf(node?: LensNode): Promise<LensNode[]> {
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
        if (this.direct && node.type) return this.page(node, await this.typeDocs(node.slug, node.type));
        const layout = await this.layout(node.slug);
        const bucket = layout.buckets.find((b) => b.key === node.key);
        return this.page(node, bucket?.docs ?? [], layout);
      }
      if (node.kind === 'document' && node.children) {
        return node.children.map((d) => this.documentNode(node.slug, d, node.id));
      }
    } catch (e) {
      if (!notFound(e)) throw e; // raced with a removal; the root refresh follows
    }
    return [];
  }

  private async itemOf(node: LensNode): Promise<vscode.TreeItem> {
    const project = this.projects.get(node.slug) ?? (await this.fetchProject(node.slug));
    if (!project) return new vscode.TreeItem('(removed)'); // raced with a removal; the root refresh follows
    if (isHealthNode(node)) return healthTree.item(node); // Health node hook
    switch (node.kind) {
      case 'project': {
        const now = new Date(); // the row and the ticker's record of it read the same time
        this.shownTimes.set(node.slug, relativeTime(project.last_synced_at, now));
        return projectItem(project, now);
      }
      case 'group':
        return groupItem(node, project);
      case 'document':
        return documentItem(node, project);
      case 'more':
        return moreItem(node, PAGE_SIZE);
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
      case 'more':
        return this.nodes.get(node.groupId);
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
        const gid = groupId(hit.slug, typeKey(hit.type));
        const docs = await this.typeDocs(hit.slug, hit.type);
        const at = docs.findIndex((d) => d.file_path === hit.file_path);
        if (at < 0) return undefined;
        this.showUpTo(gid, at);
        return this.documentNode(hit.slug, docs[at]!, gid);
      }
      const layout = await this.layout(hit.slug);
      for (const g of groups) {
        const bucket = layout.buckets.find((b) => b.key === g.key);
        for (const [at, d] of (bucket?.docs ?? []).entries()) {
          const hitHere = d.file_path === hit.file_path;
          const child = hitHere ? undefined : layout.children.get(d.file_path)?.find((c) => c.file_path === hit.file_path);
          if (!hitHere && !child) continue;
          this.showUpTo(g.id, at);
          const node = this.documentNode(hit.slug, d, g.id, layout.children.get(d.file_path));
          return child ? this.documentNode(hit.slug, child, node.id) : node;
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

  /** A type group's documents in row order, read once until they change. */
  private typeDocs(slug: string, type: string): Promise<DocumentSummary[]> {
    const id = groupId(slug, typeKey(type));
    let p = this.groupDocs.get(id);
    if (!p) {
      p = this.engine.documentsOfType(slug, type).then(sortDocuments);
      p.catch(() => this.groupDocs.delete(id));
      this.groupDocs.set(id, p);
    }
    return p;
  }

  /** A group's rows: the first pages of its documents, then a "Show more" row when some are left. */
  private page(group: GroupNode, docs: readonly DocumentSummary[], layout?: Layout): LensNode[] {
    const limit = this.limits.get(group.id) ?? PAGE_SIZE;
    const rows: LensNode[] = [];
    for (let i = 0; i < docs.length && i < limit; i++) {
      rows.push(this.documentNode(group.slug, docs[i]!, group.id, layout?.children.get(docs[i]!.file_path)));
    }
    if (docs.length > limit) {
      const more = this.intern<MoreNode>({ kind: 'more', id: moreId(group.id), slug: group.slug, groupId: group.id, remaining: 0 });
      more.remaining = docs.length - limit;
      rows.push(more);
    }
    return rows;
  }

  /**
   * Makes the row at `index` of a group shown (reveal of a document beyond the first page): raises
   * the group's page count and, when it changed, has the view read the group again.
   */
  private showUpTo(id: string, index: number): void {
    const limit = this.limits.get(id) ?? PAGE_SIZE;
    if (index < limit) return;
    this.limits.set(id, Math.ceil((index + 1) / PAGE_SIZE) * PAGE_SIZE);
    const group = this.nodes.get(id);
    if (group) this.gate.fire(group);
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
    const group = `group/${slug}/`;
    for (const id of [...this.groupDocs.keys()]) if (id.startsWith(group)) this.groupDocs.delete(id);
    for (const id of [...this.nodes.keys()]) {
      if (id.startsWith(group) || id.startsWith(`doc/${slug}/`) || id.startsWith(`more/${group}`)) this.nodes.delete(id);
    }
  }
}

const pathSep = process.platform === 'win32' ? '\\' : '/';
