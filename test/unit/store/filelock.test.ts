// The data folder's lock (store/filelock.ts) on its own: real lock files, real processes as owners
// (a live child, a child that exited), the owner's identity altered the ways a real lock goes stale.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { acquireLock, readOwner, releaseForThread, removeIfStill, type LockOwner } from '../../../src/core/store/filelock';
import { identityOf, selfIdentity } from '../../../src/core/store/processIdentity';

const SHORT = 400; // ms a call waits for a lock that must not be taken

describe('store: the data folder lock', () => {
  let dir: string;
  let file: string;
  const children: ReturnType<typeof spawn>[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-lock-'));
    file = path.join(dir, 'sdlc-lens.db.lock');
  });
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A live process that is not us (its identity read from /proc while it runs). */
  function liveOther(): LockOwner {
    const child = spawn('sleep', ['60'], { stdio: 'ignore' });
    children.push(child);
    return { ...identityOf(child.pid!), at: Date.now(), thread: 0, token: 'other' };
  }

  /** The identity of a process that has exited (its pid is free). */
  function deadOwner(): LockOwner {
    const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    return { pid: Number(r.stdout), start: '1', boot: selfIdentity().boot, at: Date.now(), thread: 0, token: 'dead' };
  }

  const writeLock = (owner: LockOwner | string): void => fs.writeFileSync(file, typeof owner === 'string' ? owner : JSON.stringify(owner));

  async function refused(): Promise<void> {
    await assert.rejects(acquireLock(file, SHORT), /locked by another process/);
  }

  it('names its holder (process, thread, token); release removes it', async () => {
    const release = await acquireLock(file);
    const owner = readOwner(file)!;
    assert.deepEqual([owner.pid, owner.start, owner.boot, owner.thread], [process.pid, selfIdentity().start, selfIdentity().boot, threadId]);
    assert.match(owner.token, /^[0-9a-f]{24}$/);
    release();
    assert.equal(fs.existsSync(file), false);
  });

  it('release leaves a lock that is no longer its own', async () => {
    const release = await acquireLock(file);
    const other = JSON.stringify(liveOther());
    writeLock(other); // as if taken over and retaken meanwhile
    release();
    assert.equal(fs.readFileSync(file, 'utf8'), other);
  });

  it('a live owner: waited for, never taken; the lock is left as it was', async () => {
    const body = JSON.stringify(liveOther());
    writeLock(body);
    await refused();
    assert.equal(fs.readFileSync(file, 'utf8'), body);
  });

  it('a dead pid: taken over at once', async () => {
    writeLock(deadOwner());
    const release = await acquireLock(file, SHORT);
    assert.equal(readOwner(file)!.pid, process.pid);
    release();
  });

  it('a reused pid (alive, but started at another time): taken over', async () => {
    const other = liveOther();
    writeLock({ ...other, start: String(Number(other.start) - 1000) });
    const release = await acquireLock(file, SHORT);
    assert.equal(readOwner(file)!.pid, process.pid);
    release();
  });

  it('a foreign boot id (written before a restart): taken over even though the pid is alive', async () => {
    writeLock({ ...liveOther(), boot: '00000000-0000-0000-0000-000000000000' });
    const release = await acquireLock(file, SHORT);
    assert.equal(readOwner(file)!.pid, process.pid);
    release();
  });

  it('an unreadable body: waited for while fresh, taken over once abandoned (30 s old)', async () => {
    writeLock('{"pid": not json');
    await refused();
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    const release = await acquireLock(file, SHORT);
    assert.equal(readOwner(file)!.pid, process.pid);
    release();
  });

  it('a steal folder left by a dead stealer (named, or unnamed and old) is broken; the stale lock is taken over', async () => {
    for (const holder of [JSON.stringify(deadOwner()), null]) {
      writeLock(deadOwner());
      fs.mkdirSync(`${file}.steal`);
      if (holder) fs.writeFileSync(`${file}.steal/holder`, holder);
      else {
        const old = new Date(Date.now() - 10_000);
        fs.utimesSync(`${file}.steal`, old, old);
      }
      const release = await acquireLock(file, 2_000);
      assert.equal(readOwner(file)!.pid, process.pid);
      assert.equal(fs.existsSync(`${file}.steal`), false);
      release();
    }
  });

  it('a paused stealer (alive, holding the steal folder) keeps others from stealing; resumed, it cannot delete a fresh lock', async () => {
    const stale = JSON.stringify(deadOwner());
    writeLock(stale);
    fs.mkdirSync(`${file}.steal`);
    fs.writeFileSync(`${file}.steal/holder`, JSON.stringify(liveOther()));
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(`${file}.steal`, old, old); // age does not matter while its holder lives
    await refused();
    assert.equal(fs.readFileSync(file, 'utf8'), stale, 'nobody removed the lock while the stealer is paused');
    // meanwhile the stale lock was replaced by a fresh one; the stealer resumes with what it judged
    const fresh = JSON.stringify({ ...liveOther(), token: 'fresh' });
    writeLock(fresh);
    const ino = fs.statSync(file).ino;
    assert.equal(removeIfStill(file, stale), false);
    assert.equal(fs.readFileSync(file, 'utf8'), fresh);
    assert.equal(fs.statSync(file).ino, ino, 'the very same lock file is back');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['sdlc-lens.db.lock', 'sdlc-lens.db.lock.steal']);
  });

  it('releaseForThread removes a lock (and a steal folder) of an ended thread of this process, nothing else', async () => {
    const mine = { ...selfIdentity(), at: Date.now(), token: 't' };
    writeLock({ ...mine, thread: 98 });
    assert.equal(releaseForThread(file, 99), false);
    assert.equal(fs.existsSync(file), true);
    writeLock({ ...liveOther(), thread: 99 });
    assert.equal(releaseForThread(file, 99), false, 'another process’s thread 99');
    writeLock({ ...mine, thread: 99 });
    fs.mkdirSync(`${file}.steal`);
    fs.writeFileSync(`${file}.steal/holder`, JSON.stringify({ ...mine, thread: 99 }));
    assert.equal(releaseForThread(file, 99), true);
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});
