// Who a process is, robustly enough to tell a live owner from a dead one: pid + the process's start
// time (so a reused pid is not mistaken for the owner) + the boot id (so nothing survives a reboot).
// Not the host name: macOS changes it with the network. Linux reads /proc; elsewhere the start time
// and boot id are unknown and only "is the pid alive" is checked.
import * as fs from 'node:fs';

export interface ProcessIdentity {
  pid: number;
  /** start time in clock ticks since boot (/proc/<pid>/stat field 22); '' when unknown */
  start: string;
  /** /proc/sys/kernel/random/boot_id; '' when unknown */
  boot: string;
}

function readBootId(): string {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

const BOOT_ID = readBootId();

/** Field 22 of /proc/<pid>/stat (after the parenthesised command name, which may hold spaces). */
export function processStartTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null; // fields[0] is field 3 (state)
  } catch {
    return null;
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let self: ProcessIdentity | undefined;

export function selfIdentity(): ProcessIdentity {
  return (self ??= { pid: process.pid, start: processStartTime(process.pid) ?? '', boot: BOOT_ID });
}

/** The identity of a running process (for tests that need another live owner). */
export function identityOf(pid: number): ProcessIdentity {
  return { pid, start: processStartTime(pid) ?? '', boot: BOOT_ID };
}

/** True when the process `id` describes can still be running. */
export function isLive(id: ProcessIdentity): boolean {
  if (!Number.isInteger(id.pid) || id.pid <= 0) return false;
  if (id.boot && BOOT_ID && id.boot !== BOOT_ID) return false; // the machine restarted since
  if (!processAlive(id.pid)) return false;
  if (id.start) {
    const now = processStartTime(id.pid);
    if (now !== null && now !== id.start) return false; // the pid now belongs to another process
  }
  return true;
}
