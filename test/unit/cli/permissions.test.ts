// Real permission failures (sync.md §7). The tests run as root, and root ignores permission bits,
// so the CLI is run here as the unprivileged user `nobody` (uid/gid 65534): for it, a chmod 000
// file really cannot be read and a chmod 000 folder really cannot be listed.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureCliBuilt, runCli, SAMPLE_DOCS, Sandbox } from '../engine/helpers';

const NOBODY = { uid: 65534, gid: 65534 };

describe('CLI as an unprivileged user: unreadable file, unlistable folder', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let root: string;
  const sync = () => runCli(['sync', root, '--json', '--data-dir', sb.dataDir], NOBODY);

  before(function () {
    this.timeout(120_000);
    ensureCliBuilt();
    assert.equal(process.getuid?.(), 0, 'these tests switch to uid 65534, which needs root');
  });
  beforeEach(async () => {
    sb = new Sandbox();
    fs.chmodSync(sb.root, 0o755); // mkdtemp makes it 0700
    root = sb.corpus('perm');
    fs.mkdirSync(sb.dataDir);
    fs.chownSync(sb.dataDir, NOBODY.uid, NOBODY.gid);
    const first = await sync();
    assert.equal(first.code, 0, first.stderr);
    assert.equal(JSON.parse(first.stdout).added, SAMPLE_DOCS);
  });
  afterEach(() => sb.dispose());

  it('chmod 000 file → row kept untouched, status error, message counts 1', async () => {
    const e0 = await sb.engine();
    const before = e0.getDocument('perm', 'story', 'US0002-room-detail-page');
    await e0.close();
    fs.chmodSync(path.join(root, 'stories/US0002-room-detail-page.md'), 0o000);
    const r = await sync();
    assert.equal(r.code, 1);
    const o = JSON.parse(r.stdout);
    assert.deepEqual([o.sync_status, o.errors, o.skipped, o.deleted, o.document_count], ['error', 1, SAMPLE_DOCS - 1, 0, SAMPLE_DOCS]);
    assert.match(o.sync_error, /^1 file could not be synced .*stories\/US0002-room-detail-page\.md could not be read \(EACCES\)/);
    const e = await sb.engine();
    assert.deepEqual(e.getDocument('perm', 'story', 'US0002-room-detail-page'), before);
  });

  it('chmod 000 subfolder → every stored row under it kept, one error, the rest synced', async () => {
    fs.writeFileSync(path.join(root, 'epics/EP0003-new.md'), '# EP0003: New\n');
    fs.chmodSync(path.join(root, 'stories'), 0o000);
    const r = await sync();
    assert.equal(r.code, 1);
    const o = JSON.parse(r.stdout);
    assert.deepEqual([o.sync_status, o.added, o.errors, o.deleted, o.document_count], ['error', 1, 1, 0, SAMPLE_DOCS + 1]);
    assert.match(o.sync_error, /stories folder could not be listed \(EACCES\)/);
    const e = await sb.engine();
    assert.equal(e.listDocuments('perm', { type: 'story' }).total, 16);
    // once the folder is readable again, the next run is clean and changes nothing under it
    fs.chmodSync(path.join(root, 'stories'), 0o755);
    const again = JSON.parse((await sync()).stdout);
    assert.deepEqual([again.sync_status, again.added, again.updated, again.deleted, again.skipped], ['synced', 0, 0, 0, SAMPLE_DOCS + 1]);
  });
});
