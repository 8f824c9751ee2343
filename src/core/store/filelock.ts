// A cross-process lock on the data folder: an exclusively-created lock file naming its owner.
// Every VS Code window runs its own extension host and the CLI may run beside them; all of them
// serialise their database writes through this lock, so no process overwrites another's update.
//
// Ownership, and why no lock is ever removed by someone it does not belong to:
// - The file names the owning process (pid, start time, boot id), the thread (an engine runs in a
//   worker thread of a process that outlives it) and a random token for this one acquisition.
// - `release` removes the file only while it still carries the holder's token.
// - A dead owner's lock is taken over by whoever holds the `.steal` folder, which names its own
//   holder: a stealer that is paused (not dead) keeps it, so no second stealer can act meanwhile. The
//   stealer moves the lock file aside by rename (atomic) and removes it only if what it moved is the
//   very lock it judged dead; anything else is put back.
// - A worker thread that dies holding the lock cannot release it, and its process is alive, so
//   nobody else may judge it dead: the host releases it when the thread exits (`releaseForThread`,
//   called by worker/client.ts).
import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import { isLive, processAlive, selfIdentity, type ProcessIdentity } from './processIdentity';

export { processAlive };

export interface LockOwner extends ProcessIdentity {
  at: number; // ms epoch when taken
  /** worker_threads threadId of the holder (0: the main thread) */
  thread: number;
  /** random, per acquisition: what `release` and a stealer compare */
  token: string;
}

/** A lock older than this whose owner cannot be checked is considered abandoned. Writes take milliseconds. */
const ABANDONED_MS = 30_000;
/** A steal folder without a readable holder older than this was left by a stealer that died at once. */
const STEAL_ABANDONED_MS = 5_000;

function parseOwner(text: string): LockOwner | null {
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number') {
      return {
        pid: parsed.pid,
        start: String(parsed.start ?? ''),
        boot: String(parsed.boot ?? ''),
        at: Number(parsed.at),
        thread: Number(parsed.thread ?? 0),
        token: String(parsed.token ?? ''),
      };
    }
  } catch {
    // unreadable or half-written: judged by age
  }
  return null;
}

/** The lock file's text, or null when it is gone. */
function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The owner named in a lock file, or null when it is missing or unreadable. */
export function readOwner(file: string): LockOwner | null {
  const text = readText(file);
  return text === null ? null : parseOwner(text);
}

/**
 * The text of the lock if it is stale (its owner is dead, or it is unreadable and old), else null.
 * A lock that vanishes while being judged is released, not stale. (Calling it stale let a stealer
 * remove the fresh lock another process had just created in its place, so two processes wrote at once.)
 */
function staleText(file: string): string | null {
  const text = readText(file);
  if (text === null) return null;
  const owner = parseOwner(text);
  if (owner) return isLive(owner) ? null : text;
  try {
    return Date.now() - fs.statSync(file).mtimeMs > ABANDONED_MS ? text : null;
  } catch {
    return null;
  }
}

/**
 * Removes the lock file only if it still holds exactly `expected`: it is renamed aside (atomic, so
 * nobody can recreate it under us between the check and the removal), checked, and put back by
 * hard link when it turns out to be another lock (a link never replaces a file that exists).
 */
export function removeIfStill(file: string, expected: string): boolean {
  const aside = `${file}.gone-${randomBytes(6).toString('hex')}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return false; // gone meanwhile
  }
  if (readText(aside) === expected) {
    fs.rmSync(aside, { force: true });
    return true;
  }
  try {
    fs.linkSync(aside, file);
  } catch {
    // another lock was created in that instant: it stands; the one moved aside was taken over
  }
  fs.rmSync(aside, { force: true });
  return false;
}

/** Takes the steal folder (naming its holder); breaks one whose holder is dead. */
function takeStealFolder(steal: string): boolean {
  try {
    fs.mkdirSync(steal);
  } catch {
    const holder = readOwner(`${steal}/holder`);
    let abandoned = false;
    if (holder) abandoned = !isLive(holder);
    else {
      try {
        abandoned = Date.now() - fs.statSync(steal).mtimeMs > STEAL_ABANDONED_MS;
      } catch {
        // gone meanwhile
      }
    }
    if (abandoned) {
      // moved aside first, so two breakers never remove a folder a third has just taken
      const aside = `${steal}.gone-${randomBytes(6).toString('hex')}`;
      try {
        fs.renameSync(steal, aside);
        fs.rmSync(aside, { recursive: true, force: true });
      } catch {
        // someone else broke it
      }
    }
    return false;
  }
  try {
    fs.writeFileSync(`${steal}/holder`, JSON.stringify({ ...selfIdentity(), at: Date.now(), thread: threadId, token: '' }));
  } catch {
    // judged by age, like an empty lock
  }
  return true;
}

/**
 * Removes an abandoned lock file. Two processes may judge the same lock abandoned at once; only
 * the one holding the short-lived `.steal` folder may remove it, and it checks again first, so it
 * never removes a lock that another process has meanwhile taken afresh.
 */
function removeStale(file: string): boolean {
  const steal = file + '.steal';
  if (!takeStealFolder(steal)) return false;
  try {
    const stale = staleText(file);
    return stale !== null && removeIfStill(file, stale);
  } finally {
    fs.rmSync(steal, { recursive: true, force: true });
  }
}

/**
 * Takes the lock, waiting (with backoff, never busy-spinning) while another live process holds it.
 * Returns the release function, which removes the lock only while it is still ours.
 */
export async function acquireLock(file: string, timeoutMs = 60_000): Promise<() => void> {
  const started = Date.now();
  let delay = 2;
  for (;;) {
    const me: LockOwner = { ...selfIdentity(), at: Date.now(), thread: threadId, token: randomBytes(12).toString('hex') };
    const body = JSON.stringify(me);
    try {
      const fd = fs.openSync(file, 'wx');
      try {
        fs.writeSync(fd, body);
      } finally {
        fs.closeSync(fd);
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        // Only while it is still ours. Nobody else removes a lock whose holder is alive, so between
        // this check and the unlink it cannot have become another's.
        if (readText(file) !== body) return;
        try {
          fs.unlinkSync(file);
        } catch {
          // already gone: nothing to release
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (staleText(file) !== null && removeStale(file)) continue;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`the data folder is locked by another process (${file})`);
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 50);
  }
}

/**
 * Releases a lock left by a worker thread of this process that has exited (it can no longer do it
 * itself, and its process being alive would keep everyone else waiting). True when one was removed.
 */
export function releaseForThread(file: string, deadThread: number): boolean {
  const ours = (o: LockOwner | null): boolean => !!o && o.thread === deadThread && o.pid === process.pid && o.start === selfIdentity().start;
  const steal = `${file}.steal`;
  const stealText = readText(`${steal}/holder`);
  if (stealText !== null && ours(parseOwner(stealText))) fs.rmSync(steal, { recursive: true, force: true });
  const text = readText(file);
  return text !== null && ours(parseOwner(text)) && removeIfStill(file, text);
}
