// Hand-written notes shown beside figures in BENCHMARKS.md (profile findings for missed targets).
// Key: `<figure key>@<corpus label>` (figure keys in report.ts, labels as in run.ts: '2,352', '10k',
// '50k') or an extension-host figure key (results.ts HOST_TARGETS).
const COLD =
  'CPU ≈ wall on a quiet run (see the CPU row). Profile (`bench/profile.ts 10000 cold`, after the MEMFS 2× growth, binary log and direct image write): sql.js ~54 % (SQLite B-tree inserts of ~56 MiB of text in wasm 12 %+, its MEMFS page writes 10 %, reads 2 %), GC 9 %, Buffer slices 6 %, parsing ~3 %, classifyPath 2 %, fsync 2 %. Most of what remains is SQLite writing the text into an in-memory file; a file-backed SQLite (node:sqlite needs Node ≥ 22, the extension host has 20.19) would remove the MEMFS copies';
const UNCHANGED =
  'writes ~0.5 KiB (writes O(changes): met). Profile (`bench/profile.ts 10000 unchanged`, corpus dated out of the racy window): one stat per file ~40 %, stored rows (now read from the documents_sync covering index as one JSON array: 30–40 → 8–11 ms at 10k), the walk (synchronous readdir: 20–35 → 8–13 ms at 10k), two fsynced state records (claim, result)';
const EDITED =
  'a full sync (manual, CLI): it must walk the folder and stat every file to find the one that changed, so its floor is one stat per file, i.e. the unchanged re-sync; the target is met by the watch mode (next row), which knows the changed path and stats only it';
const EDITED_WATCH = 'the extension\'s auto-sync: the watcher hands the changed paths to a path-hinted sync (StartSyncOptions.paths): one stat, read, parse and a few-KiB log append, independent of the corpus size';

// Whole-process CLI rows (bench/cli.ts; issue 18). The denominator is the stand-in baseline (bench/baseline/walkparse.mjs), not the original.
const CLI_FIXED =
  'A new process pays, before any work: Node start and the 0.7 MB bundle (~60–90 ms CPU), sql.js\'s wasm compile (~50 ms), reading the image into sql.js (≈ its size: 24 MiB at 2,352) and the start-up integrity check. Done (issue 18): the page check (PRAGMA quick_check of every table, seconds of CPU at 10k) now runs only when the image is not byte-for-byte the one a fold wrote (CRC-32 record, store/imageSum.ts); the search index is saved by the process that builds it, so no later process re-indexes. What remains is the in-memory database design: every process loads the whole image (and a sync\'s process writes it whole at the fold), so the floor grows with the database, while the baseline reads only the markdown';
const CLI_COLD =
  `${CLI_FIXED}. A cold sync does the in-process cold sync (the engine rows above: SQLite inserting the text into an in-memory file, the change-log record or the image) plus building the search index and saving it (one more image write), in one process; the stand-in only walks, reads and splits lines`;
const CLI_SEARCH =
  'was 5× `projects` (the search process indexed every document the sync\'s process had left queued: the index reached disk only at the next fold). Now the indexing process folds the index into the image when it has indexed ≥ 256 and ≥ 1/8 of the documents (search/persistIndex.ts), so a search process indexes nothing (test/unit/cli/indexOnce.test.ts counts it): a search costs what opening the database costs, plus the query';

const API_COLD =
  'was 260–700 ms: one synchronous transaction applied the whole plan (~13 MiB of text, 400–575 ms), the fold wrote and fsynced its image on the thread, and every 16th indexer slice (100 documents) merged segments for ~115 ms. Now a large plan is applied in batches of ~512 KiB of text, each its own transaction and change-log record (sync/plan.ts applyBatches; sync.md §4 step 10), a fold of what the log holds writes, fsyncs and checksums its image on libuv\'s pool (logBook.ts foldAsync), and a slice is 50 documents. What holds the thread now, per in-process probe at 2,352 (gap less run-queue wait): an apply batch ≤ 48 ms, an index slice with its merge ≤ 73 ms, the fold\'s export (SQLite copying every page) 46–55 ms; the API figure adds the request\'s own round trip on the same 2 cores';

export const NOTES: Record<string, string> = {
  'api.cold@2,352': API_COLD,
  'cli.cold@2,352': CLI_COLD,
  'cli.unchanged@2,352': CLI_FIXED,
  'cli.unchanged@9,408': `was 2.9–3.4× with 1.6 s of indexing per process (the index never reached disk after a cold sync written as an image). ${CLI_FIXED}`,
  'cli.edited@2,352': `${CLI_FIXED}; the edit itself is the engine's "one file edited" row (a stat per file, one parse, a few-KiB log append)`,
  'cli.search@11,700': CLI_SEARCH,
  'cold@2,352': COLD,
  'cold@10k': COLD,
  'cold@50k': COLD,
  'unchanged@2,352': UNCHANGED,
  'unchanged@10k': UNCHANGED,
  'unchanged@50k': UNCHANGED,
  'oneEdited@2,352': EDITED,
  'oneEdited@10k': EDITED,
  'oneEdited@50k': EDITED,
  'oneEditedWatch@2,352': EDITED_WATCH,
  'oneEditedWatch@10k': EDITED_WATCH,
  'oneEditedWatch@50k': EDITED_WATCH,
  'rss@50k':
    'cold sync 50k, fresh process: 1.77 GB → 1.47 GB after dropping each file\'s bytes once parsed and no longer recording a transaction that will be written as an image. What remains is by design of an in-memory sql.js database: the parsed text of 50k documents (~280 MB) until the apply, the MEMFS file (~300 MB, capacity up to 2× while it grows), and the one export copy written at the fold (~300 MB). ≤ 400 MB needs a file-backed SQLite (node:sqlite, Node ≥ 22, or a native module) or a paging VFS for sql.js, and the apply fed in bounded batches',
  'searchP95@10k':
    'was 12–19 ms on this machine (same commit: 6.6–9.1 ms on the earlier one). Two changes, each measured before → after in one run: (1) the connection keeps its lock between statements (store/image.ts, locking_mode EXCLUSIVE): every statement outside a transaction took the lock again, looked for a hot journal and re-read the header through sql.js\'s file system (~60 µs a statement; a page of 20 rows read row by row cost ~1 ms of it); npm run bench at 10k: p95 12 → 3.3 ms. (2) Each word\'s rows are scored once per database state and an AND of words is a galloping merge that sums them, the phrase bonus a merge too, a page\'s rows one statement, an id jump a map built once per state (searchIndex.ts, termHits.ts); bench/search.ts at 10k, interleaved runs: p95 median 12.2/10.0 → 6.4/5.2 ms, p50 5.0 → 2.5 ms. Each query\'s first ask in a state reads its words\' rows from the index (bench/search.ts reports it as first_*)',
  'stats@10k': 'GROUP BY over the documents_stats covering index (schema migration 4): ~2 ms CPU at 10k, was ~15 ms scanning every row',
  'health@10k': 'rows from the documents_health covering index (migration 4; body_len generated by SQLite, content not read), one JSON array across the wasm boundary, memoised per process until the store changes: first check after a change ~40–50 ms CPU, repeated ~9–14 ms (was ~100 ms); measureHealth reports both',
  // issue 18: the second extension, the host's RSS, the engine thread (bench/apiWait.ts)
  probe_hold_sync_ms:
    'this run: 2026-12-03 08:30 on a quiet machine (nothing else running), median of 3; the lens\'s own probe 27 / 45 / 46 ms. The same run on VS Code 1.139.1 (BENCH_HOST_WRITE=0): 45 / 31 / 28 ms, the lens\'s probe the same. The quiet run of 2026-12-02 14:37: 62 / 42 / 73 ms. The earlier run of the same day (490–1,050 ms) had a load average of 20–35; a V8 profile of the host thread over a whole 10k cold sync (BENCH_HOST_PROFILE; a profiled run reads 170–370 ms, the profiler\'s own cost) has 1.1 s of work in 5.6 s: GC 246 ms, socket writes to the window 160 ms, a child-process spawn 98 ms (not the lens\'s: its scripts run from the worker), the lens\'s own functions ≤ 24 ms each (startRun 24 ms)',
  probe_hold_open_group_ms:
    '500 rows a page: 53 / 68 / 85 ms (2,352 / 10k / 11.7k, quiet re-run); 250 rows a page (PAGE_SIZE): 32 / 76 / 85 ms on 2026-12-02, 12 / 38 / 42 ms in this run (2026-12-03, quiet; 1.139.1: 8 / 20 / 20 ms). Beyond the rows shown, the host receives and sorts the whole group (2,958 stories at 10k: sortDocuments now works out each id\'s form once, ~13 ms less, measured after this run). A group shows at most PAGE_SIZE rows (+ "Show N more…"), so the work per open is bounded; the profile of one open at 10k: the lens\'s own code ~25 ms (idHead 9 ms, compareDocuments 5 ms, documentItem/Uri 3 ms), the rest is VS Code converting and sending the 500 rows',
  host_rss_mb:
    'the engine\'s worker thread lives in the extension host\'s process, so its memory is the host\'s: this run (2026-12-03, 1.100.3): idle 227 MB, +207 MB at 2,352, +481 / +644 MB at 10k / 11.7k; VS Code 1.139.1 (Node 24, same run conditions, BENCH_HOST_WRITE=0): idle 285 MB, 638 / 1,024 / 1,161 MB. Measured in plain Node at 11.7k (`process.memoryUsage()` after the cold sync, the index and a GC): RSS 468 MB, of which array buffers 257 MB (sql.js\'s in-memory database file: the image is 145 MiB with the query language\'s prefix index, in a MEMFS file that grows ×2) and other external memory 168 MB (the wasm heap, which never shrinks after the bulk insert); JS heap 10 MB. What would meet ≤ 400 MB: the engine in its own process (a child process speaking the same protocol instead of a worker thread: the host keeps only the tree and the UI), or the document bodies and the index out of the in-memory image (a file-backed SQLite: node:sqlite needs Node ≥ 22, the extension host has 20.19). Not built in this round: both replace the worker transport or the store, and were not possible alongside the store and query work',
  // extension host (npm run bench:host; profiles: BENCH_HOST_PROFILE=<dir>, in-host V8 sampling profiler)
  longest_hold_sync_ms:
    'was 85 ms (2,352) / 209 ms (10k): the health diagnostics took the whole report over the MessagePort and read + split every affected file on the host after each sync. Now the worker places them (engine.healthDiagnostics: file reads and spans, cached per file stat), answers "unchanged" with a hash when nothing changed, and the host re-publishes only changed files in slices of 200 that yield. What a loaded machine adds to a wall-clock gap (perf sched_switch stacks of the host\'s main thread, 2026-12-03, load 4–9 on 2 cores): time blocked with ~0 ms on the CPU in glibc\'s pthread_cond_signal under NodePlatform::CallOnWorkerThread (191 and 87 ms) and uv_queue_work (41 ms) and in a MessagePort\'s mutex (81 ms), hand-offs to threads of the process that wait for a CPU themselves; in 40 runs of the worker spec (120 windows, 1.100.3 and 1.139.1, beside two npm test loops) the longest wall-clock gap was 664 ms, the gap less its run-queue wait 230 ms, and the host\'s own CPU time in any one gap ≤ 21 ms',
  longest_hold_open_group_ms:
    'was 53 ms (695 rows) / 183 ms (2,958 rows): VS Code converts and sends every row of a group at once, and documentLabel compiled a RegExp per row. Now a group shows 250 rows (PAGE_SIZE, was 500) and a "Show N more…" row (reveal loads the pages up to its target); documentLabel is a prefix check',
  saved_file_to_tree_ms:
    'was 380 ms / 1.94 s. A one-file sync now re-renders only the edited row (the `documents` change carries the paths updated in place), no group is re-read. What remains (per-sample breakdown in host.json): the worker\'s one-file sync (16–270 ms, the engine\'s "one file edited" figure) and, when that sync is shorter than 200 ms, VS Code\'s own 200 ms debounce of tree refreshes: the project row\'s "syncing…" refresh at the sync\'s start opens the window, so the row\'s refresh waits for its end (change → row ≈ 220 ms at 2,352; 4–12 ms in the samples whose sync outlasted it). Since a6cee99 a project row that turns "syncing" is re-rendered only once the sync has lasted 300 ms, so a short sync\'s row refresh is the first in VS Code\'s window: in this run (2026-12-03, quiet) change → row is 1–4 ms at 2,352 (was ≈ 220 ms) and 9–13 ms at 10k; what is left is the worker\'s sync, start → documents change 69–75 ms at 2,352, 214–246 ms at 10k, 226–322 ms at 11.7k (1.139.1: 69 / 189 / 232 ms after the debounce)',
};
