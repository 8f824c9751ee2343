// Finding documents and following links in a real VS Code (runs after sync.e2e.ts, in the same
// workbench): search from the palette opens the right file; hovering an id in a markdown editor
// shows its document's title; an HTML payload in a title renders as inert text in the hover.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { session } from './session';
import { Workbench } from './workbench';

const PAYLOAD = '<img src=x onerror=alert(1)>';

function countDocs(dir: string): number {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md') && path.basename(f) !== '_index.md' && !f.split(path.sep).some((p) => p.startsWith('.')))
    .length;
}

describe('SDLC Lens in VS Code: search and links', function () {
  this.bail(true);
  let wb: Workbench;
  const dialogs: string[] = [];

  before(async () => {
    const s = session();
    wb = new Workbench(s.page);
    s.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const sdlc = path.join(s.workspace, 'sdlc-studio');
    fs.writeFileSync(path.join(sdlc, 'epics', 'EP0099-payload.md'), `# EP0099: ${PAYLOAD}\n\n> **Status:** Draft\n\nAn epic whose title is an HTML payload.\n`);
    fs.writeFileSync(path.join(s.workspace, 'notes.md'), 'Notes: US0005 is next, then EP0099.\n');
    try {
      await wb.open(s.url);
      await wb.openView();
      // Run alone (SDLC_LENS_TEST_GREP) or after a spec that removed its project, nothing is registered.
      if (!(await wb.hasProjects())) {
        await wb.ensureWorkspaceProject();
        await wb.status.waitFor({ timeout: 15_000 });
      }
      await wb.dismissNotifications();
      await wb.runCommand('SDLC Lens: Sync Project');
      await wb.waitForStatus(new RegExp(`SDLC: ${countDocs(sdlc)} docs`));
    } catch (e) {
      // the harness saves screenshots of failing tests only; a failing set-up gets one here
      await wb.screenshot(path.join(s.runDir, 'workspace-links-before.png')).catch(() => undefined);
      throw e;
    }
  });

  it('Search Documents from the palette finds a story by its text and Enter opens its file', async () => {
    const page = session().page;
    await wb.runCommand('SDLC Lens: Search Documents');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('.quick-input-box input').fill('free slot');
    const row = widget.locator('.monaco-list-row').filter({ hasText: 'US0005 · Book a free slot' });
    await row.first().waitFor({ timeout: 15_000 });
    await row.first().click();
    await widget.waitFor({ state: 'hidden', timeout: 15_000 });
    await page.locator('.tab.active', { hasText: 'US0005-book-a-free-slot.md' }).waitFor({ timeout: 15_000 });
  });

  it('hovering an id in a markdown editor shows its title; an HTML payload in a title stays text', async () => {
    const page = session().page;
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('notes.md');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'notes.md' }).first().waitFor({ timeout: 15_000 });
    await input.press('Enter');
    await page.locator('.tab.active', { hasText: 'notes.md' }).waitFor({ timeout: 15_000 });

    const editor = page.locator('.editor-instance .monaco-editor');
    const hover = page.locator('.monaco-hover:not(.hidden)');
    // Each id that resolves is a document link: Monaco draws it as a `.detected-link` span; hover that.
    const hoverOn = (id: string) => editor.locator('.view-line .detected-link', { hasText: id }).first().hover({ timeout: 15_000 });
    await hoverOn('US0005');
    await hover.filter({ hasText: 'Book a free slot' }).first().waitFor({ timeout: 15_000 });

    await page.mouse.move(5, 5);
    await hoverOn('EP0099');
    const payloadHover = hover.filter({ hasText: PAYLOAD });
    await payloadHover.first().waitFor({ timeout: 15_000 });
    assert.equal(await payloadHover.first().locator('img').count(), 0, 'no <img> element rendered from the title');
    assert.deepEqual(dialogs, [], 'no script ran');
  });
});
