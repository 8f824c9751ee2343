// Who runs a sync: stored with the `syncing` status so any process can tell a live run from a
// stale one left by a crash (sync.md §3). The in-memory lock stays authoritative within a process.
// Token: `p2|<boot id>|<pid>|<process start time>|<engine instance>` (processIdentity.ts), never the
// host name. Tokens of the older form `<host>|<pid>|<instance>` are still understood.
import { randomUUID } from 'node:crypto';
import { isLive, processAlive, selfIdentity, type ProcessIdentity } from '../store/processIdentity';

const liveInstances = new Set<string>();

export interface SyncOwner {
  token: string;
  dispose(): void;
}

export function ownerToken(id: ProcessIdentity, instance: string): string {
  return `p2|${id.boot}|${id.pid}|${id.start}|${instance}`;
}

export function newOwner(): SyncOwner {
  const instance = randomUUID();
  liveInstances.add(instance);
  return { token: ownerToken(selfIdentity(), instance), dispose: () => liveInstances.delete(instance) };
}

/**
 * True when the stored owner of a `syncing` project cannot still be running it. `self` is the
 * asking engine's own token: it knows from its in-memory lock that it is not running the project.
 */
export function isStaleOwner(stored: string | null, self: string): boolean {
  if (!stored || stored === self) return true;
  const parts = stored.split('|');
  if (parts[0] === 'p2' && parts.length === 5) {
    const id: ProcessIdentity = { boot: parts[1], pid: Number(parts[2]), start: parts[3] };
    if (id.pid === process.pid && id.start === selfIdentity().start && id.boot === selfIdentity().boot) {
      return !liveInstances.has(parts[4]);
    }
    return !isLive(id);
  }
  if (parts.length !== 3) return true; // unreadable: no live run can be recognised by it
  const pid = Number(parts[1]);
  if (!Number.isInteger(pid)) return true;
  if (pid === process.pid) return !liveInstances.has(parts[2]);
  return !processAlive(pid);
}
