// Committed store fixtures (test/fixtures/store/schema5-log2, written by the build of 2026-12-02 with
// make.ts there): a schema-5 image and a format-2 change log. The oracle is hand-written here: byte
// offsets read by hand, the statements and rows as they were written. Every later version must keep
// opening these files with this result; never regenerate them to make this test pass.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeRecords, HEADER_BYTES } from '../../../src/core/store/changeLog';
import { Engine } from '../../../src/core/engine';

const FIXTURE = path.resolve(__dirname, '../../fixtures/store/schema5-log2');
const LOG_ID = 0xab86d3a5;

describe('store: committed fixtures (schema 5 image, format 2 log)', () => {
  const image = fs.readFileSync(path.join(FIXTURE, 'sdlc-lens.db'));
  const log = fs.readFileSync(path.join(FIXTURE, 'sdlc-lens.db.log'));

  it('the bytes are what the formats say (read by hand)', () => {
    assert.equal(image.toString('latin1', 0, 16), 'SQLite format 3\0');
    assert.equal(image.readUInt32BE(60), 5, 'user_version: schema 5');
    assert.equal(image.readUInt32BE(68), LOG_ID, 'application_id: the log that continues the image');
    assert.equal(log.toString('latin1', 0, 8), 'LENSLOG1');
    assert.equal(log.readUInt32LE(8), LOG_ID);
    // record 1 at byte 12: length 170, seq 4 (the image folded seq 3), then the payload
    assert.equal(log.readUInt32LE(12), 170);
    assert.equal(Number(log.readBigUInt64LE(20)), 4);
    assert.equal(log[28], 0x02, 'payload format 2 (binary)');
    assert.equal(log.readUInt32LE(29), 1, 'one distinct SQL text');
    assert.equal(log.readUInt32LE(33), 58, 'its byte length');
    assert.equal(log.toString('utf8', 37, 95), 'UPDATE projects SET name = ?, sdlc_path = ? WHERE slug = ?');
    assert.equal(log.readUInt32LE(95), 1, 'one statement');
    assert.deepEqual([log[99], log.readUInt32LE(100), log[104], log.readUInt32LE(105)], [0, 0, 1, 3], 'run, SQL 0, a list of 3 params');
    assert.deepEqual([log[109], log.readUInt32LE(110), log.toString('utf8', 114, 129)], [2, 15, 'Fixture Renamed'], 'a text param');
    // records 2 and 3 follow back to back; the file ends with the last one
    assert.equal(Number(log.readBigUInt64LE(198 + 8)), 5);
    assert.equal(Number(log.readBigUInt64LE(431 + 8)), 6);
    assert.equal(431 + 16 + log.readUInt32LE(431), log.length);
  });

  it('the log decodes to the statements that were written', () => {
    const d = decodeRecords(log.subarray(HEADER_BYTES), HEADER_BYTES);
    assert.deepEqual([d.validEnd, d.torn, d.problem], [1504, false, null]);
    assert.deepEqual(d.records.map((r) => [r.seq, r.end]), [[4, 198], [5, 431], [6, 1504]]);
    assert.deepEqual(d.records[0]!.statements, [
      { k: 'run', sql: 'UPDATE projects SET name = ?, sdlc_path = ? WHERE slug = ?', p: ['Fixture Renamed', '/tmp/lens-fixture-DrR5Wt/fixture/sdlc-studio', 'fixture-project'] },
    ]);
    const insert = d.records[2]!.statements[0]!;
    assert.match(insert.sql, /^INSERT INTO documents \(doc_type, doc_id, ref_id, title, status,/);
    const p = insert.p as unknown[];
    assert.deepEqual(p.slice(0, 5), ['story', 'US0002-second-story', 'US0002', 'US0002: Second story', 'Done']);
    const content = p.find((v) => v instanceof Uint8Array) as Uint8Array;
    assert.equal(Buffer.from(content).toString('utf8'), '\nFixture text: amber compass.\n', 'the content, bound as bytes');
    assert.ok(p.includes('c0ee1146d71f8b1899efc9f22b77548ad41bf016093cedacd97fa16030e0b7d7'), 'the file hash');
  });

  it('today’s engine opens them: the rows, the rename and the added document, searchable; the fixture untouched', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-fixture-'));
    for (const f of ['sdlc-lens.db', 'sdlc-lens.db.log']) fs.copyFileSync(path.join(FIXTURE, f), path.join(dataDir, f));
    const e = await Engine.open({ dataDir });
    try {
      assert.deepEqual(e.warnings, []);
      assert.deepEqual(
        e.listProjects().map((p) => [p.slug, p.name, p.sync_status, p.document_count, p.created_at, p.last_synced_at]),
        [['fixture-project', 'Fixture Renamed', 'synced', 2, '2026-12-02T06:43:00.211Z', '2026-12-02T06:43:01.503Z']],
      );
      assert.deepEqual(
        e.exportDocuments('fixture-project').map((d) => [d.file_path, d.title, d.status]),
        [['stories/US0001-first-story.md', 'US0001: First story', 'Draft'], ['stories/US0002-second-story.md', 'US0002: Second story', 'Done']],
      );
      const found = (q: string) => e.search({ q }).items.map((r) => r.doc_id);
      assert.deepEqual(found('quartz'), ['US0001-first-story'], 'indexed in the image');
      assert.deepEqual(found('amber'), ['US0002-second-story'], 'queued by the log, indexed at open');
    } finally {
      await e.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    assert.deepEqual(fs.readFileSync(path.join(FIXTURE, 'sdlc-lens.db')), image);
  });
});
