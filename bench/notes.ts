// Hand-written notes shown beside figures in BENCHMARKS.md (profile findings for missed targets).
// Key: `<figure key>@<corpus label>` (figure keys in report.ts, labels as in run.ts: '2,352', '10k',
// '50k') or an extension-host figure key (results.ts HOST_TARGETS).
const COLD = 'wall ≫ CPU time (shared, loaded machine; see the CPU row). Profile (below): sql.js MEMFS file growth 26 %, change-log encoding 15 %, GC 13 %, UTF-8 binding 7.5 %; parsing only 2.4 %';
const UNCHANGED = 'writes ~0.5 KiB (writes O(changes): met); CPU time is about half the wall time on the loaded machine and still over target; not profiled yet (`bench/profile.ts 10000 unchanged`)';
const EDITED = 'writes a few KiB; costs about what an unchanged re-sync costs, so the fixed per-sync cost (walk, stat, project state) dominates, not the one change';

export const NOTES: Record<string, string> = {
  'cold@2,352': COLD,
  'cold@10k': COLD,
  'cold@50k': COLD,
  'unchanged@2,352': UNCHANGED,
  'unchanged@10k': UNCHANGED,
  'unchanged@50k': UNCHANGED,
  'oneEdited@2,352': EDITED,
  'oneEdited@10k': EDITED,
  'oneEdited@50k': EDITED,
  'rss@50k': 'the 50k data folder is ~330 MiB; sql.js holds the whole database in its wasm heap as a MEMFS file (grown by copying), and a cold sync also builds the change log and one export in memory: peaks of several copies',
  'searchP95@10k': 'not profiled yet: `npx tsx bench/profile.ts 10000 search`',
  'stats@10k': 'not profiled yet: `npx tsx bench/profile.ts 10000 health` covers the health check; stats scan every row',
  'health@10k': 'not profiled yet: `npx tsx bench/profile.ts 10000 health`',
};
