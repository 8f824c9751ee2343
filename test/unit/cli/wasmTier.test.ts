// Which commands run sql.js's wasm on V8's baseline compiler only (cli/wasmTier.ts): the brief
// ones, and a sync that is a re-sync of what the data folder already has. Each case is a new CLI
// process; `--debug` says what it chose.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { BASELINE_ONLY_LINE } from '../../../src/cli/wasmTier';
import { bigCorpus, cliSandboxes, runCli } from '../engine/helpers';

describe('CLI: the wasm compiler tier a process chooses', function () {
  this.timeout(120_000);
  const sandbox = cliSandboxes();

  it('a folder\'s first sync keeps both compilers; its re-syncs (by folder, slug, --all) are brief; --rehash is not', async () => {
    const sb = sandbox();
    const folder = bigCorpus(sb, 'tiers', 1);
    const data = ['--data-dir', sb.dataDir];
    const baselineOnly = async (args: string[]): Promise<boolean> => {
      const r = await runCli([...args, '--debug', ...data]);
      assert.equal(r.code, 0, r.stderr);
      return r.stderr.includes(BASELINE_ONLY_LINE);
    };
    assert.equal(await baselineOnly(['sync', folder]), false, 'the first sync: a cold sync');
    assert.equal(await baselineOnly(['sync', folder]), true, 'a re-sync of the registered folder');
    assert.equal(await baselineOnly(['sync', path.join(folder, '..', 'sdlc-studio')]), true, 'the same folder spelt another way');
    assert.equal(await baselineOnly(['sync', 'tiers']), true, 'by slug');
    assert.equal(await baselineOnly(['sync', '--all']), true);
    assert.equal(await baselineOnly(['sync', 'tiers', '--rehash']), false, 'every file read again');
    assert.equal(await baselineOnly(['sync', bigCorpus(sb, 'other', 1)]), false, 'another folder\'s first sync');
    assert.equal(await baselineOnly(['projects']), true);
    assert.equal(await baselineOnly(['search', 'acceptance']), true);
  });
});
