// A log that is small in bytes but long to replay is folded when the process closes: a re-sync after
// every file was touched (a checkout, a copy) logs one small UPDATE of stat fields per document
// (2,100 here, ~100 KiB, far below the byte threshold), and every later process replayed them all.
// Counted, not timed: the change log's size and the image as python3's sqlite3 reads it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bigCorpus, cliSandboxes, runCli } from '../engine/helpers';
import { SAMPLE_DOCS } from '../../support/corpora';

const LOG_HEADER_BYTES = 12; // src/core/store/changeLog.ts HEADER_BYTES
const TOUCHED_S = Date.UTC(2026, 0, 2) / 1000;

/** Stored documents by their stat mtime, read from the image file by python3's sqlite3. */
function storedMtimes(dataDir: string): { touched: number; documents: number } {
  const r = spawnSync(
    'python3',
    [
      '-c',
      `import json,sqlite3,sys
c=sqlite3.connect('file:'+sys.argv[1]+'?mode=ro',uri=True)
q=lambda s,*a:c.execute(s,a).fetchone()[0]
print(json.dumps({'touched':q('select count(*) from documents where file_mtime_ns = ?',int(sys.argv[2])*10**9),'documents':q('select count(*) from documents')}))`,
      path.join(dataDir, 'sdlc-lens.db'),
      String(TOUCHED_S),
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { touched: number; documents: number };
}

const logBytes = (dataDir: string): number => fs.statSync(path.join(dataDir, 'sdlc-lens.db.log')).size;

function touchAll(dir: string): number {
  let n = 0;
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isFile()) {
      fs.utimesSync(p, TOUCHED_S, TOUCHED_S);
      n++;
    }
  }
  return n;
}

describe('CLI: a log of many small statements is folded at close', function () {
  this.timeout(180_000);
  const sandbox = cliSandboxes();

  it('every file touched, then synced: the image holds the new stat fields and the log is empty', async () => {
    const times = 50;
    const corpus = bigCorpus(sandbox(), 'big', times);
    const data = ['--data-dir', sandbox().dataDir];
    assert.equal((await runCli(['sync', corpus, ...data])).code, 0);
    assert.equal(storedMtimes(sandbox().dataDir).touched, 0);
    assert.ok(touchAll(corpus) >= SAMPLE_DOCS * times);

    const sync = await runCli(['sync', corpus, '--json', ...data]);
    assert.equal(sync.code, 0, sync.stderr);
    const out = JSON.parse(sync.stdout.trim()) as { skipped: number; document_count: number };
    assert.equal(out.document_count, SAMPLE_DOCS * times);
    assert.equal(out.skipped, SAMPLE_DOCS * times, 'same bytes: every document kept, only its stat fields change');
    assert.equal(logBytes(sandbox().dataDir), LOG_HEADER_BYTES, 'the record was folded into the image when the process closed');
    assert.deepEqual(storedMtimes(sandbox().dataDir), { touched: SAMPLE_DOCS * times, documents: SAMPLE_DOCS * times });

    const again = await runCli(['sync', corpus, '--json', ...data]);
    assert.equal(JSON.parse(again.stdout.trim()).skipped, SAMPLE_DOCS * times);
  });

  it('a few statements stay in the log (a one-file edit is not worth a whole-image write)', async () => {
    const corpus = bigCorpus(sandbox(), 'small', 2);
    const data = ['--data-dir', sandbox().dataDir];
    assert.equal((await runCli(['sync', corpus, ...data])).code, 0);
    const story = path.join(corpus, 'copy0', 'stories', fs.readdirSync(path.join(corpus, 'copy0', 'stories')).find((f) => f.endsWith('.md'))!);
    fs.utimesSync(story, TOUCHED_S, TOUCHED_S);
    assert.equal((await runCli(['sync', corpus, ...data])).code, 0);
    assert.ok(logBytes(sandbox().dataDir) > LOG_HEADER_BYTES, 'one record in the log');
    assert.equal(storedMtimes(sandbox().dataDir).touched, 0, 'not yet in the image');
  });
});
