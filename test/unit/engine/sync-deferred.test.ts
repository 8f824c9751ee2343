// A file no row holds is read with its apply batch, not by the walk (sync/collect.ts `deferred`),
// so a cold sync holds one batch of files' bytes at a time. What happens to such a file between
// the walk and its batch is held open on a real condition: the run has planned and its first
// batch waits for the data folder's write lock (test/unit/reliability/hold.ts) while the test
// removes, replaces and edits files of the last batch. Read back by python3's sqlite3.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { APPLY_BATCH_BYTES } from '../../../src/core/sync/plan';
import { REPLACED_REASON, unreadableReason } from '../../../src/core/sync/messages';
import { holdWrites } from '../reliability/hold';
import { foldNow, pythonRows, sandboxPerTest, syncNow } from './helpers';

const DOCS = 30;
const BODY_BYTES = Math.ceil((APPLY_BATCH_BYTES * 3) / DOCS); // three batches or more

const idOf = (i: number) => `US${String(i).padStart(4, '0')}`;
const fileOf = (i: number) => `stories/${idOf(i)}-story-${i}.md`;
const text = (i: number, words: string) =>
  `# ${idOf(i)}: Story ${i}\n\n> **Status:** Draft\n\n## Description\n\n${words}\n\n${'The holder badges in before the grace period ends. '.repeat(Math.ceil(BODY_BYTES / 52))}\n`;

describe('sync: a new file is read with its batch', () => {
  const t = sandboxPerTest();

  it('a new file removed, replaced or edited after the walk: an error for the first two (the rest stored), the edit stored as read; the next sync completes it', async () => {
    const root = path.join(t.sb.root, 'p', 'sdlc-studio');
    fs.mkdirSync(path.join(root, 'stories'), { recursive: true });
    for (let i = 1; i <= DOCS; i++) fs.writeFileSync(path.join(root, fileOf(i)), text(i, 'original'));
    const { slug } = await t.engine.registerProject({ name: 'P', sdlc_path: root });
    const hold = holdWrites(t.engine.dbPath);
    const { done } = await t.engine.startSync(slug, { onProgress: hold.onProgress });
    await hold.held; // walked and planned; the first batch waits for the lock, the last is not read yet
    fs.rmSync(path.join(root, fileOf(DOCS))); // gone
    const swap = path.join(root, 'stories', 'swap.tmp');
    fs.writeFileSync(swap, text(DOCS - 1, 'replacement'));
    fs.renameSync(swap, path.join(root, fileOf(DOCS - 1))); // another file (inode) in its place
    fs.appendFileSync(path.join(root, fileOf(DOCS - 2)), '\nappended after the walk\n'); // the same file, edited
    await hold.release();
    const first = await done;
    assert.equal(first.sync_status, 'error');
    assert.deepEqual([first.added, first.errors], [DOCS - 2, 2]);
    assert.ok(first.sync_error?.includes(`${fileOf(DOCS)} ${unreadableReason('ENOENT')}`), first.sync_error ?? '');
    assert.ok(first.sync_error?.includes(`${fileOf(DOCS - 1)} ${REPLACED_REASON}`), first.sync_error ?? '');
    const db = t.engine.dbPath;
    await foldNow(t.engine); // the image holds every write, for python3 to read
    assert.deepEqual(pythonRows(db, 'SELECT count(*) FROM documents'), [[DOCS - 2]]);
    assert.deepEqual(pythonRows(db, `SELECT count(*) FROM documents WHERE file_path IN ('${fileOf(DOCS)}', '${fileOf(DOCS - 1)}')`), [[0]]);
    const [[edited]] = pythonRows(db, `SELECT instr(content, 'appended after the walk') > 0 FROM documents WHERE file_path = '${fileOf(DOCS - 2)}'`);
    assert.equal(edited, 1, 'the edited file is stored as its batch read it');
    // the stored hash is of the bytes stored: the next sync skips that file, adds the replacement
    const second = await syncNow(t.engine, slug);
    assert.deepEqual([second.sync_status, second.added, second.updated, second.deleted, second.errors], ['synced', 1, 0, 0, 0]);
    await foldNow(t.engine);
    assert.deepEqual(pythonRows(db, `SELECT instr(content, 'replacement') > 0 FROM documents WHERE file_path = '${fileOf(DOCS - 1)}'`), [[1]]);
    assert.deepEqual(pythonRows(db, 'SELECT count(*) FROM documents'), [[DOCS - 1]]);
  });
});
