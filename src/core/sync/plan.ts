// Steps 6–7 of a run (sync.md §4.1, §7): decide per manifest entry what to write, parse what changed.
import { parseDocument, type ParsedDocument, type StatusVocab } from '../parse';
import type { SyncCounts } from '../types';
import { statKey, type Collected, type FileStat } from './collect';
import type { StoredRow } from './stored';

export interface Write {
  path: string;
  hash: string;
  stat: FileStat | null;
  doc: ParsedDocument;
}

export interface Plan {
  inserts: Write[];
  updates: (Write & { id: number })[];
  deletes: number[];
  /** skipped rows whose file was touched but is byte-identical: only the stored stat changes */
  statUpdates: { id: number; stat: FileStat }[];
  counts: SyncCounts;
  fileErrors: { path: string; reason: string }[];
}

/** The writes of one transaction of a run's apply (service.ts). */
export type PlanBatch = Pick<Plan, 'inserts' | 'updates' | 'deletes' | 'statUpdates'>;

/**
 * What one apply transaction may write, in bytes of document text (a row without text counts
 * ROW_COST): SQLite inserts ~30 MiB/s of text with its indexes and triggers on this machine, so a
 * batch holds the engine's thread for a few tens of milliseconds; the record it logs is ~its size.
 */
export const APPLY_BATCH_BYTES = 512 * 1024;
const ROW_COST = 1024;
/** A delete also takes the row's words out of the search index: about an average document's text. */
const DELETE_COST = 4096;

/** Splits a plan into batches of about APPLY_BATCH_BYTES each, in the plan's order; at least one (maybe empty). */
export function applyBatches(plan: Plan): PlanBatch[] {
  const out: PlanBatch[] = [];
  let cur: PlanBatch = { inserts: [], updates: [], deletes: [], statUpdates: [] };
  let bytes = 0;
  const add = (cost: number, put: (b: PlanBatch) => void): void => {
    if (bytes > 0 && bytes + cost > APPLY_BATCH_BYTES) {
      out.push(cur);
      cur = { inserts: [], updates: [], deletes: [], statUpdates: [] };
      bytes = 0;
    }
    put(cur);
    bytes += cost;
  };
  const textCost = (w: Write) => ROW_COST + w.doc.content.length;
  for (const w of plan.inserts) add(textCost(w), (b) => b.inserts.push(w));
  for (const w of plan.updates) add(textCost(w), (b) => b.updates.push(w));
  for (const id of plan.deletes) add(DELETE_COST, (b) => b.deletes.push(id));
  for (const u of plan.statUpdates) add(ROW_COST / 4, (b) => b.statUpdates.push(u));
  out.push(cur);
  return out;
}

const EMPTY = new Uint8Array(0);
const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

export async function planRun(
  collected: Collected,
  stored: Map<string, StoredRow>,
  /** stored hash of each current row whose file was read (storedHashes) */
  hashes: Map<number, string>,
  vocab: StatusVocab | null,
  signal?: AbortSignal,
): Promise<Plan> {
  const plan: Plan = {
    inserts: [],
    updates: [],
    deletes: [],
    statUpdates: [],
    counts: { added: 0, updated: 0, skipped: 0, deleted: 0, errors: 0 },
    fileErrors: [],
  };
  let parsedSinceYield = 0;
  for (const [path, entry] of collected.manifest) {
    const row = stored.get(path);
    if (entry.kind === 'unreadable') {
      plan.counts.errors++;
      plan.fileErrors.push({ path, reason: `could not be read (${entry.reason})` });
      continue;
    }
    if (entry.kind === 'unchanged') {
      // the stat matched a row whose derivation is current (the caller only offers those): not read
      plan.counts.skipped++;
      continue;
    }
    if (row && row.current && hashes.get(row.id) === entry.hash) {
      plan.counts.skipped++; // touched but identical: skipped, not updated (sync.md §6)
      if (entry.stat && statKey(entry.stat) !== row.statKey) plan.statUpdates.push({ id: row.id, stat: entry.stat });
      continue;
    }
    const parsed = parseDocument(path, entry.bytes, vocab);
    // the parsed document holds the text now: a cold sync need not keep every file's bytes as well
    entry.bytes = EMPTY;
    if (!parsed.ok) {
      plan.counts.errors++;
      plan.fileErrors.push({ path, reason: 'is not valid UTF-8' });
      continue;
    }
    if (row) {
      plan.updates.push({ id: row.id, path, hash: entry.hash, stat: entry.stat, doc: parsed.doc });
      plan.counts.updated++;
    } else {
      plan.inserts.push({ path, hash: entry.hash, stat: entry.stat, doc: parsed.doc });
      plan.counts.added++;
    }
    if (++parsedSinceYield >= 200) {
      parsedSinceYield = 0;
      signal?.throwIfAborted();
      await yieldToLoop();
    }
  }
  // A folder that could not be listed keeps every stored row beneath it (one error per folder).
  for (const u of collected.unlistable) {
    plan.counts.errors++;
    plan.fileErrors.push({ path: u.path || '.', reason: `folder could not be listed (${u.reason})` });
  }
  const keptPrefixes = collected.unlistable.map((u) => (u.path ? u.path + '/' : ''));
  for (const [path, row] of stored) {
    if (collected.manifest.has(path)) continue;
    if (keptPrefixes.some((p) => path.startsWith(p))) continue;
    plan.deletes.push(row.id);
    plan.counts.deleted++;
  }
  return plan;
}
