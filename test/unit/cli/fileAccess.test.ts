// The built CLI (dist/cli.js, the bundle users run, with dist/sql-wasm.js beside it) loads sql.js
// with the store's file access on (store/sqljs.ts: folds and opens without image-sized copies), and
// what it folds is read back by python3's sqlite3. A new process per step; `--debug` says which.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { LARGE_RUN_DOCUMENTS } from '../../../src/core/store/ftsIndex';
import { FILE_ACCESS_ON } from '../../../src/core/store/sqljs';
import { bigCorpus, cliSandboxes, pythonRows, runCli } from '../engine/helpers';

describe('CLI: the bundle reaches sql.js\'s file without copies', function () {
  this.timeout(120_000);
  const sandbox = cliSandboxes();

  it('a cold sync, a re-sync and a search each load the patched sql.js; the folded image is sound to another reader', async () => {
    const sb = sandbox();
    const folder = bigCorpus(sb, 'access', 7); // past LARGE_RUN_DOCUMENTS: the sync's process folds its index into the image
    const data = ['--data-dir', sb.dataDir];
    for (const args of [['sync', folder], ['sync', 'access'], ['search', 'acceptance']]) {
      const r = await runCli([...args, '--debug', ...data]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stderr.includes(FILE_ACCESS_ON), `${args[0]}: ${r.stderr.split('\n').slice(0, 5).join(' | ')}`);
    }
    const db = path.join(sb.dataDir, 'sdlc-lens.db');
    const [[check]] = pythonRows(db, 'PRAGMA integrity_check');
    const [[docs, indexed]] = pythonRows(db, 'SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM documents_fts_docsize)');
    assert.equal(check, 'ok');
    assert.ok(Number(docs) >= LARGE_RUN_DOCUMENTS, `${docs} documents`);
    assert.equal(indexed, docs, 'the index the sync built was folded with the documents');
  });
});
