// The change log's record payload (store/logCodec.ts) and sql.js's loader (store/sqljs.ts): binary
// records round-trip every value kind, a format-1 (JSON) record written by an earlier version still
// decodes, a damaged payload is rejected (so the reader stops there), and the loader really runs
// sql.js with MEMFS growing by 2×.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { decodeRecords, encodeRecord } from '../../../src/core/store/changeLog';
import { decodePayload, sizePayload, writePayload, type Statement } from '../../../src/core/store/logCodec';
import { loadSqlJs, memfsGrowthPatched, patchMemfsGrowth } from '../../../src/core/store/sqljs';
import { recordingView, type RecordBudget } from '../../../src/core/store/recorder';

const encode = (statements: Statement[]): Buffer => {
  const sized = sizePayload(statements);
  const out = Buffer.alloc(sized.bytes);
  writePayload(sized, out, 0);
  return out;
};

describe('change log: record payload', () => {
  const statements: Statement[] = [
    { k: 'exec', sql: 'BEGIN' },
    { k: 'run', sql: 'INSERT INTO t VALUES (?, ?, ?, ?)', p: [1, -2.5, 'ünï €𝄞', null] },
    { k: 'run', sql: 'INSERT INTO t VALUES (?, ?, ?, ?)', p: [Number.MAX_SAFE_INTEGER, 0, '', new Uint8Array([0, 255, 10])] },
    { k: 'run', sql: 'UPDATE t SET a = :a WHERE b = :b', p: { ':a': 'x', ':b': 3, __proto__x: true } as unknown as Statement['p'] },
    { k: 'run', sql: 'DELETE FROM t WHERE c = ?', p: [false] },
  ];

  it('round-trips SQL, kinds and every value kind; one SQL text is stored once', () => {
    const buf = encode(statements);
    assert.deepEqual(decodePayload(buf), statements);
    const sqlBytes = Buffer.byteLength('INSERT INTO t VALUES (?, ?, ?, ?)');
    const once = buf.indexOf('INSERT INTO t VALUES');
    assert.ok(once > 0 && buf.indexOf('INSERT INTO t VALUES', once + sqlBytes) === -1);
    assert.equal(sizePayload(statements).bytes, buf.length);
  });

  it('a record from a format-1 log (JSON, bytes as base64) still decodes', () => {
    const v1 = Buffer.from(JSON.stringify([{ k: 'run', sql: 'INSERT INTO t VALUES (?)', p: [{ $u8: Buffer.from([1, 2]).toString('base64') }] }]));
    assert.deepEqual(decodePayload(v1), [{ k: 'run', sql: 'INSERT INTO t VALUES (?)', p: [new Uint8Array([1, 2])] }]);
  });

  it('a truncated or padded payload is rejected', () => {
    const buf = encode(statements);
    for (const bad of [buf.subarray(0, buf.length - 1), Buffer.concat([buf, Buffer.from([0])]), Buffer.from([9, 0, 0])]) {
      assert.throws(() => decodePayload(bad));
    }
  });

  it('records: a damaged record ends the readable log; the ones before it are read', () => {
    const a = encodeRecord(1, statements);
    const b = encodeRecord(2, [{ k: 'run', sql: 'DELETE FROM t' }]);
    const both = Buffer.concat([a, b]);
    assert.deepEqual(decodeRecords(both, 100).records.map((r) => [r.seq, r.statements]), [[1, statements], [2, [{ k: 'run', sql: 'DELETE FROM t' }]]]);
    both[a.length + 20] ^= 0xff; // inside b's payload: its checksum no longer matches
    const read = decodeRecords(both, 100);
    assert.deepEqual([read.records.length, read.validEnd, read.torn], [1, 100 + a.length, true]);
  });
});

describe('sql.js loader: MEMFS growth', () => {
  it('the installed sql.js has exactly one growth step to change, and the engine runs the changed one', async () => {
    const source = fs.readFileSync(require.resolve('sql.js/dist/sql-wasm.js'), 'utf8');
    const patched = patchMemfsGrowth(source);
    assert.ok(patched !== null && patched !== source);
    assert.equal(patchMemfsGrowth(patched), null, 'nothing left to change');
    const SQL = await loadSqlJs();
    assert.equal(memfsGrowthPatched, true);
    const db = new SQL.Database();
    db.run('CREATE TABLE t (x TEXT)');
    db.run('INSERT INTO t VALUES (CAST(? AS TEXT))', [Buffer.from('grows past 1 MiB '.repeat(100_000))]);
    assert.equal(db.exec('SELECT typeof(x), length(x) FROM t')[0].values[0].join(), 'text,1700000');
    db.close();
  });
});

describe('change log: the record budget of one transaction', () => {
  it('records until the budget is passed, then drops every record and records nothing more; under it, records all', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    try {
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)');
      const out: Statement[] = [];
      const budget: RecordBudget = { limit: 10_000, bytes: 0, over: false };
      const view = recordingView(db, out, budget);
      const insert = view.prepare('INSERT INTO t (body) VALUES (?)');
      insert.run([Buffer.alloc(4_000, 1)]);
      insert.run([Buffer.alloc(4_000, 2)]);
      assert.equal(out.length, 2);
      assert.equal(budget.over, false);
      insert.run([Buffer.alloc(4_000, 3)]);
      assert.equal(budget.over, true);
      assert.equal(out.length, 0, 'nothing kept once over: the caller writes an image instead');
      view.run('DELETE FROM t WHERE id = 1');
      insert.free();
      assert.equal(out.length, 0);
      assert.equal(db.exec('SELECT count(*) FROM t')[0].values[0][0], 2, 'the statements themselves all ran');

      const small: Statement[] = [];
      const roomy: RecordBudget = { limit: 1 << 20, bytes: 0, over: false };
      recordingView(db, small, roomy).run('INSERT INTO t (body) VALUES (?)', [Buffer.alloc(10)]);
      assert.equal(small.length, 1);
      assert.ok(roomy.bytes > 10 && roomy.bytes < 200);
    } finally {
      db.close();
    }
  });
});
