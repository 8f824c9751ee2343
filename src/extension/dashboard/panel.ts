// The dashboard webview panels: one per project and one for every project. A panel re-renders when
// the engine reports a change that concerns it; a clicked chart segment lists its documents in a
// quick pick; a panel restored after a reload (WebviewPanelSerializer) renders the scope its page saved.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { pickNow } from '../search/pickNow';
import type { EngineChange } from '../../core/engine-api';
import { isLensError, messageOf } from '../../core/errors';
import { displayId } from '../../core/parse/ids';
import { typeLabel } from '../../core/parse/labels';
import type { ExtensionLog } from '../log';
import { documentAt, loadDashboard, parseMessage, type DashboardEngine, type DashboardMessage, type ReportSource } from './data';
import { matching } from './model';
import { esc, renderDashboard } from './render';
import { dashboardSkill } from './skill';

export const DASHBOARD_VIEW_TYPE = 'sdlcLens.dashboard';

const scopeKey = (slug: string | null) => slug ?? '*';

export class DashboardPanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();
  /** The last html each panel got (integration tests read it). */
  readonly html = new Map<string, string>();
  private readonly renders = new Map<string, Promise<void>>();

  constructor(
    private readonly engine: DashboardEngine,
    private readonly reportOf: ReportSource,
    private readonly log: Pick<ExtensionLog, 'warn'>,
  ) {}

  dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
  }

  /** Opens (or reveals) the dashboard of a project, or of every project with null. */
  async open(slug: string | null): Promise<vscode.WebviewPanel> {
    const existing = this.panels.get(scopeKey(slug));
    if (existing) {
      existing.reveal();
      await this.render(slug);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'SDLC Dashboard', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [],
    });
    await this.adopt(panel, slug);
    return panel;
  }

  /** Takes a panel over (a new one, or one VS Code restored) and renders it. */
  async adopt(panel: vscode.WebviewPanel, slug: string | null): Promise<void> {
    const key = scopeKey(slug);
    this.panels.get(key)?.dispose();
    this.panels.set(key, panel);
    panel.webview.options = { enableScripts: true, localResourceRoots: [] };
    panel.onDidDispose(() => {
      if (this.panels.get(key) === panel) {
        this.panels.delete(key);
        this.html.delete(key);
      }
    });
    panel.webview.onDidReceiveMessage((m) => {
      const msg = parseMessage(m);
      if (msg) this.handle(slug, msg).catch((e) => this.log.warn(`dashboard: ${messageOf(e)}`));
    });
    await this.render(slug);
  }

  /** Re-renders the panels an engine change concerns. */
  onEngineChange(c: EngineChange): void {
    if (c.kind === 'removed' && this.panels.has(c.slug)) {
      this.panels.get(c.slug)?.dispose();
    }
    for (const key of this.panels.keys()) {
      if (key === '*' || c.kind === 'reloaded' || ('slug' in c && c.slug === key)) void this.render(key === '*' ? null : key);
    }
  }

  /** Renders a scope's panel (one render at a time per panel; the last one wins). */
  render(slug: string | null): Promise<void> {
    const key = scopeKey(slug);
    const prev = this.renders.get(key) ?? Promise.resolve();
    const next = prev.then(() => this.renderNow(slug)).catch((e) => this.log.warn(`dashboard: ${messageOf(e)}`));
    this.renders.set(key, next);
    return next;
  }

  private async renderNow(slug: string | null): Promise<void> {
    const panel = this.panels.get(scopeKey(slug));
    if (!panel) return;
    const nonce = randomBytes(18).toString('base64');
    let html: string;
    try {
      const model = await loadDashboard(this.engine, slug, this.reportOf);
      model.skill = dashboardSkill(slug);
      panel.title = `Dashboard: ${model.title}`;
      html = renderDashboard(model, { cspSource: panel.webview.cspSource, nonce });
    } catch (e) {
      if (isLensError(e) && e.code === 'NOT_FOUND') return panel.dispose();
      html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><p>${esc(`The dashboard could not be built: ${messageOf(e)}`)}</p></body></html>`;
    }
    if (this.panels.get(scopeKey(slug)) !== panel) return;
    this.html.set(scopeKey(slug), html);
    panel.webview.html = html;
  }

  /** What a page message does. */
  async handle(slug: string | null, msg: DashboardMessage): Promise<void> {
    switch (msg.type) {
      case 'refresh':
        return this.render(slug);
      case 'project':
        await this.open(msg.slug);
        return;
      case 'open': {
        if (slug !== null && msg.slug !== slug) return;
        return this.openDocument(msg.slug, msg.path);
      }
      case 'list':
        return this.list(slug, msg.kind, msg.key);
    }
  }

  /** Items of a chart segment, for the quick pick (exported for the tests through `list`). */
  async matchingItems(slug: string | null, kind: 'type' | 'status', key: string) {
    const slugs = slug !== null ? [slug] : (await this.engine.listProjects()).map((p) => p.slug);
    const items: (vscode.QuickPickItem & { slug: string; file_path: string })[] = [];
    for (const s of slugs) {
      for (const d of matching(await this.engine.documentSummaries(s), kind, key)) {
        items.push({
          label: `${displayId(d.doc_id)} · ${d.title}`,
          description: `${typeLabel(d.type)} · ${d.status ?? 'no status'}${slug === null ? ` · ${s}` : ''}`,
          detail: d.file_path,
          slug: s,
          file_path: d.file_path,
        });
      }
    }
    return items;
  }

  private async list(slug: string | null, kind: 'type' | 'status', key: string): Promise<void> {
    const what = kind === 'type' ? typeLabel(key, true) : key === 'none' ? 'no status' : `status ${key}`;
    // the pick is shown before the documents are listed, so no key typed at once is lost
    const picked = await pickNow(this.matchingItems(slug, kind, key), {
      title: `Documents: ${what}`,
      loadedTitle: (list) => `${list.length} document(s): ${what}`,
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (picked) await this.openDocument(picked.slug, picked.file_path);
  }

  private async openDocument(slug: string, filePath: string): Promise<void> {
    const doc = await documentAt(this.engine, slug, filePath);
    const project = await this.engine.getProject(slug);
    if (!doc || !project.sdlc_path) {
      void vscode.window.showWarningMessage('SDLC Lens: that document is no longer stored. Sync the project.');
      return;
    }
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(project.sdlc_path, ...doc.file_path.split('/'))), { preview: true });
  }
}
