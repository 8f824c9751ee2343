// The health check's inputs (one project's HealthDoc rows) memoised per process, per store. An entry
// is valid only while the store has applied no change at all since it was read: the key is the
// store's generation (log id + seq of the last change applied to memory, which every write of this
// process and every change caught up from another process moves on). So a check after any document
// change reads the rows again, and a repeated check reuses the same frozen list, whose rule context
// (context.ts) is kept too. Results are identical to reading afresh; only the reading is skipped.
import type { Store } from '../store/database';
import { readHealthDocs } from './queries';
import type { HealthDoc } from './types';

/** Projects remembered per store (the most recently checked ones). */
export const KEPT_PROJECTS = 4;

interface Entry {
  logId: number;
  seq: number;
  docs: readonly HealthDoc[];
}

let byStore = new WeakMap<Store, Map<number, Entry>>();

/** Forgets every memoised list, so the next check reads its rows again (the benchmark's "first check after a change"). */
export function forgetHealthInputs(): void {
  byStore = new WeakMap();
}

/** The project's documents as a frozen list of frozen HealthDocs, read again after any store change. */
export function healthDocsOf(store: Store, projectId: number): readonly HealthDoc[] {
  const { logId, seq } = store.generation;
  let entries = byStore.get(store);
  if (!entries) {
    entries = new Map();
    byStore.set(store, entries);
  }
  const hit = entries.get(projectId);
  entries.delete(projectId); // re-inserted below: Map order = least recently used first
  if (hit && hit.logId === logId && hit.seq === seq) {
    entries.set(projectId, hit);
    return hit.docs;
  }
  const docs = Object.freeze(readHealthDocs(store, projectId).map((d) => Object.freeze(d)));
  entries.set(projectId, { logId, seq, docs });
  for (const oldest of entries.keys()) {
    if (entries.size <= KEPT_PROJECTS) break;
    entries.delete(oldest);
  }
  return docs;
}
