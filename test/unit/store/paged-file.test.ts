// The database file on disk (store/pagedFile.ts): an image as the read-only base, the blocks this
// process wrote in work files, a frozen state written out as the next image while writes go on.
// Checked against a plain byte array doing the same operations (seeded, thousands of steps, real
// files), and through the store: SQLite on it, python3's sqlite3 reading what a fold wrote.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BLOCK, PagedFile } from '../../../src/core/store/pagedFile';
import { Store } from '../../../src/core/store/database';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { hasPagedFiles, isPaged } from '../../../src/core/store/sqljsPaged';
import { pythonRows } from '../engine/helpers';
import { makeRng } from '../reliability/rng';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

/** The bytes a plain array holds after the same operations. */
class Model {
  bytes = new Uint8Array(0);
  write(data: Uint8Array, position: number): void {
    const end = position + data.length;
    if (end > this.bytes.length) {
      const grown = new Uint8Array(end);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(data, position);
  }
  truncate(size: number): void {
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, Math.min(size, this.bytes.length)));
    this.bytes = next;
  }
}

function readWhole(file: PagedFile): Uint8Array {
  const out = new Uint8Array(file.size);
  assert.equal(file.read(out, 0, out.length + 10, 0), file.size);
  return out;
}

function viewBytes(view: { length: number; chunks(chunk?: number): Iterable<Uint8Array> }, chunk: number): Uint8Array {
  const out = new Uint8Array(view.length);
  let at = 0;
  for (const piece of view.chunks(chunk)) {
    out.set(piece, at);
    at += piece.length;
  }
  assert.equal(at, view.length);
  return out;
}

const workFiles = (dir: string): string[] => fs.readdirSync(dir).filter((f) => f.includes('.work-'));

describe('store: the database file on disk (pagedFile.ts)', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-paged-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const seed of [1, 2, 3]) {
    it(`reads back exactly what a byte array holds after the same 3,000 writes, cuts, freezes and rebases (seed ${seed})`, () => {
      const { next: random, int } = makeRng(seed);
      const model = new Model();
      // start from an image on disk, as the store does
      const start = new Uint8Array(5 * BLOCK + 123).map(() => int(256));
      const image = path.join(tmp, 'image.db');
      fs.writeFileSync(image, start);
      model.write(start, 0);
      const fd = fs.openSync(image, 'r');
      const file = new PagedFile({ fd, size: start.length }, path.join(tmp, 'db'));
      let frozen: { view: ReturnType<PagedFile['freeze']>; expect: Uint8Array } | null = null;
      let images = 0;
      try {
        for (let step = 0; step < 3000; step++) {
          const op = random();
          if (op < 0.6) {
            // a write: whole blocks (SQLite's pages) or any bytes anywhere, past the end too
            const aligned = random() < 0.5;
            const position = aligned ? int(40) * BLOCK : int(40 * BLOCK);
            const length = aligned ? (1 + int(3)) * BLOCK : 1 + int(2 * BLOCK);
            const data = new Uint8Array(length).map(() => int(256));
            assert.equal(file.write(data, 0, length, position), length);
            model.write(data, position);
          } else if (op < 0.7) {
            const size = random() < 0.5 ? int(45) * BLOCK : int(45 * BLOCK);
            file.truncate(size);
            model.truncate(size);
          } else if (op < 0.75 && !frozen) {
            frozen = { view: file.freeze(), expect: Uint8Array.from(model.bytes) };
            assert.ok(frozen.view, 'a freeze');
            assert.equal(file.freeze(), null, 'one freeze at a time');
          } else if (op < 0.8 && frozen) {
            // the frozen state is what it was, whatever was written since
            const got = viewBytes(frozen.view!, 1 + int(6 * BLOCK));
            assert.deepEqual(Buffer.from(got), Buffer.from(frozen.expect), `step ${step}: the frozen view`);
            if (random() < 0.7) {
              const next = path.join(tmp, `image-${images++}.db`);
              fs.writeFileSync(next, got);
              assert.equal(file.rebase(next), true);
              assert.equal(file.shape.layers, 1, 'the frozen layers are dropped');
            } else file.release();
            frozen = null;
          } else {
            // a read anywhere, past the end too: what is there, no more
            const position = int(48 * BLOCK);
            const length = 1 + int(3 * BLOCK);
            const got = new Uint8Array(length);
            const n = file.read(got, 0, length, position);
            const want = model.bytes.subarray(Math.min(position, model.bytes.length), Math.min(position + length, model.bytes.length));
            assert.equal(n, want.length, `step ${step}: read length`);
            assert.deepEqual(Buffer.from(got.subarray(0, n)), Buffer.from(want), `step ${step}: read at ${position}`);
          }
          assert.equal(file.size, model.bytes.length, `step ${step}: size`);
        }
        assert.deepEqual(Buffer.from(readWhole(file)), Buffer.from(model.bytes));
        assert.ok(images > 0, 'some freezes ended in a rebase');
      } finally {
        file.close();
      }
    });
  }

  it('leaves no work file behind: each is unlinked once opened, and closing releases its descriptor', () => {
    const fds = () => fs.readdirSync('/proc/self/fd').length;
    const before = fds();
    const file = new PagedFile(null, path.join(tmp, 'db'));
    const data = new Uint8Array(BLOCK * 3).fill(7);
    file.write(data, 0, data.length, 0);
    file.freeze();
    file.write(data, 0, data.length, BLOCK);
    assert.deepEqual(workFiles(tmp), [], 'no work file in the folder');
    assert.equal(file.shape.layers, 2);
    assert.equal(fds(), before + 2, 'one descriptor per layer');
    file.close();
    assert.equal(fds(), before);
    assert.throws(() => file.write(data, 0, 1, 0), /closed/);
  });

  it('opening the store removes the work files a process that is gone left behind (a platform that cannot unlink an open file), never a live one\'s', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    const stale = path.join(tmp, `sdlc-lens.db.work-${gone}-abc-0`);
    const live = path.join(tmp, `sdlc-lens.db.work-${process.ppid}-abc-0`);
    fs.writeFileSync(stale, 'left by a crash');
    fs.writeFileSync(live, 'in use');
    const store = await Store.open(tmp, quiet);
    await store.close();
    assert.equal(fs.existsSync(stale), false, 'the gone process\'s work file is removed');
    assert.equal(fs.existsSync(live), true, 'a live process\'s work file stays');
  });

  it('the store keeps its database on disk: a sync-sized write, a fold off the thread, a reopen, and another reader agree', async () => {
    await loadSqlJs();
    assert.equal(hasPagedFiles(), true, 'the hooks loaded and passed their check');
    const store = await Store.open(tmp, quiet);
    try {
      assert.equal(isPaged(store.connection), true);
      await store.mutate((db) => {
        db.run(`INSERT INTO projects (slug, name, created_at) VALUES ('p', 'P', '2026-01-01')`);
        db.exec(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000)
          INSERT INTO documents (project_id, file_path, doc_type, doc_id, title, content, file_hash, parser_epoch, synced_at)
          SELECT 1, 'd' || i || '.md', 'story', 'US' || i, 'Story ' || i, hex(randomblob(900)), 'h', 1, 'now' FROM c`);
      });
      await store.checkpoint();
      store.applyInMemory((db) => db.run(`UPDATE projects SET name = 'only in memory'`));
      const file = path.join(tmp, 'sdlc-lens.db');
      assert.deepEqual(pythonRows(file, 'SELECT count(*), sum(length(content)) FROM documents'), [[3000, 3000 * 1800]]);
      assert.deepEqual(pythonRows(file, 'SELECT name FROM projects'), [['P']]);
      assert.deepEqual(pythonRows(file, 'PRAGMA integrity_check'), [['ok']]);
      assert.equal(store.get('SELECT name FROM projects')?.name, 'only in memory');
      assert.deepEqual(workFiles(tmp), []);
    } finally {
      await store.close();
    }
    const again = await Store.open(tmp, quiet);
    try {
      assert.equal(again.get('SELECT count(*) AS n FROM documents')?.n, 3000);
      assert.equal(again.get('SELECT count(*) AS n FROM documents WHERE length(content) = 1800')?.n, 3000);
    } finally {
      await again.close();
    }
  });
});
