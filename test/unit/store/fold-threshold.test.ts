// What a write does when its record takes the change log past the fold size (logBook.ts): a record
// of a sync batch's size is logged and the fold that follows writes its image off the thread (the
// thread keeps answering meanwhile); only a record larger than a quarter of the fold size folds at
// once. A real store on real files; the image read back by python3's sqlite3.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Store } from '../../../src/core/store/database';
import { logFileOf } from '../../../src/core/store/image';
import { HEADER_BYTES } from '../../../src/core/store/changeLog';
import { pythonRows } from '../engine/helpers';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
const MiB = 2 ** 20;
/** The fold size of a small database (logBook.ts FOLD_MIN_BYTES). */
const FOLD_BYTES = 16 * MiB;

/** Inserts `rows` documents of `bytes` characters each, with their content as a parameter (so the record carries it). */
function insertRows(first: number, rows: number, bytes: number) {
  return (db: import('sql.js').Database) => {
    for (let i = first; i < first + rows; i++) {
      db.run(
        `INSERT INTO documents (project_id, file_path, doc_type, doc_id, title, content, file_hash, parser_epoch, synced_at)
         VALUES (1, ?, 'story', ?, ?, ?, 'h', 1, 'now')`,
        [`d${i}.md`, `US${i}`, `Story ${i}`, String(i % 10).repeat(bytes)],
      );
    }
  };
}

/** Runs `write` and reports whether a fold was writing its image off the thread at any tick meanwhile. */
async function watchingFolds(store: Store, write: Promise<unknown>): Promise<boolean> {
  let settled = false;
  let seen = false;
  const done = write.finally(() => (settled = true));
  while (!settled) {
    if (store.writingImage) seen = true;
    await new Promise((r) => setImmediate(r));
  }
  await done;
  return seen;
}

describe('store: a write past the fold size', function () {
  this.timeout(120_000);
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-fold-threshold-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('a batch-sized record is logged and its fold writes off the thread, answering meanwhile; the image holds every row', async () => {
    const store = await Store.open(tmp, quiet);
    const file = path.join(tmp, 'sdlc-lens.db');
    const log = logFileOf(file);
    let rows = 0;
    let foldedOffThread = 0;
    try {
      await store.mutate((db) => db.run(`INSERT INTO projects (slug, name, created_at) VALUES ('p', 'P', '2026-01-01')`));
      // 1 MiB records (100 rows of 10 KiB), as a cold sync's batches: past 16 MiB the log folds
      for (let batch = 0; batch < 20; batch++) {
        const logBefore = fs.statSync(log).size;
        const off = await watchingFolds(store, store.mutate(insertRows(rows, 100, 10_240)));
        rows += 100;
        if (off) {
          foldedOffThread++;
          assert.ok(logBefore + MiB > FOLD_BYTES, `a fold only once the log passes the fold size (log was ${logBefore} bytes)`);
          assert.deepEqual(pythonRows(file, 'SELECT count(*) FROM documents'), [[rows]], 'the folded image holds the record that took the log past the fold size');
        }
      }
      assert.equal(foldedOffThread, 1, 'one fold in 20 MiB of records, written off the thread');
      assert.ok(fs.statSync(log).size > HEADER_BYTES, 'the records after the fold are in the new log');
      assert.equal(store.get('SELECT count(*) AS n FROM documents')?.n, rows, 'a query answers after the fold');
    } finally {
      await store.close();
    }
    assert.deepEqual(pythonRows(file, 'SELECT count(*), sum(length(content)) FROM documents'), [[rows, rows * 10_240]]);
    assert.deepEqual(pythonRows(file, 'PRAGMA integrity_check'), [['ok']]);
  });

  it('a record over a quarter of the fold size that would pass it folds at once: nothing logged, the image has it', async () => {
    const store = await Store.open(tmp, quiet);
    const file = path.join(tmp, 'sdlc-lens.db');
    const log = logFileOf(file);
    try {
      await store.mutate((db) => db.run(`INSERT INTO projects (slug, name, created_at) VALUES ('p', 'P', '2026-01-01')`));
      const off = await watchingFolds(store, store.mutate(insertRows(0, 1_800, 10_240))); // ~17.6 MiB in one transaction
      assert.equal(off, false, 'written on the thread, within the write');
      assert.ok(!fs.existsSync(log) || fs.statSync(log).size === HEADER_BYTES, 'the record was not logged first');
      assert.deepEqual(pythonRows(file, 'SELECT count(*) FROM documents'), [[1_800]], 'the new image has it');
    } finally {
      await store.close();
    }
  });
});
