// A newer SDLC Lens (a schema above this build's) rewrites the shared database while this window runs
// (issue 17; another VS Code build, a newer CLI): the window says so once, keeps showing the projects
// as it last read them, refuses every write with "Update SDLC Lens", leaves no project syncing, and
// leaves every byte of the data folder as the newer one wrote it. Once the folder is readable again,
// the window works on. Oracle: the data folder's bytes, read with fs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { newLogId, writeAtomic } from '../../src/core/store/changeLog';
import { readSnapshot, stampMeta } from '../../src/core/store/image';
import { SCHEMA_VERSION } from '../../src/core/store/schema';
import { loadSqlJs } from '../../src/core/store/sqljs';
import type { SyncOutcome } from '../../src/core/types';
import { children, copyCorpus, EXTENSION_ID, holdDatabaseLock, labelOf, lens, register, removeAllProjects, until } from './support/lens';

const NEWER = SCHEMA_VERSION + 1;
const TOO_NEW = new RegExp(`has schema ${NEWER} \\(this version reads up to ${SCHEMA_VERSION}\\): it was written by a newer SDLC Lens\\. Update SDLC Lens`);

/** Every file of the data folder (but the lock) and its bytes. */
function folderBytes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir).sort()) {
    if (!f.endsWith('.lock')) out[f] = fs.readFileSync(path.join(dir, f)).toString('base64');
  }
  return out;
}

describe('extension: a database written by a newer SDLC Lens', function () {
  this.timeout(90_000);
  let api: Awaited<ReturnType<typeof lens>>;
  let slug: string;
  let folder: string;
  let ours: Buffer | undefined;
  let dbPath: string;

  before(async () => {
    api = await lens();
    await removeAllProjects(api);
    folder = copyCorpus('sample', 'older-window');
    slug = (await register(folder, 'Older Window'))!.slug;
    const o = await vscode.commands.executeCommand<SyncOutcome>('sdlcLens.syncProject', slug);
    assert.equal(o?.sync_status, 'synced', o?.sync_error ?? '');
    dbPath = api.dbPath!;
  });
  /** Puts this build's image back under the lock, as a user going back to one version would. */
  function putOursBack(): void {
    const lock = holdDatabaseLock(api);
    try {
      writeAtomic(dbPath, ours!);
    } finally {
      lock.release();
    }
  }

  after(async () => {
    // a failed test leaves the newer image: put ours back, so the specs after this one run on
    if (ours) {
      putOursBack();
      await api.engine.catchUp().catch(() => undefined);
    }
    await removeAllProjects(api);
  });

  it('says once that a newer SDLC Lens wrote the database, keeps the projects as they were, refuses writes; not a byte changes', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const SQL = await loadSqlJs(path.join(ext.extensionPath, 'dist', 'sql-wasm.wasm'));
    const lock = holdDatabaseLock(api);
    try {
      ours = fs.readFileSync(dbPath);
      // what a newer build's fold leaves: the same data under a higher schema, a new log id
      const { db, logId, seq } = readSnapshot(SQL, dbPath);
      try {
        db.exec(`PRAGMA user_version = ${NEWER}`);
        stampMeta(db, newLogId(logId), seq);
        writeAtomic(dbPath, db.export());
      } finally {
        db.close();
      }
    } finally {
      lock.release();
    }
    const dataDir = path.dirname(dbPath);
    const before = folderBytes(dataDir);

    // the database watcher notices, and the window says so (an error line and one notification)
    await until(() => api.log.recent.some((l) => l.startsWith('[error]') && TOO_NEW.test(l)), 'the refusal in the log', 15_000);
    // writes are refused with the message, whichever way they come
    await assert.rejects(api.engine.catchUp(), TOO_NEW);
    await assert.rejects(api.engine.updateProject(slug, { name: 'Renamed' }), TOO_NEW);
    const outcome = await vscode.commands.executeCommand<SyncOutcome | undefined>('sdlcLens.syncProject', slug);
    assert.notEqual(outcome?.sync_status, 'synced');
    assert.equal(api.runner.isRunning(slug), false, 'no sync left running');
    assert.equal(await vscode.commands.executeCommand('sdlcLens.registerProject', vscode.Uri.file(copyCorpus('sample', 'newer-second')), 'Second'), undefined);
    // the tree and the status bar show the projects as this window last read them, not "syncing"
    const roots = await children(api);
    assert.deepEqual(roots.map((r) => labelOf(r.item)), ['Older Window']);
    assert.doesNotMatch(api.statusBar.item.text, /syncing/);
    // one notification-worthy line however many times the folder changed and was refused
    const errors = api.log.recent.filter((l) => l.startsWith('[error]') && l.includes('Could not reload the database') && TOO_NEW.test(l));
    assert.equal(errors.length, 1, errors.join('\n'));
    // a changed document and Sync All write nothing either
    fs.appendFileSync(path.join(folder, 'prd.md'), '\nEdited while a newer SDLC Lens owns the database.\n');
    await vscode.commands.executeCommand('sdlcLens.syncAll');
    assert.deepEqual(folderBytes(dataDir), before, 'the data folder is byte-identical');
  });

  it('works on once the folder holds a database this version reads', async () => {
    putOursBack();
    await api.engine.catchUp();
    const outcome = await vscode.commands.executeCommand<SyncOutcome>('sdlcLens.syncProject', slug);
    assert.equal(outcome?.sync_status, 'synced', outcome?.sync_error ?? '');
    assert.equal(outcome.updated, 1, 'the edit made meanwhile is picked up');
    ours = undefined;
  });
});
