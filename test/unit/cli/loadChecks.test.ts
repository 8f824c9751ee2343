// sql.js's load checks (store/loadChecks.ts): a new CLI process skips them when an earlier one
// recorded their pass for this sql.js, this build and this Node. Observed from outside: the paged
// file's check needs a scratch file in the temp folder, so a process whose TMPDIR is a plain file
// fails that check (its database file then stays in memory) unless it does not run it at all.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECKS_FILE, checksKey } from '../../../src/core/store/loadChecks';
import { LOAD_CHECKS_SKIPPED } from '../../../src/core/store/sqljs';
import { PAGED_FILES_ON } from '../../../src/core/store/sqljsPaged';
import { cliSandboxes, runCli, type Sandbox } from '../engine/helpers';

const KEY = /^[0-9a-f]{64}$/;
const verdicts = (sb: Sandbox): string[] => fs.readFileSync(path.join(sb.dataDir, CHECKS_FILE), 'utf8').split('\n').filter(Boolean);

describe('CLI: sql.js\'s load checks run once per sql.js, build and Node', function () {
  this.timeout(120_000);
  const sandbox = cliSandboxes();

  async function cli(sb: Sandbox, args: string[], tmpUnusable = false): Promise<string> {
    const env: NodeJS.ProcessEnv = {};
    if (tmpUnusable) {
      const notAFolder = path.join(sb.root, 'tmp-is-a-file');
      fs.writeFileSync(notAFolder, '');
      env.TMPDIR = notAFolder;
    }
    const r = await runCli([...args, '--debug', '--data-dir', sb.dataDir], { env });
    assert.equal(r.code, 0, r.stderr);
    return r.stderr;
  }

  it('the first process checks and records the pass; the next ones skip the checks (they would fail with no temp folder)', async () => {
    const sb = sandbox();
    const folder = sb.corpus('p');
    // no verdict: the checks run, the scratch file cannot be made, the file stays in memory, nothing is recorded
    let log = await cli(sb, ['sync', folder], true);
    assert.ok(!log.includes(PAGED_FILES_ON) && !log.includes(LOAD_CHECKS_SKIPPED), log);
    assert.ok(!fs.existsSync(path.join(sb.dataDir, CHECKS_FILE)), 'a failed check is not recorded');
    // the checks pass: recorded
    log = await cli(sb, ['sync', 'p']);
    assert.ok(log.includes(PAGED_FILES_ON) && !log.includes(LOAD_CHECKS_SKIPPED), log);
    const [key, ...rest] = verdicts(sb);
    assert.match(key, KEY);
    assert.deepEqual(rest, []);
    // recorded: not run again, so the missing temp folder does not matter
    for (const args of [['projects'], ['search', 'booking'], ['sync', 'p']]) {
      log = await cli(sb, args, true);
      assert.ok(log.includes(LOAD_CHECKS_SKIPPED) && log.includes(PAGED_FILES_ON), `${args[0]}: ${log}`);
    }
    assert.deepEqual(verdicts(sb), [key], 'a skipped check writes nothing');
  });

  it('another build\'s verdict, or a damaged file, is not trusted: the checks run again and this one is added', async () => {
    const sb = sandbox();
    await cli(sb, ['sync', sb.corpus('p')]);
    const [ours] = verdicts(sb);
    const other = 'f'.repeat(64);
    fs.writeFileSync(path.join(sb.dataDir, CHECKS_FILE), `${other}\n`);
    let log = await cli(sb, ['projects'], true);
    assert.ok(!log.includes(LOAD_CHECKS_SKIPPED) && !log.includes(PAGED_FILES_ON), log);
    log = await cli(sb, ['projects']);
    assert.ok(!log.includes(LOAD_CHECKS_SKIPPED) && log.includes(PAGED_FILES_ON), log);
    assert.deepEqual(verdicts(sb), [ours, other], 'the other build\'s verdict is kept beside ours');
    fs.writeFileSync(path.join(sb.dataDir, CHECKS_FILE), Buffer.from([0xff, 0x00, 0x0a, 0x31]));
    log = await cli(sb, ['projects'], true);
    assert.ok(!log.includes(LOAD_CHECKS_SKIPPED), log);
    await cli(sb, ['projects']);
    assert.deepEqual(verdicts(sb), [ours]);
  });

  it('a data folder that cannot take the verdict: every command still works, each checks again', async () => {
    const sb = sandbox();
    const folder = sb.corpus('p');
    fs.mkdirSync(path.join(sb.dataDir, CHECKS_FILE), { recursive: true }); // a folder where the file would go
    for (const args of [['sync', folder], ['projects']]) {
      const log = await cli(sb, args);
      assert.ok(log.includes(PAGED_FILES_ON) && !log.includes(LOAD_CHECKS_SKIPPED), log);
    }
    assert.deepEqual(fs.readdirSync(path.join(sb.dataDir, CHECKS_FILE)), []);
    assert.deepEqual(fs.readdirSync(sb.dataDir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
  });

  it('the key names the sql.js, the bundle file and the Node; running from the sources has none', () => {
    const sb = sandbox();
    const bundle = path.join(sb.dir('b'), 'cli.js');
    fs.writeFileSync(bundle, '// a bundle');
    const wasm = new Uint8Array([0, 97, 115, 109, 1]);
    const key = checksKey('script', wasm, bundle);
    assert.match(key!, KEY);
    assert.equal(checksKey('script', wasm, bundle), key);
    assert.notEqual(checksKey('script!', wasm, bundle), key);
    assert.notEqual(checksKey('script', new Uint8Array([0, 97, 115, 109, 2]), bundle), key);
    fs.utimesSync(bundle, new Date(), new Date(Date.now() + 5_000));
    assert.notEqual(checksKey('script', wasm, bundle), key, 'a rebuilt bundle (new mtime) checks again');
    assert.equal(checksKey('script', wasm, path.join(sb.root, 'src', 'sqljs.ts')), null);
    assert.equal(checksKey('script', wasm, path.join(sb.root, 'missing.js')), null);
  });
});
