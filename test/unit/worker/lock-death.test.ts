// A worker thread that dies while it holds the data folder's lock: its process (the host) lives on,
// so no other process may take the lock over; the host releases it when the thread exits
// (worker/client.ts → store/filelock.ts releaseForThread). Real worker threads, a real data folder.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { readOwner } from '../../../src/core/store/filelock';
import { EngineClient } from '../../../src/core/worker/client';

const ENTRY = path.resolve(__dirname, '../../../src/core/worker/engineWorker.ts');
const FILELOCK = path.resolve(__dirname, '../../../src/core/store/filelock.ts');

// The real engine worker, plus a test hook: on {t: 'test-hold'} it takes the data folder's lock
// through the store's own lock code and keeps it (as a write in progress would).
const SCRIPT = `
require('tsx/cjs');
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const { acquireLock } = require(${JSON.stringify(FILELOCK)});
parentPort.on('message', (m) => {
  if (m && m.t === 'test-hold') void acquireLock(path.join(workerData.dataDir, 'sdlc-lens.db.lock'));
});
require(${JSON.stringify(ENTRY)});
`;

describe('engine worker: the lock survives no worker', function () {
  this.timeout(60_000);
  let dataDir: string;
  let client: EngineClient;
  const workers: Worker[] = [];
  const logs: string[] = [];

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-lockdeath-'));
    client = new EngineClient({
      dataDir,
      logger: { info: () => undefined, warn: (m) => logs.push(m), error: (m) => logs.push(m) },
      createWorker: (init) => {
        const w = new Worker(SCRIPT, { eval: true, workerData: init });
        workers.push(w);
        return w;
      },
    });
  });
  afterEach(async () => {
    await client.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a worker killed while it holds the lock: the next call succeeds within 2 s', async () => {
    // what starting a worker costs here (tsx compiles the engine in each new thread): the restart
    // after the death pays it again, so the lock's part is what the call takes beyond it
    let t = Date.now();
    await client.info();
    const startup = Date.now() - t;
    t = Date.now();
    await client.engine.registerProject({ name: 'Before', sdlc_path: dataDir });
    const call = Date.now() - t;
    const worker = workers[0]!;
    const lock = path.join(dataDir, 'sdlc-lens.db.lock');
    worker.postMessage({ t: 'test-hold' });
    const deadline = Date.now() + 10_000;
    while (readOwner(lock)?.thread !== worker.threadId) {
      assert.ok(Date.now() < deadline, 'the worker took the lock');
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.equal(readOwner(lock)!.pid, process.pid, 'the lock names a live process: only the host can tell it is abandoned');
    await worker.terminate(); // as if the thread crashed
    const started = Date.now();
    const p = await client.engine.registerProject({ name: 'After', sdlc_path: dataDir });
    const took = Date.now() - started;
    assert.equal(p.slug, 'after');
    assert.ok(took - startup - call < 2_000, `the next call took ${took} ms (a worker start ${startup} ms, a call ${call} ms)`);
    if (process.env.LENS_FAULT_FIGURES) console.log(`      next call after the death: ${took} ms (worker start ${startup} ms + call ${call} ms here)`);
    assert.deepEqual((await client.engine.listProjects()).map((x) => x.slug), ['before', 'after']);
    assert.ok(logs.some((l) => /released the data folder lock held by the engine worker that ended/.test(l)));
    assert.equal(workers.length, 2, 'a new worker served the call');
  });
});
