// The walkthrough of the installed .vsix, as a user opens it: every step shows its own markdown
// (the .vsix once left media/walkthrough/ out, and each step said "Error reading markdown document").
// One screenshot per step into test-results/walkthrough-<version>/ on every run.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RESULTS } from '../harness/common';
import { target } from '../harness/vscode-versions';
import { PKG } from '../support/manifest';
import { REPO_ROOT } from '../support/corpora';
import { session } from './session';
import { Workbench } from './workbench';

interface Step {
  id: string;
  title: string;
  media: { markdown: string };
}
const WALKTHROUGH = PKG.contributes.walkthroughs[0] as { title: string; steps: Step[] };

/** The first heading of a step's markdown: what its rendered media must show. */
const heading = (s: Step) => /^#\s+(.+)$/m.exec(fs.readFileSync(path.join(REPO_ROOT, s.media.markdown), 'utf8'))![1].trim();

describe('SDLC Lens in VS Code: the walkthrough', function () {
  this.bail(true);
  let wb: Workbench;
  const shots = path.join(RESULTS, `walkthrough-${target().id}`);

  before(async () => {
    wb = new Workbench(session().page);
    await wb.open(session().url);
    fs.rmSync(shots, { recursive: true, force: true });
    fs.mkdirSync(shots, { recursive: true });
  });
  after(async () => {
    await wb.runCommand('View: Close All Editors');
  });

  it(`opens "${WALKTHROUGH.title}" and renders every step's markdown`, async () => {
    const page = session().page;
    await wb.runCommand('Welcome: Open Walkthrough...');
    await wb.pickItem(WALKTHROUGH.title);
    const container = page.locator('.gettingStartedContainer');
    await container.locator('.getting-started-step').first().waitFor({ timeout: 30_000 });
    // The step's markdown renders in a webview (the only one open): outer frame, then its content frame.
    const media = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    for (const step of WALKTHROUGH.steps) {
      const button = container.locator('.getting-started-step').filter({ hasText: step.title });
      await button.first().click();
      const h = heading(step);
      await media.locator('h1', { hasText: h }).waitFor({ timeout: 30_000 });
      const text = await media.locator('body').innerText();
      assert.doesNotMatch(text, /Error reading markdown document/, step.id);
      assert.ok(text.includes(h), `${step.id}: the rendered media shows "${h}"`);
      await page.screenshot({ path: path.join(shots, `${step.id}.png`) });
    }
    assert.equal(fs.readdirSync(shots).length, WALKTHROUGH.steps.length);
  });
});
