// A data folder written by a newer SDLC Lens (schema 6): every command of the built CLI says so in
// one line and leaves every byte of the folder as it was (issue 17). The same for a damaged image:
// the projects are listed again and a sync rebuilds their documents.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dbModify, ensureCliBuilt, registerAndSync, runCli, Sandbox, SAMPLE_DOCS } from '../engine/helpers';

function folderBytes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir).sort()) out[f] = fs.readFileSync(path.join(dir, f)).toString('base64');
  return out;
}

describe('CLI: a database it cannot open', function () {
  this.timeout(180_000);
  let sb: Sandbox;
  let source: string;
  before(() => ensureCliBuilt());
  beforeEach(async () => {
    sb = new Sandbox();
    source = sb.corpus('p');
    const e = await sb.engine();
    await registerAndSync(e, 'Kept', source);
    await e.close();
  });
  afterEach(() => sb.dispose());

  it('schema 6: every command answers one line "written by a newer SDLC Lens … Update SDLC Lens", exit 1, the folder byte-identical', async () => {
    await dbModify(sb.dbPath, (db) => db.exec('PRAGMA user_version = 6'));
    const before = folderBytes(sb.dataDir);
    const data = ['--data-dir', sb.dataDir];
    const commands = [
      ['projects'], ['projects', '--json'], ['docs', 'kept', '--json'], ['search', 'booking'], ['stats'], ['stats', 'kept', '--json'],
      ['check', 'kept'], ['sync', 'kept'], ['sync', source], ['sync', '--all'], ['serve', '--port', '0'],
    ];
    for (const args of commands) {
      const r = await runCli([...args, ...data]);
      const label = args.join(' ');
      assert.equal(r.code, 1, `${label}: ${r.stderr}`);
      const lines = r.stderr.split('\n').filter(Boolean);
      assert.equal(lines.length, 1, `${label}: one line, got ${r.stderr}`);
      assert.match(lines[0]!, /^sdlc-lens: The SDLC Lens database .* has schema 6 \(this version reads up to 5\): it was written by a newer SDLC Lens\. Update SDLC Lens/, label);
      assert.deepEqual(folderBytes(sb.dataDir), before, `${label}: the data folder is byte-identical`);
    }
  });

  it('a damaged image: `projects` still lists the project, `sync` rebuilds its documents', async () => {
    const image = fs.readFileSync(sb.dbPath);
    const pageSize = image.readUInt16BE(16);
    image.fill(0, pageSize, 4 * pageSize); // pages 2–4: the b-tree roots after the schema page
    fs.writeFileSync(sb.dbPath, image);
    const data = ['--data-dir', sb.dataDir];
    const listed = await runCli(['projects', '--json', ...data]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(JSON.parse(listed.stdout).map((p: { slug: string }) => p.slug), ['kept']);
    assert.match(listed.stderr, /sdlc-lens\.db\.corrupt-.*\(kept\).*registered projects/);
    const synced = await runCli(['sync', 'kept', '--json', ...data]);
    assert.equal(synced.code, 0, synced.stderr);
    assert.equal(JSON.parse(synced.stdout).document_count, SAMPLE_DOCS);
  });
});
