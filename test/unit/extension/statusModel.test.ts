import * as assert from 'node:assert/strict';
import { UiState } from '../../../src/extension/state';
import {
  initialState,
  isMissingFolderError,
  progressStep,
  renderStatus,
  summarizeCounts,
  syncAllSummary,
  type ProjectState,
  type State,
} from '../../../src/extension/statusModel';
import type { SyncOutcome } from '../../../src/core/types';

const project = (over: Partial<ProjectState> = {}): ProjectState => ({
  slug: 'lens',
  name: 'Lens',
  sync_status: 'synced',
  sync_error: null,
  document_count: 10,
  last_synced_at: '2026-01-01T00:00:00Z',
  ...over,
});
const state = (over: Partial<State>): State => ({ ...initialState, ready: true, ...over });

describe('renderStatus', () => {
  it('is hidden before the database is open and with no projects', () => {
    assert.equal(renderStatus(initialState).visible, false);
    assert.equal(renderStatus(state({ projects: [] })).visible, false);
  });

  it('shows the document total when everything is synced, and focuses the tree on click', () => {
    const v = renderStatus(state({ projects: [project(), project({ slug: 'b', name: 'B', document_count: 5, sync_status: 'never_synced' })] }));
    assert.equal(v.visible, true);
    assert.equal(v.text, '$(check) SDLC: 15 docs');
    assert.equal(v.backgroundColor, undefined);
    assert.equal(v.command?.id, 'sdlcLens.projects.focus');
    assert.match(v.tooltip, /Lens — synced, 10 documents/);
    assert.match(v.tooltip, /B — never synced, 5 documents/);
  });

  it('never says "0 docs" before anything synced: "not synced", and the click syncs', () => {
    const fresh = project({ sync_status: 'never_synced', document_count: 0, last_synced_at: null });
    const one = renderStatus(state({ projects: [fresh] }));
    assert.equal(one.text, '$(circle-outline) SDLC: not synced');
    assert.deepEqual(one.command, { id: 'sdlcLens.syncProject', title: 'Sync Project', args: ['lens'] });
    const two = renderStatus(state({ projects: [fresh, { ...fresh, slug: 'b', name: 'B' }] }));
    assert.equal(two.text, '$(circle-outline) SDLC: not synced');
    assert.equal(two.command?.id, 'sdlcLens.syncAll');
    assert.doesNotMatch(two.text, /0 docs/);
  });

  it('moves the progress through reading and applying', () => {
    assert.deepEqual(progressStep({ phase: 'collecting', seen: 0, total: 0 }), { pct: 0, message: 'listing files…' });
    assert.deepEqual(progressStep({ phase: 'collecting', seen: 194, total: 388 }), { pct: 40, message: 'reading files 194/388' });
    assert.equal(progressStep({ phase: 'applying', seen: 388, total: 388 }).pct, 85);
    assert.equal(progressStep({ phase: 'done', seen: 0, total: 0 }).pct, 100);
  });

  it('sums up Sync All in one message with counts', () => {
    const o = (over: Partial<SyncOutcome>): SyncOutcome => ({
      slug: 'a', sync_status: 'synced', sync_error: null, document_count: 1, duration_ms: 1, added: 2, updated: 1, skipped: 0, deleted: 0,
      errors: 0, file_errors: [], cancelled: false, ...over,
    });
    assert.equal(syncAllSummary([o({}), o({ slug: 'b', added: 3 })], 2), 'Sync All (2 projects): 2 synced — 5 added, 2 updated, 0 deleted.');
    assert.equal(
      syncAllSummary([o({}), o({ slug: 'b', sync_status: 'error', added: 0, updated: 0 })], 3),
      'Sync All (3 projects): 1 synced, 1 failed, 1 not run — 2 added, 1 updated, 0 deleted.',
    );
  });

  it('recognises a missing folder (offers Change Folder…)', () => {
    assert.equal(isMissingFolderError('sdlc-studio path not found: /x/sdlc-studio'), true);
    assert.equal(isMissingFolderError('2 files could not be read'), false);
    assert.equal(isMissingFolderError('No sdlc-studio path configured for this project'), true);
    assert.equal(isMissingFolderError('ENOENT: no such file or directory, open x'), false, 'by the code of the message core wrote, not any text that looks alike');
  });

  it('shows errors with the error background; the click shows the first one', () => {
    const v = renderStatus(
      state({ projects: [project({ slug: 'a', name: 'A', sync_status: 'error', sync_error: 'path not found' }), project({ slug: 'b', name: 'B', sync_status: 'error' })] }),
    );
    assert.equal(v.text, '$(error) SDLC: 2 errors');
    assert.equal(v.backgroundColor, 'error');
    assert.deepEqual(v.command?.args, ['a']);
    assert.equal(v.command?.id, 'sdlcLens.showProjectError');
    assert.match(v.tooltip, /A — error, 10 documents: path not found/);
    assert.equal(renderStatus(state({ projects: [project({ sync_status: 'error' })] })).text, '$(error) SDLC: 1 error');
  });

  it('shows a running sync over everything else, with progress in the tooltip', () => {
    const v = renderStatus(
      state({
        projects: [project({ slug: 'a', name: 'A', sync_status: 'error' }), project({ slug: 'b', name: 'B', sync_status: 'syncing' })],
        running: [{ slug: 'b', origin: 'user', phase: 'applying', seen: 3, total: 8 }],
      }),
    );
    assert.equal(v.text, '$(sync~spin) SDLC: syncing B');
    assert.equal(v.backgroundColor, undefined);
    assert.deepEqual([v.command?.id, v.command?.args], ['sdlcLens.cancelSync', ['b']]);
    assert.match(v.tooltip, /B — syncing 3\/8 files/);
  });

  it('shows a sync run by another window (stored status) and counts several', () => {
    const v = renderStatus(
      state({
        projects: [project({ slug: 'a', name: 'A', sync_status: 'syncing' }), project({ slug: 'b', name: 'B', sync_status: 'syncing' })],
        running: [{ slug: 'b', origin: 'auto', phase: 'starting', seen: 0, total: 0 }],
      }),
    );
    assert.equal(v.text, '$(sync~spin) SDLC: syncing B (+1)');
  });

  it('lists the API server in the tooltip', () => {
    const v = renderStatus(state({ projects: [project()], api: { status: 'running', port: 7878, url: 'http://127.0.0.1:7878/api/v1' } }));
    assert.match(v.tooltip, /API server: http:\/\/127\.0\.0\.1:7878\/api\/v1/);
  });

  it('summarises counts', () => {
    assert.equal(summarizeCounts({ added: 3, updated: 2, deleted: 0, errors: 1 }), '3 added, 2 updated, 0 deleted, 1 error');
  });
});

describe('UiState', () => {
  it('replaces the state on each change and notifies', () => {
    const store = new UiState();
    const seen: State[] = [];
    const sub = store.onDidChange((s) => seen.push(s));
    store.setProjects([
      { slug: 'z', name: 'Zed', sdlc_path: '/z', source_type: 'local', sync_status: 'synced', sync_error: null, schema_version: null, profile: null, last_synced_at: null, document_count: 1, created_at: '' },
      { slug: 'a', name: 'Alpha', sdlc_path: '/a', source_type: 'local', sync_status: 'synced', sync_error: null, schema_version: null, profile: null, last_synced_at: null, document_count: 2, created_at: '' },
    ]);
    store.startRun('a', 'user');
    store.progressRun('a', { phase: 'applying', seen: 1, total: 2 });
    store.endRun('a');
    sub.dispose();
    store.setApi({ status: 'stopped' });
    assert.equal(seen.length, 4);
    assert.deepEqual(seen[0].projects.map((p) => p.name), ['Alpha', 'Zed']);
    assert.equal(seen[0].ready, true);
    assert.deepEqual(seen[2].running, [{ slug: 'a', origin: 'user', phase: 'applying', seen: 1, total: 2 }]);
    assert.deepEqual(seen[3].running, []);
    assert.notEqual(seen[0], seen[1]);
  });
});
