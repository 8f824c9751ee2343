// The writer's engine methods through the extension's path: the worker thread's client (real worker
// threads running the TypeScript entry through tsx). They are forwarded by name; the skill settings
// given to configureSkill survive a worker that died and was restarted.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { LensError } from '../../../src/core/errors';
import { EngineClient } from '../../../src/core/worker/client';
import { SKILL } from '../../support/corpora';
import { hasShared, Sandbox } from '../engine/helpers';

const ENTRY = path.resolve(__dirname, '../../../src/core/worker/engineWorker.ts');
const STORY = 'stories/US0001-browse-rooms-by-floor.md';

describe('status writer through the engine worker', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let client: EngineClient;
  let workers: Worker[];
  beforeEach(() => {
    sb = new Sandbox();
    workers = [];
    client = new EngineClient({
      dataDir: sb.dataDir,
      createWorker: (init) => {
        const w = new Worker(`require('tsx/cjs'); require(${JSON.stringify(ENTRY)});`, { eval: true, workerData: init });
        workers.push(w);
        return w;
      },
    });
  });
  afterEach(async () => {
    await client.close();
    await sb.dispose();
  });

  it('setStatus, statusChoices and findDocuments are forwarded; the result is plain data', async () => {
    const root = sb.corpus('harbor');
    const e = client.engine;
    await e.registerProject({ name: 'Harbor', sdlc_path: root });
    await (await e.startSync('harbor')).done;
    const [found] = await e.findDocuments('US0001');
    assert.equal(found!.file_path, STORY);
    const choices = await e.statusChoices('harbor', 'story');
    assert.equal(choices[0]!.status, 'Proposed');
    const r = await e.setStatus({ slug: 'harbor', type: 'story', doc_id: found!.doc_id, status: 'Review' });
    assert.deepEqual([r.from, r.to, r.changed], ['Done', 'Review', true]);
    assert.equal((await e.getDocument('harbor', 'story', found!.doc_id)).status, 'Review');
    await assert.rejects(e.setStatus({ slug: 'harbor', type: 'story', doc_id: found!.doc_id, status: 'Nope' }), (err: unknown) => err instanceof LensError && err.code === 'VALIDATION_ERROR');
  });

  if (hasShared()) {
    it('configureSkill reaches the worker and a restarted worker keeps it', async () => {
      const root = sb.corpus('harbor');
      fs.cpSync(SKILL, path.join(path.dirname(root), '.claude', 'skills', 'sdlc-studio'), { recursive: true });
      const e = client.engine;
      await e.registerProject({ name: 'Harbor', sdlc_path: root });
      await (await e.startSync('harbor')).done;
      await e.configureSkill({ python: path.join(sb.root, 'no-python-here') });
      const req = { slug: 'harbor', type: 'story', doc_id: 'US0001-browse-rooms-by-floor', status: 'Review' };
      const blocked = (err: unknown) => err instanceof LensError && err.code === 'TRANSITION_BLOCKED' && /no-python-here/.test(err.message);
      await assert.rejects(e.setStatus(req), blocked);
      await workers[0]!.terminate(); // as if the thread crashed
      await assert.rejects(e.setStatus(req), blocked);
      assert.equal(client.startCount, 2);
      await e.configureSkill({ python: 'python3' });
      assert.equal((await e.setStatus(req)).writer, 'sdlc-studio');
    });
  }
});
