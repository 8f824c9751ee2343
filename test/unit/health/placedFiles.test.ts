// The engine keeps each project's latest placed diagnostics (health/placement.ts DiagnosticsPlacer),
// so the extension asks healthDiagnostics for no files and healthFiles for the ones it shows: the
// open files for the Problems panel, a board's cards. Real temp folders, a real database file; the
// expected files and counts come from the report (healthCheck), not from the placer.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateCorpus } from '../../../bench/generate';
import { locate } from '../../../src/core/health/formats';
import { placedPath, placements, type FileDiagnostics } from '../../../src/core/health/placement';
import type { HealthFinding, HealthReport } from '../../../src/core/health/types';
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

/** The placements as computed before plain paths took a shortcut: locate's path arithmetic, then placedPath. */
function reference(report: HealthReport, sdlc: string, projectFile: string | null) {
  return report.findings.flatMap((f) =>
    locate(f, { sdlcPath: sdlc, baseDir: sdlc, projectFile }).map(({ doc, at }) => ({ absPath: at.folder ? sdlc : placedPath(sdlc, at.relPath), folder: at.folder, doc })),
  );
}
const placed = (report: HealthReport, sdlc: string, projectFile: string | null) => placements(report, sdlc, projectFile).map(({ absPath, folder, doc }) => ({ absPath, folder, doc }));

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

  it('an answer with no files has the same report and hash; healthFiles gives exactly the files asked for', async () => {
    const all = await t.engine.healthDiagnostics(slug);
    const none = await t.engine.healthDiagnostics(slug, { files: [] });
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
    const asked = await t.engine.healthDiagnostics(slug, { files: [a!] });
    assert.ok(!asked.unchanged);
    assert.deepEqual(asked.files.map((f) => f.absPath), [a]);
  });

  it('places every finding on the path the general path arithmetic gives: real reports, and paths that are not plain', async () => {
    const gen = fs.realpathSync(generateCorpus(path.join(t.sb.dir('gen'), 'sdlc-studio'), { documents: 600, seed: 5 }).root);
    const other = (await t.engine.registerProject({ name: 'Generated', sdlc_path: gen })).slug;
    assert.equal((await (await t.engine.startSync(other)).done).sync_status, 'synced');
    for (const [s, root] of [[slug, sdlc], [other, gen]] as const) {
      const report = t.engine.healthCheck(s);
      assert.ok(report.findings.length > 10, `${report.findings.length} findings in ${root}`);
      assert.deepEqual(placed(report, root, 'prd.md'), reference(report, root, 'prd.md'));
    }
    const odd = ['./a.md', 'a/../b.md', 'a//b.md', '../outside.md', 'x\\y.md', '.hidden/z.md', 'c:/d.md', '..x/e.md', 'stories/US0001.md'];
    const finding = (file_path: string): HealthFinding => ({
      rule_id: 'MISSING_PLAN', severity: 'medium', category: 'completeness', message: 'm', suggested_fix: 'f',
      affected_documents: [{ doc_id: 'X', doc_type: 'story', title: 'X', file_path }],
    });
    const report: HealthReport = { project_slug: 'x', checked_at: '', total_documents: odd.length, findings: [...odd.map(finding), { ...finding('p'), affected_documents: [] }], summary: { critical: 0, high: 0, medium: odd.length + 1, low: 0 }, score: 50 };
    for (const root of [sdlc, `${sdlc}/`, `${sdlc}/../${path.basename(sdlc)}`, '/']) {
      for (const pf of [null, 'prd.md']) assert.deepEqual(placed(report, root, pf), reference(report, root, pf), `${root} ${pf}`);
    }
  });

  it('an older hash is stale after the findings change; an "unchanged" answer keeps the files; a removed project keeps none', async () => {
    const first = await t.engine.healthDiagnostics(slug, { files: [] });
    assert.ok(!first.unchanged);
    const again = await t.engine.healthDiagnostics(slug, { files: [], since: first.hash });
    assert.deepEqual(again, { unchanged: true, hash: first.hash, reads: 0 });
    assert.equal(t.engine.healthFiles(slug, first.hash).stale, false, 'the "unchanged" computation is the latest');
    // the story without a Status gets one: its MISSING_STATUS finding goes
    const file = path.join(sdlc, NO_STATUS);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('> **Story Points:** 2\n', '> **Story Points:** 2\n> **Status:** Draft\n'));
    assert.equal((await (await t.engine.startSync(slug)).done).sync_status, 'synced');
    const second = await t.engine.healthDiagnostics(slug, { files: [], since: first.hash });
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
