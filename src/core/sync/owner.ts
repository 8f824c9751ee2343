// Who runs a sync: stored with the `syncing` status so any process can tell a live run from a
// stale one left by a crash (sync.md §3). The in-memory lock stays authoritative within a process.
import * as os from 'node:os';
import { randomUUID } from 'node:crypto';
import { processAlive } from '../store/filelock';

const liveInstances = new Set<string>();

export interface SyncOwner {
  token: string;
  dispose(): void;
}

export function newOwner(): SyncOwner {
  const instance = randomUUID();
  liveInstances.add(instance);
  return { token: `${os.hostname()}|${process.pid}|${instance}`, dispose: () => liveInstances.delete(instance) };
}

/**
 * True when the stored owner of a `syncing` project cannot still be running it. `self` is the
 * asking engine's own token: it knows from its in-memory lock that it is not running the project.
 */
export function isStaleOwner(stored: string | null, self: string): boolean {
  if (!stored || stored === self) return true;
  const [host, pidText, instance] = stored.split('|');
  const pid = Number(pidText);
  if (host !== os.hostname() || !Number.isInteger(pid)) return true; // a data folder is per machine
  if (pid === process.pid) return !liveInstances.has(instance);
  return !processAlive(pid);
}
