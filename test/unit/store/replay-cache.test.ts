// Replaying the change log prepares each distinct statement once per replay, not once per row (a
// re-sync that re-stats every file logs thousands of runs of one UPDATE; `db.run` prepared each
// anew: ~1.3 s in every new process at 2,352 documents). Counted, not timed. The oracle is a plain
// SELECT on the replayed connection and the number of `prepare` calls it saw. The records applied
// in one replay share one transaction (each under a savepoint): a commit per record wrote the
// database file's pages each time.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { encodeHeader, encodeRecord, type Statement } from '../../../src/core/store/changeLog';
import { applyLog } from '../../../src/core/store/image';

let sql: Promise<SqlJsStatic> | undefined;
const SQL = (): Promise<SqlJsStatic> =>
  (sql ??= initSqlJs({ wasmBinary: fs.readFileSync(require.resolve('sql.js/dist/sql-wasm.wasm')) as unknown as ArrayBuffer }));

const LOG_ID = 0x5eed;
const UPDATE = 'UPDATE docs SET size = ?, mtime = ? WHERE id = ?';
const INSERT = 'INSERT INTO docs (id, size, mtime) VALUES (?, ?, ?)';

/** A connection with `rows` documents, counting the statements prepared on it. */
async function fixture(rows: number): Promise<{ db: Database; prepared: () => number }> {
  const db = new (await SQL()).Database();
  db.exec('CREATE TABLE docs (id INTEGER PRIMARY KEY, size INTEGER NOT NULL, mtime INTEGER NOT NULL)');
  for (let id = 1; id <= rows; id++) db.run('INSERT INTO docs VALUES (?, 0, 0)', [id]);
  let count = 0;
  const prepare = db.prepare.bind(db);
  db.prepare = ((s: string, p?: never) => {
    count++;
    return prepare(s, p);
  }) as Database['prepare'];
  return { db, prepared: () => count };
}

function writeLog(dir: string, records: Statement[][]): string {
  const file = path.join(dir, 'test.db.log');
  fs.writeFileSync(file, Buffer.concat([encodeHeader(LOG_ID), ...records.map((r, i) => encodeRecord(i + 1, r))]));
  return file;
}

const updates = (from: number, to: number, size: number): Statement[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ k: 'run' as const, sql: UPDATE, p: [size, 1000 + from + i, from + i] }));

describe('store: log replay prepares each statement once', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-replay-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('3 records, 2,501 statements of 2 kinds: 2 prepares, every row as logged', async () => {
    const { db, prepared } = await fixture(2000);
    const log = writeLog(dir, [
      updates(1, 1000, 7),
      [...updates(1001, 2000, 8), { k: 'run', sql: INSERT, p: [2001, 9, 9] }],
      updates(1, 500, 10),
    ]);
    const st = applyLog(db, log, LOG_ID, 0);
    assert.equal(st.problem, null);
    assert.equal(st.applied, 3);
    assert.equal(prepared(), 2, 'one prepare per distinct statement');
    const rows = db.exec('SELECT size, count(*), min(mtime), max(mtime) FROM docs GROUP BY size ORDER BY size')[0].values;
    assert.deepEqual(rows, [
      [7, 500, 1501, 2000], // ids 501–1000 keep record 1's values
      [8, 1000, 2001, 3000],
      [9, 1, 9, 9],
      [10, 500, 1001, 1500], // record 3 wins for ids 1–500
    ]);
  });

  it('a record that fails midway: the records before it stay, the failing one rolls back, the rest is not applied', async () => {
    const { db } = await fixture(10);
    const log = writeLog(dir, [
      updates(1, 10, 1),
      [...updates(1, 5, 2), { k: 'run', sql: INSERT, p: [3, 0, 0] }], // id 3 exists: the record fails
      updates(1, 10, 3),
    ]);
    const st = applyLog(db, log, LOG_ID, 0);
    assert.equal(st.applied, 1);
    assert.equal(st.seq, 1);
    assert.match(st.problem?.message ?? '', /record 2 could not be applied \(UNIQUE constraint failed/);
    assert.deepEqual(db.exec('SELECT DISTINCT size FROM docs')[0].values, [[1]], "record 2's updates rolled back, record 3 not applied");
  });

  it('300 small records (an unchanged CLI sync logs two): one transaction, one commit; a later replay continues from there', async () => {
    const { db } = await fixture(10);
    const execs: string[] = [];
    const exec = db.exec.bind(db);
    db.exec = ((sqlText: string, p?: never) => {
      execs.push(sqlText.trim().split(/\s+/)[0].toUpperCase());
      return exec(sqlText, p);
    }) as Database['exec'];
    const records = Array.from({ length: 300 }, (_, i) => updates(1 + (i % 10), 1 + (i % 10), i));
    const log = writeLog(dir, records);
    const st = applyLog(db, log, LOG_ID, 0);
    assert.equal(st.problem, null);
    assert.equal(st.applied, 300);
    assert.deepEqual(execs.filter((x) => x === 'BEGIN' || x === 'COMMIT'), ['BEGIN', 'COMMIT']);
    assert.equal(execs.filter((x) => x === 'SAVEPOINT').length, 300);
    assert.equal(db.exec('SELECT count(*) FROM docs WHERE size >= 290')[0].values[0][0], 10, 'every record applied');
    // nothing left open: the connection takes a transaction of its own
    exec('BEGIN IMMEDIATE; UPDATE docs SET size = -1 WHERE id = 1; COMMIT');
    fs.appendFileSync(log, encodeRecord(301, updates(1, 10, 999)));
    execs.length = 0;
    const next = applyLog(db, log, LOG_ID, st.seq, st.offset!);
    assert.equal(next.applied, 1);
    assert.deepEqual(db.exec('SELECT DISTINCT size FROM docs')[0].values, [[999]]);
    assert.deepEqual(execs.filter((x) => x === 'BEGIN' || x === 'COMMIT'), ['BEGIN', 'COMMIT']);
  });

  it('nothing to apply: no transaction at all', async () => {
    const { db } = await fixture(3);
    const log = writeLog(dir, [updates(1, 3, 5)]);
    const first = applyLog(db, log, LOG_ID, 0);
    const execs: string[] = [];
    const exec = db.exec.bind(db);
    db.exec = ((sqlText: string, p?: never) => {
      execs.push(sqlText);
      return exec(sqlText, p);
    }) as Database['exec'];
    const again = applyLog(db, log, LOG_ID, first.seq, first.offset!);
    assert.equal(again.applied, 0);
    assert.deepEqual(execs, []);
  });
});
