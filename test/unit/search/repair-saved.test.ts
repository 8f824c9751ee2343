// Issue 18: a search index rebuilt at a search (found stale) is saved with the database image, so
// the next process does not rebuild it again. The stale index is made by another program
// (python3's sqlite3 deleting index rows from the image), and each process's log lines count the rebuilds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { bigCorpus, registerAndSync, Sandbox } from '../engine/helpers';

const REBUILT = /search index was stale/;

describe('search: a rebuilt index is saved for the next process (issue 18)', () => {
  let sb: Sandbox;
  beforeEach(() => (sb = new Sandbox()));
  afterEach(() => sb.dispose());

  it('a stale index is rebuilt by the first search after it, and by no later process', async () => {
    const first = await sb.engine();
    // large enough that the indexing process saves the index into the image (search/persistIndex.ts)
    await registerAndSync(first, 'Saved', bigCorpus(sb, 'saved', 8));
    await first.whenIndexed();
    await first.close();
    const py = spawnSync('python3', ['-c', `import sqlite3,sys
c=sqlite3.connect(sys.argv[1])
c.execute('DELETE FROM documents_fts_docsize WHERE docid IN (SELECT docid FROM documents_fts_docsize LIMIT 3)')
c.commit()`, sb.dbPath], { encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    const rebuilds = () => sb.logged.filter((l) => REBUILT.test(l.message)).length;

    const second = await sb.engine();
    assert.ok(second.search({ q: 'story' }).total > 0);
    assert.equal(rebuilds(), 1, `the stale index is found and rebuilt: ${JSON.stringify(sb.logged)}`);
    await second.close();
    const saved = fs.statSync(sb.dbPath);

    const third = await sb.engine();
    assert.ok(third.search({ q: 'story' }).total > 0);
    assert.equal(rebuilds(), 1, 'the next process finds it sound');
    await third.close();
    assert.equal(fs.statSync(sb.dbPath).mtimeMs, saved.mtimeMs, 'and writes nothing');
  });
});
