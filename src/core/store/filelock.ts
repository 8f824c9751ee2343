// A cross-process lock on the data folder: an exclusively-created lock file naming its owner.
// Every VS Code window runs its own extension host and the CLI may run beside them; all of them
// serialise their database writes through this lock, so no process overwrites another's update.
import * as fs from 'node:fs';
import { isLive, processAlive, selfIdentity, type ProcessIdentity } from './processIdentity';

export { processAlive };

export interface LockOwner extends ProcessIdentity {
  at: number; // ms epoch when taken
}

/** A lock older than this whose owner cannot be checked is considered abandoned. Writes take milliseconds. */
const ABANDONED_MS = 30_000;

function readOwner(file: string): LockOwner | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number') {
      return { pid: parsed.pid, start: String(parsed.start ?? ''), boot: String(parsed.boot ?? ''), at: Number(parsed.at) };
    }
  } catch {
    // unreadable or half-written: judged by age below
  }
  return null;
}

function isStale(file: string): boolean {
  const owner = readOwner(file);
  if (owner) return !isLive(owner);
  try {
    return Date.now() - fs.statSync(file).mtimeMs > ABANDONED_MS;
  } catch {
    // Vanished meanwhile: released, not stale. (Calling it stale let a stealer remove the fresh
    // lock another process had just created in its place, so two processes wrote at once.)
    return false;
  }
}

/**
 * Removes an abandoned lock file. Two processes may judge the same lock abandoned at once; only
 * the one holding the short-lived `.steal` folder may remove it, and it checks again first, so it
 * never removes a lock that another process has meanwhile taken afresh.
 */
function removeStale(file: string): boolean {
  const steal = file + '.steal';
  try {
    fs.mkdirSync(steal);
  } catch {
    try {
      // a steal folder left by a process that died between mkdir and rmdir
      if (Date.now() - fs.statSync(steal).mtimeMs > 5_000) fs.rmdirSync(steal);
    } catch {
      // gone meanwhile
    }
    return false;
  }
  try {
    if (!isStale(file)) return false;
    fs.rmSync(file, { force: true });
    return true;
  } finally {
    fs.rmdirSync(steal);
  }
}

/**
 * Takes the lock, waiting (with backoff, never busy-spinning) while another live process holds it.
 * Returns the release function.
 */
export async function acquireLock(file: string, timeoutMs = 60_000): Promise<() => void> {
  const started = Date.now();
  let delay = 2;
  const me: LockOwner = { ...selfIdentity(), at: Date.now() };
  for (;;) {
    try {
      const fd = fs.openSync(file, 'wx');
      try {
        fs.writeSync(fd, JSON.stringify(me));
      } finally {
        fs.closeSync(fd);
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          fs.unlinkSync(file);
        } catch {
          // already gone: nothing to release
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (isStale(file) && removeStale(file)) continue;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`the data folder is locked by another process (${file})`);
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 50);
  }
}
