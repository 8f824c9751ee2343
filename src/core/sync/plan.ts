// Steps 6–7 of a run (sync.md §4.1, §7): decide per manifest entry what to write, parse what changed.
// The plan keeps each changed file's bytes; they are parsed one apply batch at a time (parseBatch),
// so a cold sync never holds every document parsed at once (at 11.7k documents ~100 MB of strings
// and objects in the engine's heap, ~65 MB as the files' bytes). A new file is not even read before
// its batch (collect.ts `deferred`).
import type { StatusVocab } from '../parse';
import { parseForStore, type StoredDocument } from '../parse/document';
import type { SyncCounts } from '../types';
import { readDeferred, statKey, type Collected, type FileStat } from './collect';
import { NOT_UTF8_REASON, unreadableReason } from './messages';
import type { StoredRow } from './stored';
import { nextTurn } from '../nextTurn';

/**
 * A changed file, to be parsed with its batch: as read (`bytes`, `hash`), or still to be read then
 * (`later`: a file no row holds, collect.ts `deferred`; `hash` is empty until it is read).
 */
export interface Write {
  path: string;
  hash: string;
  stat: FileStat | null;
  bytes: Uint8Array;
  later?: { abs: string; ino: bigint; size: number };
}

/** A changed file parsed (parseBatch): what the apply writes. */
export interface ParsedWrite {
  path: string;
  hash: string;
  stat: FileStat | null;
  doc: StoredDocument;
  /** the document's text as UTF-8, what the apply binds (parse/document.ts parseForStore: mostly a view of the file's bytes) */
  contentBytes: Uint8Array;
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
/** A batch with its files parsed. */
export type ParsedBatch = Pick<Plan, 'deletes' | 'statUpdates'> & { inserts: ParsedWrite[]; updates: (ParsedWrite & { id: number })[] };

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
  const textCost = (w: Write) => ROW_COST + (w.later ? w.later.size : w.bytes.length);
  for (const w of plan.inserts) add(textCost(w), (b) => b.inserts.push(w));
  for (const w of plan.updates) add(textCost(w), (b) => b.updates.push(w));
  for (const id of plan.deletes) add(DELETE_COST, (b) => b.deletes.push(id));
  for (const u of plan.statUpdates) add(ROW_COST / 4, (b) => b.statUpdates.push(u));
  out.push(cur);
  return out;
}

const EMPTY = new Uint8Array(0);
/**
 * Manifest entries the plan weighs between two turns of the event loop, every entry counted: a cold
 * sync's entries (new files, read later) once went uncounted, and at 50k documents the loop held the
 * engine thread ~95 ms in one piece.
 */
const YIELD_EVERY = 2000;

export async function planRun(
  collected: Collected,
  stored: Map<string, StoredRow>,
  /** stored hash of each current row whose file was read (storedHashes) */
  hashes: Map<number, string>,
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
  let sinceYield = 0;
  for (const [path, found] of collected.manifest) {
    if (++sinceYield >= YIELD_EVERY) {
      sinceYield = 0;
      signal?.throwIfAborted();
      await nextTurn();
    }
    const row = stored.get(path);
    if (found.kind === 'unreadable') {
      plan.counts.errors++;
      plan.fileErrors.push({ path, reason: unreadableReason(found.reason) });
      continue;
    }
    if (found.kind === 'unchanged') {
      // the stat matched a row whose derivation is current (the caller only offers those): not read
      plan.counts.skipped++;
      continue;
    }
    if (found.kind === 'deferred' && !row) {
      // a new file: inserted, and read with its batch (parseBatch)
      plan.inserts.push({ path, hash: '', stat: found.stat, bytes: EMPTY, later: { abs: found.abs, ino: found.ino, size: found.size } });
      plan.counts.added++;
      continue;
    }
    let entry = found;
    if (entry.kind === 'deferred') {
      // deferred although a row holds it (the engine never asks that): read now, as the collect would have
      const read = readDeferred(entry);
      if ('reason' in read) {
        plan.counts.errors++;
        plan.fileErrors.push({ path, reason: read.reason });
        continue;
      }
      entry = { kind: 'file', hash: read.hash, bytes: read.bytes, stat: entry.stat };
    }
    if (row && row.current && hashes.get(row.id) === entry.hash) {
      plan.counts.skipped++; // touched but identical: skipped, not updated (sync.md §6)
      if (entry.stat && statKey(entry.stat) !== row.statKey) plan.statUpdates.push({ id: row.id, stat: entry.stat });
      continue;
    }
    // the write holds the bytes from here (parsed with its batch); counted as added or updated
    // until then, and moved to the errors if they are not valid UTF-8 (parseBatch)
    const bytes = entry.bytes;
    entry.bytes = EMPTY;
    if (row) {
      plan.updates.push({ id: row.id, path, hash: entry.hash, stat: entry.stat, bytes });
      plan.counts.updated++;
    } else {
      plan.inserts.push({ path, hash: entry.hash, stat: entry.stat, bytes });
      plan.counts.added++;
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

/**
 * Reads the batch's deferred files and parses its files (dropping their bytes). A file that cannot
 * be read then (gone, replaced, grown past the limit) or is not valid UTF-8 leaves the batch
 * and becomes a file error of the plan, in the walk's order among the others (`order`: the
 * manifest's paths, asked only when there is such a file).
 */
export function parseBatch(batch: PlanBatch, plan: Plan, vocab: StatusVocab | null, order: () => Iterable<string>): ParsedBatch {
  const failed: { path: string; reason: string }[] = [];
  const parse = <W extends Write>(w: W): (Omit<W, 'bytes' | 'later'> & Pick<ParsedWrite, 'doc' | 'contentBytes'>) | null => {
    if (w.later) {
      const read = readDeferred(w.later);
      w.later = undefined;
      if ('reason' in read) {
        failed.push({ path: w.path, reason: read.reason });
        return null;
      }
      w.bytes = read.bytes;
      w.hash = read.hash;
    }
    const parsed = parseForStore(w.path, w.bytes, vocab);
    w.bytes = EMPTY; // the batch's write holds them until it is applied (contentBytes), nothing after
    if (parsed.ok) {
      const { bytes: _bytes, later: _later, ...rest } = w;
      return { ...rest, doc: parsed.doc, contentBytes: parsed.contentBytes };
    }
    failed.push({ path: w.path, reason: NOT_UTF8_REASON });
    return null;
  };
  const inserts = batch.inserts.map(parse).filter((w) => w !== null);
  const updates = batch.updates.map(parse).filter((w) => w !== null);
  if (failed.length) {
    plan.counts.added -= batch.inserts.length - inserts.length;
    plan.counts.updated -= batch.updates.length - updates.length;
    plan.counts.errors += failed.length;
    for (const f of failed) plan.fileErrors.push(f);
    const at = new Map<string, number>();
    for (const path of order()) at.set(path, at.size);
    // unlisted folders (not in the manifest) stay after every file, as planRun put them
    const rank = (path: string) => at.get(path) ?? Infinity;
    plan.fileErrors.sort((a, b) => rank(a.path) - rank(b.path) || 0); // in place (the run holds this array), stable
  }
  return { inserts, updates, deletes: batch.deletes, statUpdates: batch.statUpdates };
}
