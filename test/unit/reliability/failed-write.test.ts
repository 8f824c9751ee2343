// Failed writes (issue 11, "Prove"): a real write failure for a non-root user. A sync runs as uid
// nobody in a child process and is held, on a real condition, after its claim is stored and before
// its result is written; the data folder is then made read-only, so the result cannot be written
// (the lock file cannot be created) and neither can the failure. Read back from fresh processes
// once the folder is writable again: the row is `error` (never `syncing`), no document was lost,
// and the next sync works.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { INTERRUPTED_MESSAGE } from '../../../src/core/sync/messages';
import type { SyncOutcome } from '../../../src/core/types';
import { dbRows, Lab, NOBODY, SAMPLE_DOCS } from './support';

describe('reliability: the final write fails (read-only data folder, uid nobody)', function () {
  this.timeout(60_000);
  let lab: Lab;
  beforeEach(() => {
    lab = new Lab();
  });
  afterEach(async () => lab.dispose());

  it('the stored row ends error, never syncing; nothing lost; the next sync works', async () => {
    const dir = lab.sample('harbor');
    const setup = await lab.engine();
    await setup.registerProject({ name: 'harbor', sdlc_path: dir });
    assert.equal((await (await setup.startSync('harbor')).done).sync_status, 'synced');
    await setup.close();
    const before = await dbRows(lab.dbPath, 'SELECT file_path, file_hash FROM documents ORDER BY file_path');
    fs.appendFileSync(path.join(dir, 'prd.md'), '\nedited while the data folder goes read-only\n');
    fs.chmodSync(lab.root, 0o755);
    execFileSync('chown', ['-R', `${NOBODY.uid}:${NOBODY.gid}`, lab.dataDir]);
    const gate = path.join(lab.root, 'gate');
    execFileSync('mkfifo', ['-m', '0666', gate]);

    const child = spawn(process.execPath, ['--import', require.resolve('tsx'), path.join(__dirname, 'failed-write-child.ts'), lab.dataDir, 'harbor', gate], { ...NOBODY, cwd: lab.root });
    let out = '';
    let err = '';
    let onHeld!: () => void;
    const held = new Promise<void>((r) => (onHeld = r));
    child.stdout.on('data', (c) => {
      out += c;
      if (out.includes('@held\n')) onHeld();
    });
    child.stderr.on('data', (c) => (err += c));
    const exited = new Promise<number | null>((r) => child.on('close', r));
    await Promise.race([held, exited.then((code) => Promise.reject(new Error(`child exited ${code} before the hold: ${err}`)))]);

    // the claim is stored; the result is not: make the data folder read-only for its owner, then let the run go on
    assert.equal((await dbRows(lab.dbPath, 'SELECT sync_status FROM projects'))[0].sync_status, 'syncing');
    fs.chmodSync(lab.dataDir, 0o555);
    fs.writeFileSync(gate, 'go');
    const code = await exited;
    fs.chmodSync(lab.dataDir, 0o755);
    assert.equal(code, 0, err);
    const outcome = JSON.parse(out.split('\n')[1]) as SyncOutcome;
    assert.equal(outcome.sync_status, 'error', 'the run reports its failure');
    assert.match(String(outcome.sync_error), /EACCES|permission/i);
    assert.deepEqual(await dbRows(lab.dbPath, 'SELECT file_path, file_hash FROM documents ORDER BY file_path'), before, 'nothing was written');

    // fresh processes, the folder writable again: the row reads error, never syncing; the next sync works
    const fresh = await lab.engine();
    const p = fresh.getProject('harbor');
    assert.deepEqual([p.sync_status, p.sync_error, p.document_count], ['error', INTERRUPTED_MESSAGE, SAMPLE_DOCS]);
    assert.equal((await dbRows(lab.dbPath, 'SELECT sync_status FROM projects'))[0].sync_status, 'error', 'stored as error');
    const next = await (await fresh.startSync('harbor')).done;
    assert.deepEqual([next.sync_status, next.updated], ['synced', 1]);
    assert.equal((await dbRows(lab.dbPath, 'SELECT sync_status FROM projects'))[0].sync_status, 'synced');
  });
});
