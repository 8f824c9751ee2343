// Health in a real VS Code: the sample's broken reference (BG-01KZH7G5 → US0099) shows in the
// Problems panel; its quick fix, chosen from the light bulb menu and saved, changes the file on disk,
// and the next sync clears the problem. Leaves the workspace as it found it (no project, file restored).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { removeWorkspaceProject, syncWorkspaceProject } from './lensProject';
import { session } from './session';
import { Workbench } from './workbench';

const BUG = path.join('bugs', 'BG-01KZH7G5-reminder-email-links-to-the-wrong-booking.md');

describe('SDLC Lens in VS Code: health in the Problems panel', function () {
  this.bail(true);
  let wb: Workbench;
  let file: string;
  let original: string;

  before(async () => {
    const s = session();
    wb = new Workbench(s.page);
    file = path.join(s.workspace, 'sdlc-studio', BUG);
    original = fs.readFileSync(file, 'utf8');
    await wb.open(s.url);
    await syncWorkspaceProject(wb);
  });
  after(async () => {
    fs.writeFileSync(file, original);
    await wb.runCommand('View: Close All Editors');
    await removeWorkspaceProject(wb);
  });

  it('shows the broken reference in the Problems panel, with its rule id', async () => {
    const page = session().page;
    await wb.runCommand('View: Toggle Problems (Errors, Warnings, Infos)');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: /US0099/ });
    await row.first().waitFor({ timeout: 20_000 });
    assert.match(await row.first().innerText(), /ORPHAN_REFERENCE/);
    assert.match(await row.first().innerText(), /SDLC Lens/);
  });

  it('its quick fix "Change to US0009" rewrites the Story line; saved and synced, the problem is gone', async () => {
    const page = session().page;
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: /US0099/ }).first();
    await row.click();
    await page.locator('.tab.active', { hasText: path.basename(BUG) }).waitFor({ timeout: 15_000 });
    await page.locator('.monaco-editor textarea').first().focus();
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row, .context-view .action-item', { hasText: /Change to US0009/ });
    await fix.first().click({ timeout: 15_000 });
    await page.locator('.monaco-editor .view-line', { hasText: '> **Story:** US0009' }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Control+S');
    await page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: 15_000 });
    assert.match(fs.readFileSync(file, 'utf8'), /^> \*\*Story:\*\* US0009$/m, 'the file on disk was changed by the fix');
    await wb.runCommand('SDLC Lens: Sync Project');
    await page.locator('.markers-panel .monaco-list-row', { hasText: /US0099/ }).first().waitFor({ state: 'detached', timeout: 20_000 });
  });
});
