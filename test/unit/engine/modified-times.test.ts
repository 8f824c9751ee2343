// Engine.documentModifiedTimes (the dashboard's "Recently changed", issue 20): each document's file
// modification time as the sync read it, not the sync time (a sync stores every row at one minute).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { registerAndSync, sandboxPerTest, syncNow } from './helpers';

describe('document modification times (engine)', () => {
  const t = sandboxPerTest();

  it("are the files' mtimes, follow a touched file, and differ from the sync time", async () => {
    const root = t.sb.corpus('harbor');
    // files modified just before a sync get no stored stat (the racy window, sync/collect.ts): age them all
    const old = new Date('2020-01-01T00:00:00.000Z');
    for (const f of fs.readdirSync(root, { recursive: true, encoding: 'utf8' })) fs.utimesSync(path.join(root, f), old, old);
    const a = path.join(root, 'stories', 'US0005-book-a-free-slot.md');
    const b = path.join(root, 'stories', 'US0002-room-detail-page.md');
    fs.utimesSync(a, new Date('2021-05-06T07:08:09.000Z'), new Date('2021-05-06T07:08:09.000Z'));
    fs.utimesSync(b, new Date('2022-01-02T03:04:05.000Z'), new Date('2022-01-02T03:04:05.000Z'));
    const o = await registerAndSync(t.engine, 'Harbor', root);
    const times = t.engine.documentModifiedTimes(o.slug);
    assert.equal(Object.keys(times).length, o.document_count);
    assert.equal(times['stories/US0005-book-a-free-slot.md'], '2021-05-06T07:08:09.000Z');
    assert.equal(times['stories/US0002-room-detail-page.md'], '2022-01-02T03:04:05.000Z');
    const synced = t.engine.documentSummaries(o.slug).find((d) => d.file_path === 'stories/US0005-book-a-free-slot.md')!.updated_at;
    assert.notEqual(synced, times['stories/US0005-book-a-free-slot.md']);

    fs.writeFileSync(a, `${fs.readFileSync(a, 'utf8')}\nMore.\n`);
    fs.utimesSync(a, new Date('2023-03-03T03:03:03.000Z'), new Date('2023-03-03T03:03:03.000Z'));
    await syncNow(t.engine, o.slug);
    assert.equal(t.engine.documentModifiedTimes(o.slug)['stories/US0005-book-a-free-slot.md'], '2023-03-03T03:03:03.000Z');
  });
});
