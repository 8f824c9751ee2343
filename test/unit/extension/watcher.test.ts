// The auto-sync watcher (src/extension/watcher.ts) on a real temp folder with real chokidar: the
// paths changed during one debounce are handed to the trigger (the engine's path-hinted sync); a
// removed folder or more than MAX_WATCH_PATHS paths hand over none (a full sync).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Project } from '../../../src/core/types';
import type { ExtensionLog } from '../../../src/extension/log';
import { AutoSyncWatcher, MAX_WATCH_PATHS } from '../../../src/extension/watcher';

describe('auto-sync watcher: changed paths', function () {
  this.timeout(30_000);
  let root: string;
  let watcher: AutoSyncWatcher;
  let triggers: { slug: string; paths: string[] | undefined }[];
  let next: (() => void) | null;

  const log = { info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as ExtensionLog;
  /** Resolves at the next trigger. */
  const triggered = (): Promise<void> => new Promise((r) => (next = r));

  beforeEach(async () => {
    root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lens-watch-')), 'sdlc-studio');
    fs.mkdirSync(path.join(root, 'stories', 'archive'), { recursive: true });
    fs.writeFileSync(path.join(root, 'stories', 'US0001-a.md'), '# US0001: A\n');
    fs.writeFileSync(path.join(root, 'stories', 'archive', 'US0002-b.md'), '# US0002: B\n');
    triggers = [];
    next = null;
    watcher = new AutoSyncWatcher((slug, paths) => {
      triggers.push({ slug, paths });
      next?.();
    }, log);
    watcher.update(true, 150, [{ slug: 'w', sdlc_path: root } as Project]);
    assert.equal(await watcher.whenReady('w'), true);
  });
  afterEach(() => {
    watcher.dispose();
    fs.rmSync(path.dirname(root), { recursive: true, force: true });
  });

  /** Resolves once the triggers so far have handed over every one of `paths` (a busy machine may split a debounce). */
  const handedOver = (paths: string[]): Promise<void> =>
    new Promise((resolve) => {
      next = () => {
        const all = new Set(triggers.flatMap((t) => t.paths ?? []));
        if (paths.every((p) => all.has(p))) resolve();
      };
    });

  it('hands over the changed, added and removed files of one debounce, relative and `/`-separated', async () => {
    const done = handedOver(['stories/US0001-a.md', 'stories/US0003-c.md', 'stories/archive/US0002-b.md']);
    const edited = path.join(root, 'stories', 'US0001-a.md');
    const added = path.join(root, 'stories', 'US0003-c.md');
    const removed = path.join(root, 'stories', 'archive', 'US0002-b.md');
    fs.appendFileSync(edited, 'more\n');
    fs.writeFileSync(added, '# US0003: C\n');
    fs.rmSync(removed);
    fs.writeFileSync(path.join(root, 'stories', '_index.md'), '# index\n'); // not a document: not handed over
    await done;
    assert.ok(triggers.every((t) => t.slug === 'w' && t.paths !== undefined), 'hinted, never full');
    const all = [...new Set(triggers.flatMap((t) => t.paths!))].sort();
    assert.deepEqual(all, ['stories/US0001-a.md', 'stories/US0003-c.md', 'stories/archive/US0002-b.md']);
  });

  it('an added folder is handed over as a folder (everything under it)', async () => {
    const done = handedOver(['epics']);
    fs.mkdirSync(path.join(root, 'epics'));
    fs.writeFileSync(path.join(root, 'epics', 'EP0001-x.md'), '# EP0001: X\n');
    await done;
    assert.ok(triggers.every((t) => t.paths !== undefined));
  });

  it('a removed or renamed folder makes it a full sync', async () => {
    const done = new Promise<void>((resolve) => (next = () => triggers.some((t) => t.paths === undefined) && resolve()));
    fs.renameSync(path.join(root, 'stories', 'archive'), path.join(root, 'stories', 'old'));
    await done;
    // the next debounce starts afresh: hinted again
    const again = handedOver(['stories/US0001-a.md']);
    const from = triggers.length;
    fs.appendFileSync(path.join(root, 'stories', 'US0001-a.md'), 'again\n');
    await again;
    assert.deepEqual(triggers.slice(from).map((t) => t.paths), [['stories/US0001-a.md']]);
  });

  it(`more than ${MAX_WATCH_PATHS} changed paths in one debounce make it a full sync`, async () => {
    const files = Array.from({ length: MAX_WATCH_PATHS + 1 }, (_, i) => path.join(root, 'stories', `US${String(1000 + i)}-n.md`));
    watcher.update(true, 2_000, [{ slug: 'w', sdlc_path: root } as Project]); // one debounce for all of them
    const done = triggered();
    for (const f of files) fs.writeFileSync(f, '# new\n');
    await done;
    assert.equal(triggers.length, 1);
    assert.equal(triggers[0].paths, undefined);
  });
});
