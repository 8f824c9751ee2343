// A large sync is applied in bounded batches (sync/plan.ts applyBatches, service.ts): each batch is
// its own transaction and change-log record, the engine's thread turns between them (API requests
// and queries are answered mid-apply), the project's outcome is written with the last one, and a
// failure after the first batch keeps what was written, records `error`, and the next sync
// finishes the rest without re-reading it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { APPLY_BATCH_BYTES } from '../../../src/core/sync/plan';
import { MAX_FILE_BYTES } from '../../../src/core/sync/rules';
import { dbRows, sandboxPerTest, syncNow } from './helpers';

const DOCS = 40;
/** Each story's body: together several batches' worth of text. */
const BODY_BYTES = Math.ceil((APPLY_BATCH_BYTES * 5) / DOCS);

function storyCorpus(root: string): string {
  const dir = path.join(root, 'big', 'sdlc-studio');
  fs.mkdirSync(path.join(dir, 'stories'), { recursive: true });
  const para = 'The room display confirms a booking when the holder badges in before the grace period ends. ';
  for (let i = 1; i <= DOCS; i++) {
    const id = `US${String(i).padStart(4, '0')}`;
    const body = para.repeat(Math.ceil(BODY_BYTES / para.length));
    fs.writeFileSync(path.join(dir, 'stories', `${id}-story-${i}.md`), `# ${id}: Story ${i}\n\n> **Status:** Draft\n\n## Description\n\n${body}\n`);
  }
  return dir;
}

describe('sync: a large plan is applied in bounded batches', () => {
  const t = sandboxPerTest();

  it('answers reads between batches (a partial count is seen while syncing), then stores every document', async () => {
    const root = storyCorpus(t.sb.root);
    const { slug } = await t.engine.registerProject({ name: 'Big', sdlc_path: root });
    const seen: number[] = [];
    // a 1 ms interval: it only runs when the engine's thread is free, so a count strictly between 0
    // and DOCS means a batch was committed and the thread turned before the next one
    const probe = setInterval(() => {
      const p = t.engine.getProject(slug);
      if (p.sync_status === 'syncing') seen.push(p.document_count);
    }, 1);
    let outcome;
    try {
      outcome = await syncNow(t.engine, slug);
    } finally {
      clearInterval(probe);
    }
    assert.deepEqual([outcome.sync_status, outcome.added], ['synced', DOCS]);
    const partial = seen.filter((n) => n > 0 && n < DOCS);
    assert.ok(partial.length > 0, `counts seen while syncing: ${[...new Set(seen)].join(', ')}`);
    // read back from the files by plain sql.js: every document, whole, and the project's outcome
    const [row] = await dbRows(
      t.sb.dbPath,
      'SELECT p.sync_status, p.sync_owner, count(d.id) AS n, min(length(d.content)) AS shortest FROM projects p JOIN documents d ON d.project_id = p.id WHERE p.slug = ?',
      [slug],
    );
    assert.deepEqual([row.sync_status, row.sync_owner, row.n], ['synced', null, DOCS]);
    assert.ok(Number(row.shortest) >= BODY_BYTES, `shortest stored body ${row.shortest}`);
  });

  it('files that are not valid UTF-8, found as their batch is parsed, are errors in walk order among the others; the rest is stored', async () => {
    const root = storyCorpus(t.sb.root);
    const stories = fs.readdirSync(path.join(root, 'stories')).sort();
    // the first story (first batch) and the last (last batch) are not UTF-8; between them, by path,
    // a file too large to read (an error known from its stat, before any batch is parsed)
    const bad = [stories[0], stories[stories.length - 1]];
    for (const f of bad) fs.appendFileSync(path.join(root, 'stories', f), Buffer.from([0xff, 0xfe, 0x41]));
    const large = `${stories[1].slice(0, 6)}-large.md`;
    fs.writeFileSync(path.join(root, 'stories', large), Buffer.alloc(MAX_FILE_BYTES + 1, 0x61));
    const { slug } = await t.engine.registerProject({ name: 'Big', sdlc_path: root });
    const outcome = await syncNow(t.engine, slug);
    assert.equal(outcome.sync_status, 'error');
    assert.deepEqual(
      outcome.file_errors.map((f: { path: string }) => f.path),
      [`stories/${bad[0]}`, `stories/${large}`, `stories/${bad[1]}`],
    );
    assert.deepEqual([outcome.added, outcome.updated, outcome.errors], [DOCS - 2, 0, 3]);
    const [row] = await dbRows(t.sb.dbPath, 'SELECT p.sync_error, count(d.id) AS n FROM projects p LEFT JOIN documents d ON d.project_id = p.id WHERE p.slug = ?', [slug]);
    assert.equal(row.n, DOCS - 2);
    assert.match(String(row.sync_error), new RegExp(`^3 files could not be synced .*\\(added ${DOCS - 2}, updated 0, deleted 0\\).* stories/${bad[0]} is not valid UTF-8; stories/${large} `));
  });

  it('a write failure after the first batch keeps the batches written, records error, and the next sync finishes the rest', async () => {
    const root = storyCorpus(t.sb.root);
    const { slug } = await t.engine.registerProject({ name: 'Big', sdlc_path: root });
    // A real write failure without mocks (as sync-state.test.ts): once the first batch is in, the
    // change log is moved away and a folder put in its place, so the next batch's append fails.
    const log = `${t.sb.dbPath}.log`;
    let broke = false;
    const probe = setInterval(() => {
      if (broke) return;
      const p = t.engine.getProject(slug);
      if (p.sync_status === 'syncing' && p.document_count > 0) {
        broke = true;
        fs.renameSync(log, `${log}.away`);
        fs.mkdirSync(log);
      }
    }, 1);
    let failed;
    try {
      failed = await syncNow(t.engine, slug);
    } finally {
      clearInterval(probe);
    }
    assert.ok(broke, 'the log was broken mid-apply');
    assert.equal(failed.sync_status, 'error');
    assert.match(failed.sync_error!, /EISDIR/);
    fs.rmdirSync(log);
    fs.renameSync(`${log}.away`, log);
    const kept = Number((await dbRows(t.sb.dbPath, 'SELECT count(*) AS n FROM documents'))[0].n);
    assert.ok(kept > 0 && kept < DOCS, `documents kept from the batches written: ${kept}`);
    assert.equal(t.engine.getProject(slug).document_count, kept, 'memory matches disk');

    const retry = await syncNow(t.engine, slug);
    assert.deepEqual([retry.sync_status, retry.added, retry.skipped], ['synced', DOCS - kept, kept]);
    const [row] = await dbRows(t.sb.dbPath, 'SELECT sync_status, (SELECT count(*) FROM documents) AS n FROM projects WHERE slug = ?', [slug]);
    assert.deepEqual([row.sync_status, row.n], ['synced', DOCS]);
  });

  it('a cancel once the first batch is written stops before the next: the batches written stay, error (cancelled), and the next sync writes the rest', async () => {
    const root = storyCorpus(t.sb.root);
    const { slug } = await t.engine.registerProject({ name: 'Big', sdlc_path: root });
    const abort = new AbortController();
    // the probe runs only between batches (the thread turns there): it cancels after the first one
    const probe = setInterval(() => {
      const p = t.engine.getProject(slug);
      if (p.sync_status === 'syncing' && p.document_count > 0) abort.abort();
    }, 1);
    let outcome;
    try {
      const { done } = await t.engine.startSync(slug, { signal: abort.signal });
      outcome = await done;
    } finally {
      clearInterval(probe);
    }
    assert.ok(abort.signal.aborted, 'the cancel came mid-apply');
    assert.deepEqual([outcome.sync_status, outcome.cancelled], ['error', true]);
    assert.match(String(outcome.sync_error), /cancelled/);
    const [row] = await dbRows(t.sb.dbPath, 'SELECT sync_status, sync_error, (SELECT count(*) FROM documents) AS n FROM projects WHERE slug = ?', [slug]);
    const stored = Number(row.n);
    assert.ok(stored > 0 && stored < DOCS, `${stored} of ${DOCS} stored`);
    assert.equal(outcome.added, stored, 'the outcome counts what was written');
    assert.deepEqual([row.sync_status, /cancelled/.test(String(row.sync_error))], ['error', true]);
    // the next sync skips what the cancelled one wrote (each row matches its file) and writes the rest
    const next = await syncNow(t.engine, slug);
    assert.deepEqual([next.sync_status, next.added, next.skipped], ['synced', DOCS - stored, stored]);
  });
});
