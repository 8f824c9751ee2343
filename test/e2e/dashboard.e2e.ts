// The dashboard in a real VS Code: it renders in its webview, its charts carry the numbers of the
// synced files, a clicked bar lists its documents, and an HTML payload in a title stays inert text.
// Screenshots (light and dark) for the README when $SDLC_LENS_SCREENSHOTS=1. Leaves no project behind.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { classifyPath } from '../../src/core/parse/paths';
import { removeWorkspaceProject, syncWorkspaceProject } from './lensProject';
import { session } from './session';
import { Workbench } from './workbench';

const PAYLOAD = '<img src=x onerror=alert(1)><script>alert(2)</script>';
const PAYLOAD_FILE = path.join('stories', 'US0999-payload.md');

/** Documents per type of the workspace's files, as the sync classifies them. */
function typesOnDisk(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const rel = f.split(path.sep).join('/');
    if (!rel.endsWith('.md') || path.basename(rel) === '_index.md' || rel.split('/').some((p) => p.startsWith('.'))) continue;
    const c = classifyPath(rel);
    if (c) out.set(c.docType, (out.get(c.docType) ?? 0) + 1);
  }
  return out;
}

describe('SDLC Lens in VS Code: the dashboard', function () {
  this.bail(true);
  let wb: Workbench;
  let sdlc: string;
  let view: FrameLocator;
  const dialogs: string[] = [];
  const shot = (name: string) => {
    const dir = session().screenshots;
    return dir ? wb.screenshot(path.join(dir, name)) : Promise.resolve();
  };

  before(async () => {
    const s = session();
    wb = new Workbench(s.page);
    s.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    sdlc = path.join(s.workspace, 'sdlc-studio');
    await wb.open(s.url);
    await syncWorkspaceProject(wb);
    // Added after the first sync, so it is the most recently changed document.
    fs.writeFileSync(path.join(sdlc, PAYLOAD_FILE), `# US0999: ${PAYLOAD}\n\n> **Status:** Draft\n> **Epic:** EP0001\n\nA story whose title is an HTML payload.\n`);
    await syncWorkspaceProject(wb);
  });
  after(async () => {
    fs.rmSync(path.join(sdlc, PAYLOAD_FILE), { force: true });
    await wb.runCommand('View: Close All Editors');
    await removeWorkspaceProject(wb);
  });

  it('opens from the palette and renders its charts with the numbers of the synced files', async () => {
    const page = session().page;
    await wb.runCommand('SDLC Lens: Open Dashboard');
    await page.locator('.tab', { hasText: /^Dashboard: / }).first().waitFor({ timeout: 20_000 });
    view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await view.locator('svg[data-chart="type"]').waitFor({ timeout: 20_000 });
    const types = typesOnDisk(sdlc);
    const total = [...types.values()].reduce((a, b) => a + b, 0);
    assert.equal((await view.locator('[data-kpi="documents"] .big').innerText()).trim(), String(total));
    for (const [type, n] of types) {
      const bar = view.locator(`svg[data-chart="type"] g[data-key="${type}"]`);
      assert.equal(await bar.getAttribute('data-count'), String(n), type);
      assert.equal((await bar.locator('text.num').textContent())?.trim(), String(n), `${type} label`);
    }
    const arcs = view.locator('svg[data-chart="status-donut"] circle[data-count]');
    const counts = await arcs.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
    assert.equal(counts.reduce((a, b) => a + b, 0), total, 'the status arcs add up to every document');
    assert.equal((await view.locator('svg[data-chart="status-donut"] text.centre').textContent())?.trim(), String(total));
  });

  it('renders an HTML payload in a title as inert text', async () => {
    const cell = view.locator('table.recent td.title', { hasText: 'onerror' });
    await cell.first().waitFor({ timeout: 15_000 });
    assert.equal((await cell.first().textContent())?.trim(), `US0999: ${PAYLOAD}`);
    assert.equal(await view.locator('table.recent img, body > img, td img').count(), 0, 'no img element was created');
    assert.equal(await view.locator('body script:not([nonce])').count(), 0, 'no script element was created');
    assert.deepEqual(dialogs, [], 'nothing ran');
  });

  it('lists the documents of a clicked bar in a quick pick', async () => {
    const page = session().page;
    const stories = typesOnDisk(sdlc).get('story')!;
    await view.locator('svg[data-chart="type"] g[data-key="story"] rect').click();
    const widget = page.locator('.quick-input-widget');
    await widget.locator('.monaco-list-row').first().waitFor({ timeout: 15_000 });
    // shown at once (no key typed meanwhile is lost) as "Documents: Stories", titled with the count once listed
    const title = new RegExp(`^${stories} document\\(s\\): Stories`);
    await widget.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 15_000 });
    assert.match(await widget.locator('.quick-input-title').innerText(), title);
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: 15_000 });
  });

  it('follows the colour theme (screenshots light and dark)', async () => {
    const page = session().page;
    for (const [theme, file] of [['Light Modern', 'dashboard-light.png'], ['Dark Modern', 'dashboard-dark.png']] as const) {
      await wb.runCommand('Preferences: Color Theme');
      await wb.pickItem(new RegExp(`^${theme}$`));
      await page.locator(`.monaco-workbench.${theme.startsWith('Light') ? 'vs' : 'vs-dark'}`).waitFor({ timeout: 15_000 });
      await view.locator('svg[data-chart="type"]').waitFor({ timeout: 15_000 });
      await shot(file);
    }
  });
});
