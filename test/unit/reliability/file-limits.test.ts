// Files a sync must not read whole (issue 11, gaps found while proving): a root config file that is
// a FIFO (used to hang the run for ever), and a document over the per-file size cap (an error for
// that file only, its stored row kept as for an unreadable file, sync.md §7).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Engine } from '../../../src/core/engine';
import { MAX_FILE_BYTES, tooLargeReason } from '../../../src/core/sync/rules';
import { dbRows, Lab, SAMPLE_DOCS } from './support';

const rowsOf = (lab: Lab) => dbRows(lab.dbPath, 'SELECT file_path, file_hash, synced_at, title, content FROM documents ORDER BY file_path');

/** Ends a read blocked on `fifo` (if any): opening the write end without blocking only succeeds when a reader waits. */
function unblock(fifo: string): void {
  try {
    fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
  } catch {
    // nobody was reading it
  }
}

describe('reliability: files a sync does not read whole', function () {
  this.timeout(60_000);
  let lab: Lab;
  let engine: Engine;
  let dir: string;
  const fifos: string[] = [];

  beforeEach(async () => {
    lab = new Lab();
    dir = lab.sample('harbor');
    engine = await lab.engine();
    await engine.registerProject({ name: 'harbor', sdlc_path: dir });
  });
  afterEach(async () => {
    for (const f of fifos.splice(0)) unblock(f);
    await lab.dispose();
  });

  it('.config.yaml and .version as FIFOs: the sync ends synced with every document, the config read as absent', async () => {
    for (const name of ['.config.yaml', '.version']) {
      const f = path.join(dir, name);
      fs.rmSync(f, { force: true });
      execFileSync('mkfifo', [f]);
      fifos.push(f);
    }
    const o = await (await engine.startSync('harbor')).done;
    assert.deepEqual([o.sync_status, o.added, o.errors], ['synced', SAMPLE_DOCS, 0]);
    const [p] = await dbRows(lab.dbPath, 'SELECT p.sync_status, p.schema_version, (SELECT count(*) FROM documents) AS document_count FROM projects p');
    assert.deepEqual([p.sync_status, p.schema_version, p.document_count], ['synced', null, SAMPLE_DOCS]);
  });

  it(`a document over ${MAX_FILE_BYTES / 1024 / 1024} MB is an error for that file only: its stored row kept, a new one not added`, async () => {
    const first = await (await engine.startSync('harbor')).done;
    assert.equal(first.added, SAMPLE_DOCS);
    const before = await rowsOf(lab);
    const grown = 'stories/US0002-room-detail-page.md';
    const huge = Buffer.alloc(MAX_FILE_BYTES + 1, 'a');
    huge.write('# US0099: Huge\n\n> **Status:** Draft\n\n');
    fs.appendFileSync(path.join(dir, grown), huge);
    fs.writeFileSync(path.join(dir, 'stories/US0099-huge.md'), huge);
    fs.appendFileSync(path.join(dir, 'stories/US0003-filter-by-capacity-and-equipment.md'), '\nA small edit.\n');

    const o = await (await engine.startSync('harbor')).done;
    assert.deepEqual([o.sync_status, o.errors, o.updated, o.added, o.deleted], ['error', 2, 1, 0, 0]);
    const size = (rel: string) => fs.statSync(path.join(dir, rel)).size;
    assert.ok(String(o.sync_error).includes(`${grown} could not be read (${tooLargeReason(size(grown))})`), String(o.sync_error));
    assert.ok(String(o.sync_error).includes(`stories/US0099-huge.md could not be read (${tooLargeReason(size('stories/US0099-huge.md'))})`));
    const after = await rowsOf(lab);
    assert.deepEqual(after.filter((r) => r.file_path !== 'stories/US0003-filter-by-capacity-and-equipment.md'), before.filter((r) => r.file_path !== 'stories/US0003-filter-by-capacity-and-equipment.md'), 'the grown file keeps its row byte for byte; nothing added');
    assert.match(String(after.find((r) => r.file_path === 'stories/US0003-filter-by-capacity-and-equipment.md')?.content), /A small edit\./, 'the other change went in');
  });
});
