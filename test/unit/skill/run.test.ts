import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SkillLocation } from '../../../src/core/skill/discover';
import { runSkillScript } from '../../../src/core/skill/run';

describe('runSkillScript (a real python3)', () => {
  let tmp: string;
  let skill: SkillLocation;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-run-'));
    fs.mkdirSync(path.join(tmp, 'scripts'));
    skill = { dir: tmp, scripts: path.join(tmp, 'scripts'), source: 'setting', version: null };
    fs.writeFileSync(path.join(tmp, 'scripts', 'echo.py'), 'import sys, json\nprint("log line")\nprint(json.dumps({"args": sys.argv[1:]}))\nsys.exit(int(sys.argv[1]))\n');
    fs.writeFileSync(path.join(tmp, 'scripts', 'hang.py'), 'import time\nwhile True: time.sleep(1)\n');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('passes the arguments, reads the exit code and the JSON line', async () => {
    const r = await runSkillScript(skill, 'python3', 'echo.py', ['1', '--format', 'json']);
    assert.equal(r.code, 1);
    assert.deepEqual(r.json, { args: ['1', '--format', 'json'] });
    assert.equal(r.failure, undefined);
  });

  it('kills a script past its time limit and says so', async () => {
    const r = await runSkillScript(skill, 'python3', 'hang.py', [], { timeoutMs: 300 });
    assert.equal(r.code, null);
    assert.equal(r.failure, 'timeout');
  });

  it('a cancelled run ends with failure "cancelled"', async () => {
    const ac = new AbortController();
    const p = runSkillScript(skill, 'python3', 'hang.py', [], { signal: ac.signal });
    ac.abort();
    const r = await p;
    assert.equal(r.failure, 'cancelled');
  });

  it('a missing interpreter is a spawn failure, not a throw', async () => {
    const r = await runSkillScript(skill, path.join(tmp, 'no-such-python'), 'echo.py', ['0']);
    assert.equal(r.failure, 'spawn');
    assert.equal(r.code, null);
    assert.match(r.error ?? '', /ENOENT/);
  });
});
