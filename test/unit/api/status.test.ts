// R15 POST /projects/{slug}/documents/{type}/{doc_id}/status (writing.md §4) on a real server over a
// real engine and real files: 200 result, the envelopes 404, 409 CONFLICT / TRANSITION_BLOCKED, 422.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SKILL } from '../../support/corpora';
import { call } from './http-client';
import { describeShared, expectEnvelope, HARNESS_AUTH, openHarness, type Harness } from './harness';

const STORY = 'stories/US0001-browse-rooms-by-floor.md';
const URL_ = '/projects/harbor/documents/story/US0001-browse-rooms-by-floor/status';

describe('API R15 set status', function () {
  this.timeout(30_000);
  let h: Harness;
  let dir: string;
  beforeEach(async () => {
    h = await openHarness();
    dir = h.corpus('harbor');
    await h.register('Harbor', dir);
    assert.equal((await h.api.post('/projects/harbor/sync')).status, 202);
    await h.syncDone('harbor');
  });
  afterEach(async () => h.close());

  it('200: the result; the file changed in its value only; the document reads the new status at once', async () => {
    const before = fs.readFileSync(path.join(dir, STORY), 'utf8');
    const hash = (await h.api.get('/projects/harbor/documents/story/US0001-browse-rooms-by-floor')).json.file_hash;
    const r = await h.api.post(URL_, { status: 'review', expected_hash: hash });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, {
      doc_id: 'US0001-browse-rooms-by-floor',
      type: 'story',
      from: 'Done',
      to: 'Review',
      writer: 'sdlc-lens',
      changed: true,
      dry_run: false,
      file_path: STORY,
      warning: null,
    });
    assert.equal(fs.readFileSync(path.join(dir, STORY), 'utf8'), before.replace('> **Status:** Done', '> **Status:** Review'));
    assert.equal((await h.api.get('/projects/harbor/documents/story/US0001-browse-rooms-by-floor')).json.status, 'Review');
    // dry_run: 200, nothing changes
    const dry = await h.api.post(URL_, { status: 'Blocked', dry_run: true });
    assert.equal(dry.status, 200);
    assert.deepEqual([dry.json.changed, dry.json.dry_run, dry.json.to], [false, true, 'Blocked']);
    assert.match(fs.readFileSync(path.join(dir, STORY), 'utf8'), /> \*\*Status:\*\* Review/);
  });

  it('404 NOT_FOUND: unknown project, unknown document', async () => {
    expectEnvelope(await h.api.post('/projects/nope/documents/story/US0001-browse-rooms-by-floor/status', { status: 'Done' }), 404, 'NOT_FOUND');
    assert.equal(expectEnvelope(await h.api.post('/projects/harbor/documents/story/US0999-nope/status', { status: 'Done' }), 404, 'NOT_FOUND'), 'Document not found');
    // the type is part of the identity
    expectEnvelope(await h.api.post('/projects/harbor/documents/bug/US0001-browse-rooms-by-floor/status', { status: 'Done' }), 404, 'NOT_FOUND');
  });

  it('409 CONFLICT: expected_hash is not the file’s; nothing changes', async () => {
    const before = fs.readFileSync(path.join(dir, STORY));
    const message = expectEnvelope(await h.api.post(URL_, { status: 'Review', expected_hash: 'a'.repeat(64) }), 409, 'CONFLICT');
    assert.match(message, /changed on disk since it was read/);
    assert.deepEqual(fs.readFileSync(path.join(dir, STORY)), before);
  });

  it('422 VALIDATION_ERROR: a status the type does not allow, a bad body; 415 without a JSON body', async () => {
    assert.match(expectEnvelope(await h.api.post(URL_, { status: 'Fixed' }), 422, 'VALIDATION_ERROR'), /"Fixed" is not a status of story documents/);
    assert.match(expectEnvelope(await h.api.post(URL_, {}), 422, 'VALIDATION_ERROR'), /^status: field required$/);
    assert.match(expectEnvelope(await h.api.post(URL_, { status: '  ' }), 422, 'VALIDATION_ERROR'), /^status: must not be empty$/);
    assert.match(expectEnvelope(await h.api.post(URL_, { status: 'Done', dry_run: 'yes' }), 422, 'VALIDATION_ERROR'), /^dry_run: /);
    assert.match(expectEnvelope(await h.api.post(URL_, { status: 'Done', expected_hash: 'abc' }), 422, 'VALIDATION_ERROR'), /^expected_hash: /);
    expectEnvelope(await h.api.post(URL_, ['Done']), 422, 'VALIDATION_ERROR');
    expectEnvelope(await call(h.port, 'POST', `/api/v1${URL_}`, { raw: '{"status":"Done"}', headers: { 'content-type': 'text/plain', ...HARNESS_AUTH } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    // validation comes before the lookup: an unknown project with a bad body is a 422
    expectEnvelope(await h.api.post('/projects/nope/documents/story/x/status', {}), 422, 'VALIDATION_ERROR');
    expectEnvelope(await h.api.get(URL_), 405, 'METHOD_NOT_ALLOWED');
  });
});

describe('API R15 behind the token', function () {
  this.timeout(30_000);
  it('401 without the bearer token; 200 with it', async () => {
    const h = await openHarness({ token: 'secret-token' });
    try {
      const dir = h.corpus('harbor');
      await h.register('Harbor', dir);
      await h.api.post('/projects/harbor/sync');
      await h.syncDone('harbor');
      expectEnvelope(await call(h.port, 'POST', `/api/v1${URL_}`, { body: { status: 'Review' } }), 401, 'UNAUTHORIZED');
      assert.match(fs.readFileSync(path.join(dir, STORY), 'utf8'), /> \*\*Status:\*\* Done/);
      assert.equal((await h.api.post(URL_, { status: 'Review' })).status, 200);
    } finally {
      await h.close();
    }
  });
});

describeShared('API R15 through sdlc-studio (real transition.py)', function () {
  this.timeout(60_000);
  it('409 TRANSITION_BLOCKED with the skill’s reason as the message; 200 with writer sdlc-studio otherwise', async () => {
    const h = await openHarness();
    try {
      const dir = h.corpus('harbor');
      fs.cpSync(SKILL, path.join(path.dirname(dir), '.claude', 'skills', 'sdlc-studio'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'stories/US0099-bare.md'), '# US0099: Bare\n\n> **Status:** Draft\n');
      await h.register('Harbor', dir);
      await h.api.post('/projects/harbor/sync');
      await h.syncDone('harbor');
      const blocked = await h.api.post('/projects/harbor/documents/story/US0099-bare/status', { status: 'Done' });
      assert.match(expectEnvelope(blocked, 409, 'TRANSITION_BLOCKED'), /^US0099 -> Done blocked .*no acceptance criteria/);
      assert.equal(fs.readFileSync(path.join(dir, 'stories/US0099-bare.md'), 'utf8'), '# US0099: Bare\n\n> **Status:** Draft\n');
      const ok = await h.api.post('/projects/harbor/documents/story/US0099-bare/status', { status: 'Ready' });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.json.writer, 'sdlc-studio');
    } finally {
      await h.close();
    }
  });
});
