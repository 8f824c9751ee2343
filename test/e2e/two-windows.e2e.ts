// Two extension hosts on one data folder (issue 17): two windows of the same VS Code (code-server
// serves both from one user-data folder, so both extensions keep their database in the same
// globalStorage), each on its own workspace. What one window registers, syncs and removes shows in
// the other without a reload; both syncing at once end synced and lose nothing. Leaves no project
// registered and the first window's view scope as it found it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { SAMPLE_DOCS } from '../support/corpora';
import { removeAllProjects, syncWorkspaceProject } from './lensProject';
import { session } from './session';
import { count, Workbench } from './workbench';

/** The same workbench URL opened on another folder. */
function urlFor(url: string, from: string, to: string): string {
  const u = new URL(url);
  u.searchParams.set('folder', (u.searchParams.get('folder') ?? from).replace(from, to));
  return u.toString();
}

/** Runs Sync Project in `wb` on the project labelled `name` (several projects: the command asks). */
async function syncOne(wb: Workbench, name: string): Promise<void> {
  await wb.runCommand('SDLC Lens: Sync Project');
  await wb.pickItem(name);
}

async function labelOfOnlyProject(wb: Workbench): Promise<string> {
  await wb.projectRows().first().waitFor({ timeout: 15_000 });
  return (await wb.projectRows().first().locator('.label-name').innerText()).trim();
}

describe('SDLC Lens in VS Code: two windows on one data folder', function () {
  this.bail(true);
  let a: Workbench;
  let b: Workbench;
  let pageB: Page | undefined;
  let nameA = '';
  let nameB = '';

  before(async () => {
    const s = session();
    a = new Workbench(s.page);
    await a.open(s.url);
    await a.openView();
    const second = path.join(s.runDir, 'quay');
    fs.rmSync(second, { recursive: true, force: true });
    fs.cpSync(s.sample, path.join(second, 'sdlc-studio'), { recursive: true });
    pageB = await s.page.context().newPage();
    await pageB.setViewportSize(s.page.viewportSize() ?? { width: 1400, height: 900 });
    b = new Workbench(pageB);
    await b.open(urlFor(s.url, s.workspace, second));
    await b.openView();
  });

  after(async () => {
    await pageB?.close();
  });

  it('a project registered and synced in one window shows, synced, in the other without a reload', async () => {
    await syncWorkspaceProject(a);
    nameA = await labelOfOnlyProject(a);
    await b.ensureWorkspaceProject();
    nameB = await labelOfOnlyProject(b);
    await b.dismissNotifications();
    await syncOne(b, nameB);
    await b.waitForIcon(await b.waitForRow(nameB, count(SAMPLE_DOCS)), 'check');
    // each window's view shows its own workspace's projects: show all, and the other's is there
    await a.runCommand('SDLC Lens: Show All Projects');
    await a.waitForIcon(await a.waitForRow(nameB, count(SAMPLE_DOCS)), 'check');
    await b.runCommand('SDLC Lens: Show All Projects');
    await b.waitForIcon(await b.waitForRow(nameA, count(SAMPLE_DOCS)), 'check');
  });

  it('both windows syncing at once: every project ends synced in both windows', async () => {
    await Promise.all([a.runCommand('SDLC Lens: Sync All Projects'), b.runCommand('SDLC Lens: Sync All Projects')]);
    for (const wb of [a, b]) {
      for (const name of [nameA, nameB]) await wb.waitForIcon(await wb.waitForRow(name, count(SAMPLE_DOCS)), 'check');
    }
  });

  it('a project removed in one window leaves the other window too', async () => {
    await a.runCommand('SDLC Lens: Remove Project');
    await a.pickItem(nameB);
    const button = a.page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: /^Remove$/ });
    await button.first().click({ timeout: 15_000 });
    await a.rows(nameB).first().waitFor({ state: 'detached', timeout: 15_000 });
    await b.rows(nameB).first().waitFor({ state: 'detached', timeout: 15_000 });
    // the other project stays, still synced, in both
    await b.waitForIcon(await b.waitForRow(nameA, count(SAMPLE_DOCS)), 'check');
    await removeAllProjects(a);
    await b.rows(nameA).first().waitFor({ state: 'detached', timeout: 15_000 });
    await a.runCommand("SDLC Lens: Show This Workspace's Projects");
  });
});
