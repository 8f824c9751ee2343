// The read-only promise (api.md §1, issue 11): nothing a sync does ever writes into a project's
// sdlc-studio folder. Every file's bytes, mode and mtime and every folder's listing are recorded
// before and after 100 syncs (unchanged, full after a clear, and beside a project whose copy the
// test keeps editing), and must be identical.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Lab } from './support';

/** path → digest of (type, mode, size, mtime, bytes or link target); folders list their entries. */
function fingerprint(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (rel: string): void => {
    const abs = path.join(root, rel);
    const st = fs.lstatSync(abs);
    const meta = `${st.mode}:${st.size}:${st.mtimeMs}:${st.uid}:${st.gid}`;
    if (st.isSymbolicLink()) out.set(rel, `link ${meta} → ${fs.readlinkSync(abs)}`);
    else if (st.isDirectory()) {
      const names = fs.readdirSync(abs).sort();
      out.set(rel || '.', `dir ${meta} [${names.join('|')}]`);
      for (const n of names) visit(rel ? `${rel}/${n}` : n);
    } else out.set(rel, `file ${meta} ${createHash('sha256').update(fs.readFileSync(abs)).digest('hex')}`);
  };
  visit('');
  return out;
}

describe('reliability: read-only promise', function () {
  this.timeout(120_000);
  let lab: Lab;
  beforeEach(() => (lab = new Lab()));
  afterEach(async () => lab.dispose());

  it('100 syncs leave every file, mode, mtime and listing of the source folder identical', async () => {
    const source = lab.sample('watched');
    fs.symlinkSync('stories', path.join(source, 'stories-link'));
    fs.writeFileSync(path.join(source, 'stories', 'US0900-bad.md'), Buffer.from([0xff, 0xfe])); // a file error every run
    const edited = lab.sample('edited');
    const before = fingerprint(source);
    const engine = await lab.engine();
    await engine.registerProject({ name: 'watched', sdlc_path: source });
    await engine.registerProject({ name: 'edited', sdlc_path: edited });
    const statuses = new Map<string, number>();
    for (let i = 0; i < 100; i++) {
      // the other project's copy changes between runs, so runs really add, update and delete
      const f = path.join(edited, 'stories', `US${String(800 + (i % 7)).padStart(4, '0')}-churn.md`);
      if (i % 3 === 2) fs.rmSync(f, { force: true });
      else fs.writeFileSync(f, `# US${800 + (i % 7)}: Churn ${i}\n\n> **Status:** Draft\n`);
      if (i % 10 === 0) await engine.clearDocuments('watched'); // a full run: everything re-added
      const slug = i % 2 === 0 ? 'watched' : 'edited';
      const o = await (await engine.startSync(slug)).done;
      statuses.set(`${slug}:${o.sync_status}`, (statuses.get(`${slug}:${o.sync_status}`) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries(statuses), { 'watched:error': 50, 'edited:synced': 50 });
    const after = fingerprint(source);
    assert.deepEqual([...after.entries()], [...before.entries()]);
  });
});
