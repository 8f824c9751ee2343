// Issue 18, "nothing derived is recomputed per process": a CLI `search` after a CLI `sync` does no
// indexing work. Counted, not timed: the database file is read by an independent reader (python3's
// sqlite3, not sql.js) for what a new process would have to index (the image's `fts_pending` queue,
// the index's rows, log records past the header), and the engine's own progress lines (`--debug`)
// say what each process indexed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bigCorpus, cliSandboxes, runCli } from '../engine/helpers';
import { SAMPLE_DOCS } from '../../support/corpora';

const LOG_HEADER_BYTES = 12; // src/core/store/changeLog.ts HEADER_BYTES
const INDEXED = /search index: (\d+) documents indexed/;
const LAGGING = /search index: lagging/;

/** The database file as another program sees it (the change log is sql.js's own format: only its size). */
function onDisk(dataDir: string): { pending: number; indexed: number; documents: number; segments: number[]; logRecords: boolean; image: string } {
  const file = path.join(dataDir, 'sdlc-lens.db');
  const r = spawnSync(
    'python3',
    [
      '-c',
      `import json,sqlite3,sys
c=sqlite3.connect('file:'+sys.argv[1]+'?mode=ro',uri=True)
q=lambda s:c.execute(s).fetchone()[0]
segs=c.execute('select level, count(*) from documents_fts_segdir group by level order by level').fetchall()
print(json.dumps({'pending':q('select count(*) from fts_pending'),'indexed':q('select count(*) from documents_fts_docsize'),'documents':q('select count(*) from documents'),'segments':[n for _,n in segs]}))`,
      file,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  const log = fs.readdirSync(dataDir).find((f) => f.startsWith('sdlc-lens.db.log'));
  const st = fs.statSync(file);
  return {
    ...(JSON.parse(r.stdout) as { pending: number; indexed: number; documents: number; segments: number[] }),
    logRecords: !!log && fs.statSync(path.join(dataDir, log)).size > LOG_HEADER_BYTES,
    image: `${st.ino}/${st.size}/${st.mtimeMs}`,
  };
}

/** Documents a CLI process reported indexing (its `--debug` lines). */
const indexedBy = (stderr: string): number => stderr.split('\n').reduce((n, l) => n + Number(INDEXED.exec(l)?.[1] ?? 0), 0);

describe('CLI: a search after a sync indexes nothing (issue 18)', function () {
  this.timeout(120_000);
  const sandbox = cliSandboxes();

  // the two ways a sync's write reaches disk: a change-log record (folded at close), or, past the
  // fold size, a new image written at the sync's end, before the index is built
  for (const [name, env] of [
    ['the sync logged', {}],
    ['the sync written as an image', { SDLC_LENS_FOLD_BYTES: String(256 * 1024) }],
  ] as const) {
    it(`${name}: the index is on disk when the sync exits, and the search process indexes 0 documents`, async () => {
      const times = 8;
      const corpus = bigCorpus(sandbox(), 'big', times);
      const data = ['--data-dir', sandbox().dataDir];
      const sync = await runCli(['sync', corpus, '--json', '--debug', ...data], { env });
      assert.equal(sync.code, 0, sync.stderr);
      assert.equal(JSON.parse(sync.stdout.trim()).document_count, SAMPLE_DOCS * times);
      assert.equal(indexedBy(sync.stderr), SAMPLE_DOCS * times, sync.stderr); // the sync's process built the index

      const disk = onDisk(sandbox().dataDir);
      assert.deepEqual(
        { pending: disk.pending, indexed: disk.indexed, documents: disk.documents, logRecords: disk.logRecords },
        { pending: 0, indexed: SAMPLE_DOCS * times, documents: SAMPLE_DOCS * times, logRecords: false },
      );
      // merged after the run (store/ftsIndex.ts mergeStep): one segment per level of each of the
      // three indexes (terms, 2- and 3-letter prefixes), none an edit's delete would have to merge
      // (the indexer's 50-document slices left 7 at level 0 of each)
      assert.deepEqual(disk.segments, [1, 1, 1], 'segments per level on disk');

      const search = await runCli(['search', 'acceptance criteria', '--json', '--debug', ...data], { env });
      assert.equal(search.code, 0, search.stderr);
      assert.ok(JSON.parse(search.stdout).total > 0, search.stdout);
      assert.equal(indexedBy(search.stderr), 0, search.stderr);
      assert.doesNotMatch(search.stderr, LAGGING);
      assert.equal(onDisk(sandbox().dataDir).image, disk.image, 'the search process wrote nothing');
    });
  }

  it('a re-sync that rewrites most documents empties the index and queues all of them: nothing stale, no per-document delete', async () => {
    const big = bigCorpus(sandbox(), 'big', 8);
    const other = bigCorpus(sandbox(), 'other', 1);
    const data = ['--data-dir', sandbox().dataDir];
    const files = (root: string) => fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => path.join(root, f));
    for (const f of files(big)) fs.appendFileSync(f, '\nOldtokenzz was here.\n');
    assert.equal((await runCli(['sync', big, ...data])).code, 0);
    assert.equal((await runCli(['sync', other, '--name', 'Other', ...data])).code, 0);
    const hits = async (q: string): Promise<number> => {
      const r = await runCli(['search', q, '--json', ...data]);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout).total as number;
    };
    assert.equal(await hits('oldtokenzz'), SAMPLE_DOCS * 8);
    for (const f of files(big)) fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('Oldtokenzz', 'Newtokenzz'));

    const sync = await runCli(['sync', big, '--json', '--debug', ...data]);
    assert.equal(JSON.parse(sync.stdout.trim()).updated, SAMPLE_DOCS * 8, sync.stdout);
    // every stored document re-indexed, the other project's too (336 updated; without the requeue
    // the indexer would have had the 336 only, each after its old entries were deleted one by one)
    // (before its sync, the process indexes the other project's 42, replayed from the log: below what a fold is worth)
    assert.equal(indexedBy(sync.stderr.slice(sync.stderr.indexOf('sync ended'))), SAMPLE_DOCS * 9, sync.stderr);
    assert.deepEqual(
      (({ pending, indexed, documents }) => ({ pending, indexed, documents }))(onDisk(sandbox().dataDir)),
      { pending: 0, indexed: SAMPLE_DOCS * 9, documents: SAMPLE_DOCS * 9 },
    );
    assert.equal(await hits('oldtokenzz'), 0, 'no entry of the old text is left');
    assert.equal(await hits('newtokenzz'), SAMPLE_DOCS * 8);
    assert.equal(await hits('project:other acceptance'), await hits('project:big acceptance') / 8, "the other project's documents are found as before");
  });

  it('the counter sees a search process index: one edited file is replayed from the log and indexed again', async () => {
    const corpus = bigCorpus(sandbox(), 'big', 8);
    const data = ['--data-dir', sandbox().dataDir];
    assert.equal((await runCli(['sync', corpus, ...data])).code, 0);
    fs.appendFileSync(path.join(corpus, 'copy0', 'stories', fs.readdirSync(path.join(corpus, 'copy0', 'stories')).find((f) => f.endsWith('.md'))!), '\nEdited: acceptance criteria.\n');
    const sync = await runCli(['sync', corpus, '--json', '--debug', ...data]);
    assert.equal(JSON.parse(sync.stdout.trim()).updated, 1, sync.stdout);
    // one document is below what is worth a whole-image write: its index entry is not saved ...
    assert.equal(onDisk(sandbox().dataDir).logRecords, true);
    // ... so the next process, replaying the record, indexes that one document again (and no other)
    const search = await runCli(['search', 'acceptance criteria', '--json', '--debug', ...data]);
    assert.equal(search.code, 0, search.stderr);
    assert.ok(indexedBy(search.stderr) === 1 || LAGGING.test(search.stderr), search.stderr);
    assert.ok(indexedBy(search.stderr) <= 1, search.stderr);
  });
});
