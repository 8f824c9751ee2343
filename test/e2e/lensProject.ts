// Shared steps of the e2e specs that need the workspace's project synced and want to leave the
// workbench as they found it (no project registered), whatever order the specs run in.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { session } from './session';
import type { Workbench } from './workbench';

export function countDocs(dir: string): number {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md') && path.basename(f) !== '_index.md' && !f.split(path.sep).some((p) => p.startsWith('.')))
    .length;
}

/** Registers the workspace's sdlc-studio folder if no project is shown yet, and syncs it. */
export async function syncWorkspaceProject(wb: Workbench): Promise<void> {
  const sdlc = path.join(session().workspace, 'sdlc-studio');
  await wb.openView();
  if (!(await wb.hasProjects())) {
    await wb.ensureWorkspaceProject();
    await wb.projectRows().first().waitFor({ timeout: 15_000 });
  }
  await wb.dismissNotifications();
  await wb.runCommand('SDLC Lens: Sync Project');
  await wb.waitForStatus(new RegExp(`SDLC: ${countDocs(sdlc)} docs`));
}

/** Removes the (only) project again so later specs start from an empty view. */
export async function removeWorkspaceProject(wb: Workbench): Promise<void> {
  if ((await wb.projectRows().count()) === 0) return;
  await wb.runCommand('SDLC Lens: Remove Project');
  const button = wb.page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: /^Remove$/ });
  await button.first().click({ timeout: 15_000 });
  await wb.page.locator('.monaco-dialog-box').waitFor({ state: 'detached', timeout: 15_000 });
  await wb.projectRows().first().waitFor({ state: 'detached', timeout: 15_000 });
}

/** Removes every registered project (one Remove Project each), so later specs start from an empty view. */
export async function removeAllProjects(wb: Workbench): Promise<void> {
  for (let left = await wb.projectRows().count(); left > 0; left = await wb.projectRows().count()) {
    // the longest name first: typed into the project pick, it matches that project only
    const names = (await wb.projectRows().locator('.label-name').allInnerTexts()).map((n) => n.trim());
    const name = names.sort((a, b) => b.length - a.length)[0];
    await wb.runCommand('SDLC Lens: Remove Project');
    if (left > 1) {
      const widget = wb.page.locator('.quick-input-widget');
      await widget.locator('.quick-input-box input').fill(name);
      await widget.locator('.monaco-list-row').first().filter({ hasText: name }).waitFor({ timeout: 15_000 });
      await widget.locator('.quick-input-box input').press('Enter');
    }
    const button = wb.page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: /^Remove$/ });
    await button.first().click({ timeout: 15_000 });
    await wb.page.locator('.monaco-dialog-box').waitFor({ state: 'detached', timeout: 15_000 });
    await wb.rows(name).first().waitFor({ state: 'detached', timeout: 15_000 });
  }
}
