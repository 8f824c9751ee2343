// The folder watch behind the agent tools' freshness probe: trusted only after a verified probe,
// untrusted by any change in a walked folder (new folders included once updated), never trusted for
// a folder it cannot cover.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FolderWatch } from '../../../src/core/agent/folderWatch';
import { Sandbox } from '../engine/helpers';

/** Resolves once `pred` holds, checked after each turn of the event loop (fs events arrive as I/O). */
async function until(pred: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('agent tools: folder watch', () => {
  let sb: Sandbox;
  let root: string;
  let watch: FolderWatch;
  beforeEach(() => {
    sb = new Sandbox();
    root = sb.corpus('harbor');
    watch = new FolderWatch(root);
  });
  afterEach(async () => {
    watch.close();
    await sb.dispose();
  });

  const verify = (): void => {
    watch.update();
    watch.verified(watch.mark);
  };

  it('is trusted only once a probe verified the folder, and not after a change to a document', async () => {
    assert.equal(watch.unchanged, false);
    verify();
    assert.equal(watch.unchanged, true);
    fs.appendFileSync(path.join(root, 'stories/US0005-book-a-free-slot.md'), '\nmore\n');
    await until(() => !watch.unchanged, 'the change to be seen');
    verify();
    assert.equal(watch.unchanged, true);
  });

  it('sees a file created, renamed or deleted, in a folder it watches and in a new folder after update()', async () => {
    verify();
    fs.renameSync(path.join(root, 'bugs/BG0001-double-booking-under-load.md'), path.join(root, 'bugs/BG0001-renamed.md'));
    await until(() => !watch.unchanged, 'the rename');
    fs.mkdirSync(path.join(root, 'bugs/triage'));
    verify();
    fs.writeFileSync(path.join(root, 'bugs/triage/BG0009-new.md'), '# BG0009: New\n');
    await until(() => !watch.unchanged, 'a file in the new folder');
    verify();
    fs.rmSync(path.join(root, 'bugs/triage'), { recursive: true });
    await until(() => !watch.unchanged, 'the folder removed');
  });

  it('never trusts a folder holding a linked folder (the sync follows links; a watch would not)', async () => {
    verify();
    fs.symlinkSync(path.join(root, 'epics'), path.join(root, 'linked-epics'));
    await until(() => !watch.unchanged, 'the link created');
    verify();
    assert.equal(watch.unchanged, false, 'a linked folder: never trusted');
  });
});
