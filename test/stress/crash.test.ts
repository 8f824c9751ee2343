// The long crash-safety variant (npm run test:stress): the CLI sync SIGKILLed LENS_CRASH_KILLS
// times (default 500) at random instants; the invariants are checked after every kill
// (test/unit/reliability/crash-run.ts). LENS_CRASH_SEED replays a run.
import assert from 'node:assert/strict';
import { ensureCliBuilt, Sandbox } from '../unit/engine/helpers';
import { crashLoop } from '../unit/reliability/crash-run';

const KILLS = Number(process.env.LENS_CRASH_KILLS ?? 500);
const SEED = Number(process.env.LENS_CRASH_SEED ?? 0xc4a5);

describe('stress: crash safety', () => {
  let sb: Sandbox;
  before(() => ensureCliBuilt());
  beforeEach(() => {
    sb = new Sandbox();
  });
  afterEach(() => sb.dispose());

  it(`${KILLS} SIGKILLs of a CLI sync (seed ${SEED}): nothing stuck, nothing lost`, async () => {
    const f = await crashLoop(sb, sb.corpus('crash'), KILLS, SEED);
    console.log('      ', JSON.stringify(f));
    assert.ok(f.kills >= KILLS);
  });
});
