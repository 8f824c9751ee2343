// Several writers (issue 11, "Prove"): three processes each doing ≥ 50 interleaved
// register/sync/rename/sync cycles on one data folder, all of them also syncing one shared project.
// Read back at the end from the stored database and a fresh engine: every project each process
// registered is there under its new name, `synced`, with every document; nothing is `syncing`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { dbRows, Lab, SAMPLE_DOCS } from './support';

const CYCLES = Number(process.env.LENS_WRITER_CYCLES ?? 50);
const WRITERS = ['alpha', 'beta', 'gamma'];

function writer(lab: Lab, who: string): Promise<{ cycles: number; sharedSynced: number; sharedBusy: number }> {
  const child = spawn(process.execPath, ['--import', require.resolve('tsx'), path.join(__dirname, 'writer-child.ts'), lab.dataDir, lab.root, who, String(CYCLES)]);
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  return new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${who} exited ${code}: ${err}`)))),
  );
}

describe('reliability: several writer processes on one data folder', function () {
  this.timeout(300_000);
  let lab: Lab;
  beforeEach(() => {
    lab = new Lab();
  });
  afterEach(() => lab.dispose());

  it(`${WRITERS.length} processes × ${CYCLES} register/sync/rename/sync cycles: no lost update, no stuck project`, async () => {
    const engine = await lab.engine();
    await engine.registerProject({ name: 'shared', sdlc_path: lab.sample('shared') });
    await engine.close();
    const tallies = await Promise.all(WRITERS.map((w) => writer(lab, w)));
    for (const t of tallies) assert.equal(t.cycles, CYCLES);

    const rows = await dbRows(lab.dbPath, 'SELECT p.slug, p.name, p.sync_status, p.sync_error, (SELECT count(*) FROM documents d WHERE d.project_id = p.id) AS n FROM projects p ORDER BY p.id');
    const expected = [['shared', 'shared', 'synced', null, SAMPLE_DOCS]];
    const got = new Map(rows.map((r) => [r.name, [r.slug, r.name, r.sync_status, r.sync_error, r.n]]));
    assert.equal(rows.length, 1 + WRITERS.length * CYCLES, 'every registration is stored');
    assert.deepEqual(got.get('shared'), expected[0]);
    for (const w of WRITERS) {
      for (let i = 0; i < CYCLES; i++) {
        const r = got.get(`${w} ${i} renamed`);
        assert.ok(r, `${w} ${i}: the rename is stored`);
        assert.deepEqual(r.slice(2), ['synced', null, 3], `${w} ${i}`);
      }
    }
    assert.ok(tallies.reduce((a, t) => a + t.sharedSynced, 0) > 0, 'the shared project was synced');
    // a fresh engine reads the same
    const fresh = await lab.engine();
    assert.deepEqual(fresh.listProjects().filter((p) => p.sync_status !== 'synced'), []);
    assert.equal(fresh.listProjects().length, rows.length);
    console.log(`      shared project: ${tallies.map((t) => `${t.sharedSynced} synced/${t.sharedBusy} busy`).join(', ')}`);
  });
});
