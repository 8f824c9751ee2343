// Files reached through a symlink that leaves the project folder are not read (api.md §1.2
// revised): a registered folder must not expose other files of the machine through the lens, the
// API or its search. Links that stay inside the folder are read as before.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dbRows, registerAndSync, SAMPLE_DOCS, Sandbox } from './helpers';

const SECRET = 'zq-outside-marker-7781';

describe('sync: symlinks that leave the project folder', () => {
  let sb: Sandbox;
  beforeEach(() => (sb = new Sandbox()));
  afterEach(() => sb.dispose());

  it('a file link out of the folder is not read (full and path-hinted sync); a link inside it is; .version through a link out is ignored', async () => {
    const root = sb.corpus('links');
    const outside = sb.write(sb.root, 'elsewhere/US0999-outside.md', `# US0999: Outside\n\n> **Status:** Done\n\n${SECRET}\n`);
    sb.write(sb.root, 'elsewhere/version', '9.9.9\n');
    fs.symlinkSync(outside, path.join(root, 'stories', 'US0999-outside.md'));
    fs.symlinkSync(path.join(root, 'prd.md'), path.join(root, 'stories', 'US0998-inside-link.md'));
    fs.rmSync(path.join(root, '.version'), { force: true });
    fs.symlinkSync(path.join(sb.root, 'elsewhere', 'version'), path.join(root, '.version'));
    const e = await sb.engine();
    const o = await registerAndSync(e, 'Links', root);
    assert.equal(o.sync_status, 'synced');
    const files = (await dbRows(sb.dbPath, 'SELECT file_path FROM documents')).map((r) => String(r.file_path));
    assert.ok(!files.includes('stories/US0999-outside.md'), 'the outside file is not a document');
    assert.ok(files.includes('stories/US0998-inside-link.md'), 'a link inside the folder is read');
    assert.equal(files.length, SAMPLE_DOCS + 1);
    const leaked = await dbRows(sb.dbPath, 'SELECT count(*) AS n FROM documents WHERE content LIKE ?', [`%${SECRET}%`]);
    assert.equal(leaked[0]!.n, 0);
    assert.notEqual(e.getProject('links').schema_version, '9.9.9', '.version through a link out is not read');
    // a path-hinted sync of exactly that path reads nothing either
    const { done } = await e.startSync('links', { paths: ['stories/US0999-outside.md'] });
    assert.equal((await done).sync_status, 'synced');
    const again = await dbRows(sb.dbPath, 'SELECT count(*) AS n FROM documents WHERE content LIKE ?', [`%${SECRET}%`]);
    assert.equal(again[0]!.n, 0);
    assert.equal(e.getProject('links').document_count, SAMPLE_DOCS + 1);
  });
});
