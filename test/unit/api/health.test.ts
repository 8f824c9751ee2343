// R1 GET /system/health: 200 healthy, 503 unhealthy when the database cannot answer (seed edge case).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { VERSION } from '../../../src/core/version';
import { expectEnvelope, openHarness, type Harness } from './harness';

describe('API system health (R1)', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('200 {"status":"healthy","database":"connected","version",…}', async () => {
    h = await openHarness();
    const r = await h.api.get('/system/health');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(r.json, {
      status: 'healthy',
      database: 'connected',
      version: VERSION,
      migration_ok: true,
      fts_ok: true,
      ready: true,
    });
  });

  it('reports the version it was started with (the extension passes its own)', async () => {
    h = await openHarness({ version: '9.8.7' });
    assert.equal((await h.api.get('/system/health')).json.version, '9.8.7');
  });

  it('503 with status "unhealthy" (same body shape) when the database cannot answer', async () => {
    h = await openHarness();
    const down = {
      status: 'unhealthy',
      database: 'disconnected',
      version: VERSION,
      migration_ok: false,
      fts_ok: false,
      ready: false,
    };
    // Really unreachable: the database file is replaced by a folder under the running engine.
    await h.register('p', h.corpus('p'));
    fs.rmSync(h.engine.dbPath);
    fs.mkdirSync(h.engine.dbPath);
    const r = await h.api.get('/system/health');
    assert.equal(r.status, 503, JSON.stringify(r.json));
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(r.json, down);
    fs.rmdirSync(h.engine.dbPath);
  });

  it('503 "unhealthy" once the engine is closed (the server keeps running)', async () => {
    h = await openHarness();
    await h.engine.close();
    const r = await h.api.get('/system/health');
    assert.equal(r.status, 503);
    assert.equal(r.json.status, 'unhealthy');
  });

  it('other routes answer 503 DATABASE_UNAVAILABLE (envelope) once the database is closed', async () => {
    h = await openHarness();
    await h.engine.close();
    expectEnvelope(await h.api.get('/projects/any'), 503, 'DATABASE_UNAVAILABLE');
    expectEnvelope(await h.api.post('/projects/any/sync'), 503, 'DATABASE_UNAVAILABLE');
  });
});
