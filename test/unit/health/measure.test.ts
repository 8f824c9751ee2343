// measureHealth (the benchmark's stats and health rows) over a real engine and the sample project:
// the figures it returns describe the work really done, wall and CPU time side by side.
import assert from 'node:assert/strict';
import { measureHealth, type TimingMs } from '../../../src/core/health/measure';
import { registerAndSync, SAMPLE_DOCS, Sandbox } from '../engine/helpers';

describe('measureHealth', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  beforeEach(() => {
    sb = new Sandbox();
  });
  afterEach(() => sb.dispose());

  it('times stats, the repeated and the first health check of a synced project; counts match the engine', async () => {
    const engine = await sb.engine();
    const outcome = await registerAndSync(engine, 'Harbor', sb.corpus('harbor'));
    assert.equal(outcome.sync_status, 'synced');
    const m = measureHealth(engine, outcome.slug, 3, 1);
    assert.equal(m.documents, SAMPLE_DOCS);
    assert.equal(m.runs, 3);
    assert.equal(m.findings, engine.healthCheck(outcome.slug).findings.length);
    assert.ok(m.findings > 0, 'the sample has deliberate findings');
    for (const [name, t] of Object.entries({ p: m.project_stats, a: m.all_stats, h: m.health_check, f: m.health_check_first }) as [string, TimingMs][]) {
      for (const k of ['median', 'p95', 'max', 'best', 'cpu_median', 'cpu_best'] as const) {
        assert.ok(Number.isFinite(t[k]) && t[k] >= 0, `${name}.${k} = ${t[k]}`);
      }
      assert.ok(t.best <= t.median && t.median <= t.p95 && t.p95 <= t.max, `${name}: ${JSON.stringify(t)}`);
      assert.ok(t.cpu_best <= t.cpu_median, `${name}: ${JSON.stringify(t)}`);
    }
  });
});
