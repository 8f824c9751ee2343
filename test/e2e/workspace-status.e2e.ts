// Acting on documents in a real VS Code (issue 15): Set Status from the palette on the active
// document; a card dragged to another column on the board changes the file's Status value only; a
// move the sdlc-studio skill refuses snaps back and shows its reason (with the shared skill copy,
// installed into the workspace for that test only); completion offers ids. Runs last (its name sorts
// after the other specs) and puts back every file it changed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { hasShared, SKILL } from '../support/corpora';
import { removeWorkspaceProject, syncWorkspaceProject } from './lensProject';
import { session } from './session';
import { exact, Workbench } from './workbench';

/** Resolves once `read()` returns something other than `before` (polled: the file changes outside the page). */
async function changed(read: () => string, before: string, what: string, ms = 20_000): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    const now = read();
    if (now !== before) return now;
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Drags a card onto a column of the board: the page's own dragstart / dragover / drop / dragend
 * handlers with one DataTransfer, as a mouse drag fires them. (Playwright's native drag, dragTo,
 * does not reach into a webview's out-of-process iframe: tried, the page never saw a drop.)
 */
async function drag(board: FrameLocator, key: string, to: string): Promise<void> {
  const card = board.locator(`.card[data-key="${key}"]`);
  const target = board.locator(`.col[data-col="${to}"] .list`);
  const dt = await board.locator('body').evaluateHandle(() => new (globalThis as unknown as { DataTransfer: new () => object }).DataTransfer());
  await card.dispatchEvent('dragstart', { dataTransfer: dt });
  await target.dispatchEvent('dragover', { dataTransfer: dt });
  await target.dispatchEvent('drop', { dataTransfer: dt });
  await card.dispatchEvent('dragend', { dataTransfer: dt });
}

/** The lines that differ between two texts of the same length in lines. */
function diffLines(a: string, b: string): [string, string][] {
  const x = a.split('\n');
  const y = b.split('\n');
  assert.equal(x.length, y.length, 'the number of lines stays');
  return x.map((l, i) => [l, y[i]!] as [string, string]).filter(([l, r]) => l !== r);
}

describe('SDLC Lens in VS Code: Set Status, the board and completion', function () {
  this.bail(true);
  let wb: Workbench;
  let sdlc: string;
  let snapshot: string;
  let board: FrameLocator;
  const read = (rel: string) => fs.readFileSync(path.join(sdlc, rel), 'utf8');
  const skillDir = () => path.join(session().workspace, '.claude');

  before(async () => {
    const s = session();
    wb = new Workbench(s.page);
    sdlc = path.join(s.workspace, 'sdlc-studio');
    snapshot = fs.mkdtempSync(path.join(s.runDir, 'status-snapshot-'));
    fs.cpSync(sdlc, snapshot, { recursive: true });
    await wb.open(s.url);
    await syncWorkspaceProject(wb);
    await wb.runCommand('View: Close All Editors');
  });
  after(async () => {
    fs.rmSync(skillDir(), { recursive: true, force: true });
    await wb.runCommand('View: Close All Editors');
    fs.rmSync(sdlc, { recursive: true, force: true });
    fs.cpSync(snapshot, sdlc, { recursive: true });
    await removeWorkspaceProject(wb);
  });

  it('Set Status from the palette acts on the active document: its pick lists the lifecycle, the current one marked', async () => {
    const page = session().page;
    const rel = 'stories/US0006-cancel-a-booking.md';
    const before = read(rel);
    await wb.openFile('US0006-cancel-a-booking.md');
    await wb.runCommand('SDLC Lens: Set Status…');
    const widget = page.locator('.quick-input-widget');
    const current = widget.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact('Ready') }) });
    await current.filter({ hasText: 'current' }).first().waitFor({ timeout: 15_000 });
    const labels = (await widget.locator('.monaco-list-row .label-name').allInnerTexts()).map((l) => l.trim());
    assert.deepEqual(labels.slice(0, 5), ['Proposed', 'Draft', 'Ready', 'Planned', 'In Progress']);
    await wb.pickItem('In Progress');
    const after = await changed(() => read(rel), before, 'the file to change');
    assert.deepEqual(diffLines(before, after), [['> **Status:** Ready', '> **Status:** In Progress']]);
    await wb.runCommand('View: Close All Editors');
  });

  it('a card dragged to another column changes the Status value on disk and nothing else', async () => {
    const page = session().page;
    const rel = 'stories/US0009-export-bookings-to-ics.md';
    const before = read(rel);
    await wb.runCommand('SDLC Lens: Open Board');
    await page.locator('.tab', { hasText: /^Board: / }).first().waitFor({ timeout: 20_000 });
    board = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const card = board.locator(`.card[data-key="${rel}"]`);
    await board.locator(`.col[data-col="Planned"] .card[data-key="${rel}"]`).waitFor({ timeout: 20_000 });
    assert.equal(await card.getAttribute('draggable'), 'true');
    await drag(board, rel, 'In Progress');
    await board.locator(`.col[data-col="In Progress"] .card[data-key="${rel}"]`).waitFor({ timeout: 5_000 });
    const after = await changed(() => read(rel), before, 'the dragged card’s file to change');
    assert.deepEqual(diffLines(before, after), [['> **Status:** Planned', '> **Status:** In Progress']]);
    await board.locator(`.col[data-col="In Progress"] .card:not(.pending)[data-key="${rel}"]`).waitFor({ timeout: 15_000 });
  });

  if (hasShared()) {
    it('a move the skill refuses snaps back and shows its reason; the file stays', async () => {
      fs.cpSync(SKILL, path.join(skillDir(), 'skills', 'sdlc-studio'), { recursive: true });
      const rel = 'stories/US0010-two-way-calendar-sync.md';
      const before = read(rel);
      await board.locator(`.col[data-col="Needs Design"] .card[data-key="${rel}"]`).waitFor({ timeout: 15_000 });
      await drag(board, rel, 'Done');
      const notice = board.locator('#notice:not([hidden])');
      await notice.waitFor({ timeout: 30_000 });
      assert.match(await notice.innerText(), /acceptance criteria/);
      await board.locator(`.col[data-col="Needs Design"] .card.refused[data-key="${rel}"]`).waitFor({ timeout: 5_000 });
      await wb.message(/sdlc-studio refused US0010/).first().waitFor({ timeout: 15_000 });
      assert.equal(read(rel), before);
      fs.rmSync(skillDir(), { recursive: true, force: true });
    });
  }

  it('completion offers ids with their titles as an id is typed', async () => {
    const page = session().page;
    // closed by its tab: a click into the workbench to focus it could land on a card
    const boardTab = page.locator('.tab', { hasText: /^Board: / });
    if (await boardTab.count()) {
      // a middle click closes a tab on both versions (1.139 shows the close icon only on hover)
      await boardTab.first().click({ button: 'middle' });
      await boardTab.first().waitFor({ state: 'detached', timeout: 15_000 });
    }
    await wb.runCommand('View: Close All Editors');
    await wb.openFile('US0007-weekly-repeating-bookings.md');
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('See US00', { delay: 30 });
    const suggest = page.locator('.suggest-widget.visible');
    const row = suggest.locator('.monaco-list-row', { hasText: 'US0002' }).first();
    // no Ctrl+Space: the list opens while the id is typed
    await row.waitFor({ timeout: 15_000 });
    assert.match(await suggest.innerText(), /Room detail page/);
    await page.keyboard.press('Escape');
    await wb.runCommand('File: Revert File');
  });
});
