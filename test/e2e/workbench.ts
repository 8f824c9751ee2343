// Page object for the VS Code web workbench (1.100) as SDLC Lens shows in it. Every wait is on a DOM
// condition with a timeout; nothing sleeps.
import type { Locator, Page } from 'playwright-core';

export const STATUS_ID = 'sdlc-lens.sdlc-lens.sdlcLens.status';
const T = { load: 90_000, ui: 15_000, sync: 60_000 };
/** Ctrl+. presses before Quick Fix gives up (see quickFix). */
const QUICK_FIX_TRIES = 3;

const verbose = process.env.SDLC_LENS_VERBOSE === '1';
const t0 = Date.now();
const debug = (msg: string) => verbose && process.stdout.write(`      [e2e ${((Date.now() - t0) / 1000).toFixed(2)}s] ${msg}\n`);

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
export const exact = (s: string) => new RegExp(`^\\s*${escapeRe(s)}\\s*$`);

/** A number not part of a larger one (label and description have no space between them in textContent). */
export const count = (n: number) => new RegExp(`(^|\\D)${n}(\\D|$)`);

export class Workbench {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: T.load });
    // The activity bar is drawn once the extension host has contributed its view containers.
    await this.page.locator('.part.activitybar').waitFor({ timeout: T.load });
  }

  /** Runs a command from the palette (F1), choosing the row whose label is exactly `title`. */
  async runCommand(title: string): Promise<void> {
    debug(`command: ${title}`);
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    const row = this.page
      .locator('.quick-input-widget .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exact(title) }) });
    // Focus the workbench, then F1, type, choose. The editor area may hold a webview (the dashboard, a
    // walkthrough step): a click there puts the focus inside its iframe, where F1 may not reach the
    // workbench; and an editor the workbench opens at start-up (1.139's walkthrough) can take the
    // focus back and close the palette while the title is typed. So a later try clicks the activity
    // bar's empty middle and starts over; the last try waits as long as any UI step.
    const targets = [
      () => this.page.locator('.monaco-workbench').click({ position: { x: 700, y: 300 }, force: true }),
      () => this.page.locator('.part.activitybar').click({ position: { x: 24, y: 600 }, force: true }),
    ];
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= 2;
      const wait = last ? T.ui : 5_000;
      try {
        await targets[Math.min(attempt, targets.length - 1)]!();
        await this.page.keyboard.press('F1');
        await input.waitFor({ state: 'visible', timeout: wait });
        debug('palette open');
        await input.fill(`>${title}`, { timeout: wait });
        await row.first().waitFor({ timeout: wait });
        await row.first().click({ timeout: wait });
        break;
      } catch (e) {
        if (last) throw e;
        debug(`palette attempt ${attempt + 1} failed (${(e as Error).message.split('\n')[0]}); focusing elsewhere`);
        await this.page.keyboard.press('Escape');
      }
    }
    debug('command chosen');
    // The palette closes (or turns into the command's own quick pick).
    await row.first().waitFor({ state: 'hidden', timeout: T.ui });
    debug('palette closed');
  }

  /**
   * Registers the workspace's sdlc-studio folder unless it already is: runs Detect Projects and
   * accepts its pick, or returns on its "nothing new found" message (whichever the command shows).
   */
  async ensureWorkspaceProject(): Promise<void> {
    await this.runCommand('SDLC Lens: Detect Projects in Workspace');
    const pickRow = this.page.locator('.quick-input-widget .monaco-list-row').first();
    const nothingNew = this.page.locator('.notifications-toasts .notification-list-item-message', { hasText: /nothing new|already regist/i }).first();
    // or the project's row showing up in the view (it was registered, the view had not drawn it yet)
    const row = this.projectRows().first();
    await pickRow.or(nothingNew).or(row).first().waitFor({ timeout: T.ui });
    if ((await nothingNew.isVisible()) || !(await pickRow.isVisible())) return;
    await this.acceptQuickPick();
  }

  /** Accepts the open quick pick; in a multi-select pick, selects all rows first. */
  async acceptQuickPick(): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    await widget.locator('.monaco-list-row').first().waitFor({ timeout: T.ui });
    debug('quick pick shown');
    const all = widget.locator('.quick-input-check-all');
    if (await all.isVisible()) {
      if (!(await all.isChecked())) await all.check();
    }
    await widget.locator('.quick-input-box input').press('Enter');
    await widget.waitFor({ state: 'hidden', timeout: T.ui });
    debug('quick pick accepted');
  }

  /** Chooses the row of the open (single-select) quick pick whose label matches. */
  async pickItem(label: string | RegExp): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    const re = typeof label === 'string' ? exact(label) : label;
    const row = widget.locator('.monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: re }) });
    await row.first().click({ timeout: T.ui });
    await widget.waitFor({ state: 'hidden', timeout: T.ui });
    debug(`picked ${label}`);
  }

  get status(): Locator {
    return this.page.locator(`[id="${STATUS_ID}"]`);
  }

  async waitForStatus(re: RegExp, timeout = T.sync): Promise<string> {
    await this.status.filter({ hasText: re }).waitFor({ timeout });
    return (await this.status.innerText()).trim();
  }

  /**
   * Records every text the status item shows, from now on, in `window.__sdlcStatusHistory`, so that
   * short-lived states (syncing) are seen even when they last less than a polling interval.
   */
  async recordStatus(): Promise<void> {
    await this.page.evaluate(`(() => {
      const id = ${JSON.stringify(STATUS_ID)};
      const read = () => { const el = document.getElementById(id); return el ? el.textContent.trim() : '(hidden)'; };
      window.__sdlcStatusHistory = [read()];
      if (window.__sdlcStatusObserver) window.__sdlcStatusObserver.disconnect();
      const target = document.querySelector('.part.statusbar') || document.body;
      window.__sdlcStatusObserver = new MutationObserver(() => {
        const h = window.__sdlcStatusHistory; const t = read();
        if (h[h.length - 1] !== t) h.push(t);
      });
      window.__sdlcStatusObserver.observe(target, { subtree: true, childList: true, characterData: true, attributes: true });
    })()`);
  }

  async statusHistory(): Promise<string[]> {
    return (await this.page.evaluate('window.__sdlcStatusHistory || []')) as string[];
  }

  /** Opens the SDLC Lens view container from the activity bar (an empty tree has no height: wait for the title). */
  async openView(): Promise<void> {
    const title = this.page.locator('.part.sidebar .composite.title', { hasText: /SDLC Lens/i });
    if (!(await title.isVisible())) {
      // The <li> is the click target: the icon <a> inside can have no box while the workbench lays out.
      await this.page.locator('.part.activitybar .action-item:has(> .action-label[aria-label^="SDLC Lens"])').click({ timeout: T.load });
    }
    await title.waitFor({ timeout: T.ui });
    await this.page.locator('.part.sidebar [role="tree"][aria-label="Projects"]').waitFor({ state: 'attached', timeout: T.ui });
  }

  /** Tree rows of the Projects view (all levels), optionally only those whose label matches. */
  rows(label?: string | RegExp): Locator {
    // scoped to the Projects tree: the Related view beside it has tree rows too
    const rows = this.page.locator('.part.sidebar [role="tree"][aria-label="Projects"] .monaco-list-row:has(.custom-view-tree-node-item)');
    if (label === undefined) return rows;
    const re = typeof label === 'string' ? exact(label) : label;
    return rows.filter({ has: this.page.locator('.label-name', { hasText: re }) });
  }

  /** Waits for a row whose label matches `label` and whose description matches `description`. */
  async waitForRow(label: string | RegExp, description?: RegExp, timeout = T.ui): Promise<Locator> {
    let row = this.rows(label);
    if (description) row = row.filter({ has: this.page.locator('.label-description', { hasText: description }) });
    await row.first().waitFor({ timeout });
    return row.first();
  }

  projectRows(): Locator {
    return this.rows().and(this.page.locator('[aria-level="1"]'));
  }

  icon(row: Locator): Locator {
    return row.locator('.custom-view-tree-node-item-icon');
  }

  /** Waits until the row's ThemeIcon is `codicon-<name>`. */
  async waitForIcon(row: Locator, name: string, timeout = T.sync): Promise<void> {
    await row.locator(`.custom-view-tree-node-item-icon.codicon-${name}`).waitFor({ timeout });
    debug(`icon ${name}`);
  }

  async expand(row: Locator): Promise<void> {
    if ((await row.getAttribute('aria-expanded')) === 'true') return;
    await row.locator('.monaco-tl-twistie').click();
    await row.and(this.page.locator('[aria-expanded="true"]')).waitFor({ timeout: T.ui });
  }

  /** A visible message: a notification toast or a tree row (label, description) matching `re`. */
  message(re: RegExp): Locator {
    return this.page
      .locator('.notifications-toasts .notification-list-item-message')
      .filter({ hasText: re })
      .or(this.rows().filter({ hasText: re }));
  }

  /**
   * Records every notification message shown from now on in `window.__sdlcToasts` (a toast can come
   * and go between two polls), so a spec can count the progress notifications of one command.
   */
  async recordNotifications(): Promise<void> {
    await this.page.evaluate(`(() => {
      window.__sdlcToasts = [];
      const seen = new Set();
      const scan = () => {
        for (const el of document.querySelectorAll('.notifications-toasts .notification-list-item')) {
          const msg = el.querySelector('.notification-list-item-message');
          const text = msg ? msg.textContent.trim() : '';
          if (!text) continue;
          if (!el.__sdlcId) el.__sdlcId = Math.random().toString(36).slice(2);
          const key = el.__sdlcId + '|' + text.split(':')[0];
          if (!seen.has(key)) { seen.add(key); window.__sdlcToasts.push({ id: el.__sdlcId, text }); }
        }
      };
      if (window.__sdlcToastObserver) window.__sdlcToastObserver.disconnect();
      window.__sdlcToastObserver = new MutationObserver(scan);
      window.__sdlcToastObserver.observe(document.body, { subtree: true, childList: true, characterData: true });
      scan();
    })()`);
  }

  /** Notifications recorded since recordNotifications(): one entry per toast element and message head. */
  async notificationHistory(): Promise<{ id: string; text: string }[]> {
    return (await this.page.evaluate('window.__sdlcToasts || []')) as { id: string; text: string }[];
  }

  /** The Command Palette's rows for `title` (typed after `>`); closes the palette again. */
  async paletteOffers(title: string): Promise<boolean> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await this.page.locator('.monaco-workbench').click({ position: { x: 700, y: 300 }, force: true });
    await this.page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: T.ui });
    await input.fill(`>${title}`);
    const rows = this.page.locator('.quick-input-widget .monaco-list-row');
    // the list settles on a matching row, or on "similar commands" / "No matching commands" without one
    const match = rows.filter({ has: this.page.locator('.label-name', { hasText: exact(title) }) });
    const none = rows
      .filter({ hasText: /similar commands/i })
      .or(this.page.locator('.quick-input-widget', { hasText: /No matching commands/i }));
    await match.first().or(none.first()).first().waitFor({ timeout: T.ui });
    const offered = (await match.count()) > 0;
    await this.page.keyboard.press('Escape');
    await input.waitFor({ state: 'hidden', timeout: T.ui });
    return offered;
  }

  /**
   * Waits until the Projects view has answered (project rows, or the welcome text when none is
   * registered) and says whether any project is shown. Right after the workbench opens, neither is
   * there yet: checking at once would take a registered project for none.
   */
  async hasProjects(): Promise<boolean> {
    const rows = this.projectRows().first();
    // the Projects view's own welcome (no project): the Related view below has a message of its own
    const projectsPane = this.page.locator('.part.sidebar .pane').filter({ has: this.page.locator('.pane-header', { hasText: /Projects/ }) });
    const welcome = projectsPane.locator('.welcome-view-content').first();
    await rows.or(welcome).first().waitFor({ timeout: T.ui });
    return rows.isVisible();
  }

  /** The welcome view's text (shown while no project is registered). */
  async welcomeText(): Promise<string> {
    const welcome = this.page.locator('.part.sidebar .welcome-view-content');
    await welcome.first().waitFor({ timeout: T.ui });
    return (await welcome.first().innerText()).trim();
  }

  /** Opens a workspace file by name through Quick Open (Ctrl+P); the editor has the focus afterwards. */
  async openFile(name: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await this.page.keyboard.press('Control+P');
    await input.waitFor({ state: 'visible', timeout: T.ui });
    await input.fill(name);
    await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor({ timeout: T.ui });
    await input.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: T.ui });
    await this.page.locator('.tab.active', { hasText: name }).waitFor({ timeout: T.ui });
    await this.page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: T.ui });
    debug(`opened ${name}`);
  }

  /**
   * Puts the active editor's cursor at `line`:`column` (1-based) with Go to Line/Column (Ctrl+G) and
   * waits until the status bar shows that position. Nothing is clicked, so the cursor stays put (a
   * click to focus the workbench, as runCommand does, would move it to wherever the click lands).
   */
  async goTo(line: number, column: number): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await this.page.keyboard.press('Control+G');
    await input.waitFor({ state: 'visible', timeout: T.ui });
    await input.fill(`:${line}:${column}`);
    await input.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: T.ui });
    await this.page
      .locator('.part.statusbar', { hasText: new RegExp(`Ln ${line}, Col ${column}\\b`) })
      .waitFor({ timeout: T.ui });
    await this.page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: T.ui });
    debug(`cursor at ${line}:${column}`);
  }

  /**
   * Waits until the focused editor shows the light bulb at the cursor (a content widget, or the
   * gutter icon when the line is taken): the automatic code-action request for this position has
   * come back with actions.
   */
  async waitForLightBulb(): Promise<void> {
    const editor = this.page.locator('.editor-instance .monaco-editor.focused');
    await editor
      .locator('.lightBulbWidget')
      .or(editor.locator('.glyph-margin-widgets [class*="codicon-gutter-lightbulb"]'))
      .first()
      .waitFor({ state: 'visible', timeout: T.ui });
    debug('light bulb shown');
  }

  /**
   * Quick Fix (Ctrl+.) at the cursor of the focused editor: waits for the action menu, chooses the
   * action whose label matches, and waits for the menu to close. Throws with the menu's text (e.g.
   * "No code actions available") when no action matches.
   */
  async quickFix(label: RegExp): Promise<void> {
    // 1.139 also keeps an (empty) submenu panel with the same class beside the menu.
    const menu = this.page.locator('.action-widget:not(.action-list-submenu-panel)');
    const none = this.page.locator('.monaco-editor-overlaymessage', { hasText: /No code actions/i });
    // VS Code's code-action model drops a Ctrl+. request still in flight, silently (no menu, no
    // message), when the file's markers change (it asks again automatically, for the light bulb
    // only) or when any extension registers a code-action provider (read in the 1.139 workbench:
    // CodeActionModel._update and the oracle's marker listener). A user presses Ctrl+. again; so
    // does this, up to QUICK_FIX_TRIES times (T.ui / QUICK_FIX_TRIES for each but the last, which waits T.ui).
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('Control+.');
      try {
        await menu.or(none).first().waitFor({ timeout: attempt < QUICK_FIX_TRIES ? T.ui / QUICK_FIX_TRIES : T.ui });
        break;
      } catch (e) {
        if (attempt >= QUICK_FIX_TRIES) throw e;
        debug(`Ctrl+. showed neither a menu nor a message (attempt ${attempt}); pressing it again`);
      }
    }
    if (await none.isVisible()) throw new Error(`Quick Fix offered nothing: ${(await none.innerText()).trim()}`);
    const item = menu.locator('.monaco-list-row.action', { hasText: label });
    try {
      await item.first().waitFor({ timeout: T.ui });
    } catch {
      throw new Error(`Quick Fix offered no action matching ${label}: ${(await menu.innerText()).trim()}`);
    }
    debug(`quick fix menu: ${(await menu.innerText()).replace(/\s+/g, ' ')}`);
    // Chosen with the keyboard, as after Ctrl+. by hand: while the menu is open an invisible
    // `.context-view-pointerBlock` covers the page until the mouse moves, so a click never lands.
    const focused = menu.locator('.monaco-list-row.action.focused');
    const rows = await menu.locator('.monaco-list-row.action').count();
    for (let i = 0; i <= rows && !(await focused.filter({ hasText: label }).count()); i++) {
      const before = await focused.getAttribute('data-index');
      await this.page.keyboard.press('ArrowDown');
      await menu.locator(`.monaco-list-row.action.focused:not([data-index="${before}"])`).waitFor({ timeout: T.ui });
    }
    await focused.filter({ hasText: label }).waitFor({ timeout: T.ui });
    await this.page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden', timeout: T.ui });
    debug(`quick fix applied: ${label}`);
  }

  async dismissNotifications(): Promise<void> {
    if ((await this.page.locator('.notifications-toasts .notification-list-item').count()) === 0) return;
    await this.runCommand('Notifications: Clear All Notifications');
  }

  async screenshot(file: string): Promise<void> {
    await this.page.screenshot({ path: file });
  }
}
