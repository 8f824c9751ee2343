// A sync goes before the search indexer's backlog (engine.ts: the indexer yields to SyncService.busy).
// After a big sync the indexer drains `fts_pending` in slices between turns of the event loop; an
// edit's sync that starts meanwhile used to run one slice (50 documents, tens of ms) at each of its
// own awaits, so a saved file reached the tree hundreds of ms late. Counted, not timed: the queue
// is read with plain SQL on the engine's open connection, before and after the edit's sync.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bigCorpus, SAMPLE_DOCS, sandboxPerTest } from './helpers';

const COPIES = 12;

describe('sync: goes before the search indexer', () => {
  const t = sandboxPerTest();

  it("an edit's sync runs no index slice; the indexer resumes when it ends", async () => {
    const root = bigCorpus(t.sb, 'big', COPIES);
    const { slug } = await t.engine.registerProject({ name: 'Big', sdlc_path: root });
    const cold = await (await t.engine.startSync(slug)).done;
    assert.equal(cold.added, SAMPLE_DOCS * COPIES);
    const conn = (t.engine as unknown as { store: { get(sql: string): Record<string, unknown> | undefined } }).store;
    const pending = (): number => Number(conn.get('SELECT count(*) AS n FROM fts_pending')?.n);
    const before = pending();
    assert.ok(before > 100, `a backlog of more than two slices is queued after the cold sync (${before})`);

    const rel = `copy7/stories/${fs.readdirSync(path.join(root, 'copy7', 'stories')).find((f) => f.endsWith('.md'))}`;
    fs.appendFileSync(path.join(root, rel), '\nEdited while the index catches up.\n');
    const edited = await (await t.engine.startSync(slug, { paths: [rel] })).done;
    assert.deepEqual([edited.sync_status, edited.updated], ['synced', 1]);
    const after = pending();
    assert.ok(after >= before, `no slice ran during the edit's sync: ${before} queued before it, ${after} after`);

    await t.engine.whenIndexed();
    assert.equal(pending(), 0, 'the indexer caught up once the sync had ended');
    const hits = await t.engine.search({ q: '"Edited while the index catches up"', project: slug });
    assert.equal(hits.total, 1, 'the edited document is indexed with its new text');
  });
});
