// The manifest claims only what the harness tests: engines.vscode's floor is the minimum version the
// integration and e2e suites run on (test/harness/vscode-versions.ts), and @types/vscode is not newer
// (the API the code compiles against must exist in that minimum; vsce refuses a package otherwise).
import * as assert from 'node:assert/strict';
import { PKG } from '../../support/manifest';
import { MINIMUM, STABLE, TARGETS, selectedTargets } from '../../harness/vscode-versions';

const minor = (v: string) => v.split('.').slice(0, 2).join('.');

describe('tested VS Code versions', () => {
  it('engines.vscode is ^<the minimum the harness runs>.0', () => {
    assert.equal(PKG.engines.vscode, `^${minor(MINIMUM.vscode)}.0`);
  });

  it('@types/vscode is no newer than the minimum', () => {
    const types = String(PKG.devDependencies['@types/vscode']).replace(/^[\^~]/, '');
    const [a, b] = types.split('.').map(Number);
    const [c, d] = MINIMUM.vscode.split('.').map(Number);
    assert.ok(a < c || (a === c && b <= d), `@types/vscode ${types} is newer than VS Code ${MINIMUM.vscode}`);
  });

  it('each target is named by its own major.minor and the stable is the newest', () => {
    for (const [id, t] of Object.entries(TARGETS)) assert.equal(minor(t.vscode), id);
    const newest = selectedTargets('all').at(-1);
    assert.equal(newest, STABLE);
  });

  describe('SDLC_LENS_VSCODE', () => {
    const saved = process.env.SDLC_LENS_VSCODE;
    afterEach(() => {
      if (saved === undefined) delete process.env.SDLC_LENS_VSCODE;
      else process.env.SDLC_LENS_VSCODE = saved;
    });
    const pick = (v: string | undefined, fallback = 'all') => {
      if (v === undefined) delete process.env.SDLC_LENS_VSCODE;
      else process.env.SDLC_LENS_VSCODE = v;
      return selectedTargets(fallback).map((t) => t.id);
    };

    it('unset: the fallback (all for the tests, the stable for npm start)', () => {
      assert.deepEqual(pick(undefined), ['1.100', '1.139']);
      assert.deepEqual(pick(undefined, STABLE.id), ['1.139']);
      assert.deepEqual(pick(''), ['1.100', '1.139']);
    });

    it('one version, several (oldest first, once each), or all', () => {
      assert.deepEqual(pick('1.139'), ['1.139']);
      assert.deepEqual(pick('1.139, 1.100,1.139'), ['1.100', '1.139']);
      assert.deepEqual(pick('all', STABLE.id), ['1.100', '1.139']);
    });

    it('an unknown version stops with the accepted ones', () => {
      assert.throws(() => pick('1.90'), /SDLC_LENS_VSCODE=1\.90: use 1\.100, 1\.139 or all/);
      assert.throws(() => pick(','), /use 1\.100, 1\.139 or all/);
    });
  });
});
