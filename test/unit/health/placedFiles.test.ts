// The engine keeps each project's latest placed diagnostics (health/placement.ts DiagnosticsPlacer),
// so the extension asks healthDiagnostics for no files and healthFiles for the ones it shows: the
// open files for the Problems panel, a board's cards. Real temp folders, a real database file; the
// expected files and counts come from the report (healthCheck), not from the placer.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileDiagnostics } from '../../../src/core/health/placement';
import type { HealthReport } from '../../../src/core/health/types';
import { sandboxPerTest } from '../engine/helpers';

const NO_STATUS = 'stories/US-01KZH5K9-accessibility-notes-per-room.md';

/** Findings per affected file (absolute path), from the report alone. */
function findingsPerFile(report: HealthReport, sdlc: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of report.findings) {
    for (const d of f.affected_documents) {
      const abs = path.resolve(sdlc, d.file_path);
      out.set(abs, (out.get(abs) ?? 0) + 1);
    }
  }
  return out;
}

const counts = (files: readonly FileDiagnostics[]) => new Map(files.map((f) => [f.absPath, f.diagnostics.length]));

describe('health: the placed diagnostics stay in the engine; a caller takes the files it shows', () => {
  const t = sandboxPerTest();
  let sdlc: string;
  let slug: string;

  beforeEach(async () => {
    sdlc = fs.realpathSync(t.sb.corpus('harbor'));
    slug = (await t.engine.registerProject({ name: 'Harbor', sdlc_path: sdlc })).slug;
    assert.equal((await (await t.engine.startSync(slug)).done).sync_status, 'synced');
  });

  it('an answer with no files has the same report and hash; healthFiles gives exactly the files asked for', () => {
    const all = t.engine.healthDiagnostics(slug);
    const none = t.engine.healthDiagnostics(slug, { files: [] });
    assert.ok(!all.unchanged && !none.unchanged);
    assert.equal(none.hash, all.hash);
    assert.deepEqual(none.files, []);
    assert.deepEqual(none.report.findings, all.report.findings);
    // every file the report names, each with one diagnostic per finding on it
    const expected = findingsPerFile(t.engine.healthCheck(slug), sdlc);
    assert.ok(expected.size > 3, `${expected.size} files with findings in the sample`);
    const kept = t.engine.healthFiles(slug, none.hash, 'all');
    assert.ok(!kept.stale);
    assert.deepEqual(counts(kept.files), expected);
    assert.deepEqual(kept.files, all.files);
    // two of them and a path with no findings: the two, nothing for the other
    const [a, b] = [...expected.keys()].slice(1, 3);
    const some = t.engine.healthFiles(slug, none.hash, [b!, path.join(sdlc, 'nowhere.md'), a!]);
    assert.ok(!some.stale);
    assert.deepEqual(new Set(some.files.map((f) => f.absPath)), new Set([a, b]));
    assert.deepEqual(counts(some.files), new Map([a!, b!].map((p) => [p, expected.get(p)])));
    const asked = t.engine.healthDiagnostics(slug, { files: [a!] });
    assert.ok(!asked.unchanged);
    assert.deepEqual(asked.files.map((f) => f.absPath), [a]);
  });

  it('an older hash is stale after the findings change; an "unchanged" answer keeps the files; a removed project keeps none', async () => {
    const first = t.engine.healthDiagnostics(slug, { files: [] });
    assert.ok(!first.unchanged);
    const again = t.engine.healthDiagnostics(slug, { files: [], since: first.hash });
    assert.deepEqual(again, { unchanged: true, hash: first.hash, reads: 0 });
    assert.equal(t.engine.healthFiles(slug, first.hash).stale, false, 'the "unchanged" computation is the latest');
    // the story without a Status gets one: its MISSING_STATUS finding goes
    const file = path.join(sdlc, NO_STATUS);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('> **Story Points:** 2\n', '> **Story Points:** 2\n> **Status:** Draft\n'));
    assert.equal((await (await t.engine.startSync(slug)).done).sync_status, 'synced');
    const second = t.engine.healthDiagnostics(slug, { files: [], since: first.hash });
    assert.ok(!second.unchanged, 'the findings changed');
    assert.notEqual(second.hash, first.hash);
    assert.deepEqual(t.engine.healthFiles(slug, first.hash, 'all'), { stale: true });
    const now = t.engine.healthFiles(slug, second.hash, [file]);
    assert.ok(!now.stale);
    const rules = now.files.flatMap((f) => f.diagnostics.map((d) => d.rule_id));
    assert.ok(!rules.includes('MISSING_STATUS'), rules.join());
    await t.engine.deleteProject(slug);
    assert.deepEqual(t.engine.healthFiles(slug, second.hash), { stale: true });
  });
});
