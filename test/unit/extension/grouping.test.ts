// The Projects view's arrangements over the real sample project (synced by the real engine into a temp
// data folder): by type, by status, by epic; the "hide finished" filter; scope; the view's own state.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DocumentSummary } from '../../../src/core/engine-api';
import { Engine } from '../../../src/core/engine';
import { isTerminal } from '../../../src/core/parse';
import { CONTEXT_KEYS, contextValues, ContextKeys } from '../../../src/extension/contextKeys';
import { initialState } from '../../../src/extension/statusModel';
import { bucketCount, inScope, layoutDocuments, viewDescription, type Layout } from '../../../src/extension/tree/grouping';
import { documentRow } from '../../../src/extension/tree/presentation';
import { VisibleTicker } from '../../../src/extension/tree/ticker';
import { DEFAULT_VIEW, VIEW_STATE_KEYS, ViewState } from '../../../src/extension/tree/viewState';
import { SAMPLE, SAMPLE_DOCS } from '../../support/corpora';

const WASM = path.resolve(__dirname, '../../../node_modules/sql.js/dist/sql-wasm.wasm');
const ids = (docs: readonly DocumentSummary[]) => docs.map((d) => documentRow(d).label);
const total = (l: Layout) => l.buckets.reduce((n, b) => n + bucketCount(b, l), 0);

describe('tree grouping (sample project)', function () {
  this.timeout(60_000);
  let docs: DocumentSummary[];
  let dataDir: string;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-grouping-'));
    const engine = await Engine.open({ dataDir, wasmPath: WASM });
    try {
      const p = await engine.registerProject({ name: 'Harbor', sdlc_path: SAMPLE });
      const outcome = await (await engine.startSync(p.slug)).done;
      assert.equal(outcome.sync_status, 'synced', outcome.sync_error ?? '');
      docs = engine.documentSummaries(p.slug);
    } finally {
      await engine.close();
    }
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('by type: reading order, every document once, sequential ids before ULID ids', () => {
    const l = layoutDocuments(docs, 'type');
    assert.deepEqual(l.buckets.map((b) => b.label), [
      'PRD', 'TRD', 'TSD', 'Epics', 'Stories', 'Plans', 'Test Specs', 'Bugs', 'Change Requests', 'RFCs', 'Retros', 'Decisions',
      'Personas Overview',
    ]);
    assert.equal(total(l), SAMPLE_DOCS);
    const stories = l.buckets.find((b) => b.label === 'Stories')!;
    assert.deepEqual(ids(stories.docs), [
      'US0000', 'US0001', 'US0002', 'US0003', 'US0004', 'US0005', 'US0006', 'US0007', 'US0008', 'US0009', 'US0010', 'US0011',
      'US-01KZH5A2', 'US-01KZH5C8', 'US-01KZH5F3', 'US-01KZH5K9',
    ]);
  });

  it('by type: "Other" sorts after every named type', () => {
    const extra = { ...docs[0], type: 'other', doc_id: 'notes', file_path: 'notes.md', title: 'Notes' };
    const labels = layoutDocuments([...docs, extra], 'type').buckets.map((b) => b.label);
    assert.equal(labels[labels.length - 1], 'Other');
    assert.ok(labels.indexOf('Personas Overview') < labels.indexOf('Other'));
  });

  it('by status: lifecycle order, in flight first, finished and no status last', () => {
    const l = layoutDocuments(docs, 'status');
    const labels = l.buckets.map((b) => b.label);
    assert.equal(total(l), SAMPLE_DOCS);
    assert.ok(labels.indexOf('In Progress') < labels.indexOf('Ready'), labels.join(', '));
    assert.ok(labels.indexOf('Ready') < labels.indexOf('Draft'));
    assert.ok(labels.indexOf('Draft') < labels.indexOf('Done'));
    assert.equal(labels[labels.length - 1], 'No Status');
    const done = l.buckets.find((b) => b.label === 'Done')!;
    assert.ok(done.docs.every((d) => d.status === 'Done'));
    assert.ok(done.docs.some((d) => d.type === 'epic') && done.docs.some((d) => d.type === 'story'), 'mixes types');
  });

  it('by epic: stories under their epic, plans and test specs under their story, the rest by type', () => {
    const l = layoutDocuments(docs, 'epic');
    assert.equal(total(l), SAMPLE_DOCS - 4, 'every document once; the 4 epics are the rows themselves');
    const ep1 = l.buckets.find((b) => b.doc && documentRow(b.doc).label === 'EP0001')!;
    assert.deepEqual(ids(ep1.docs.filter((d) => d.type === 'story')), ['US0001', 'US0002', 'US0003', 'US0004', 'US0011']);
    assert.ok(ep1.docs.some((d) => d.type === 'test-spec'), 'the epic-scoped test spec TS0001 sits under its epic');
    const ulidEpic = l.buckets.find((b) => b.doc && documentRow(b.doc).label === 'EP-01KZH4M7')!;
    assert.deepEqual(ids(ulidEpic.docs.filter((d) => d.type === 'story')), ['US-01KZH5A2', 'US-01KZH5C8']);
    const us1 = ep1.docs.find((d) => documentRow(d).label === 'US0001')!;
    assert.deepEqual(ids(l.children.get(us1.file_path) ?? []), ['PL0001']);
    const orphans = l.buckets.find((b) => b.key === 'epic:none')!;
    assert.deepEqual(ids(orphans.docs), ['US-01KZH5F3'], 'STORY_NO_EPIC in the sample');
    const plans = l.buckets.find((b) => b.label === 'Plans')!;
    assert.deepEqual(ids(plans.docs), ['PL0004'], 'the plan without a story stays under Plans');
    assert.ok(!l.buckets.some((b) => b.label === 'Stories'), 'no flat Stories group');
  });

  it('hides finished documents in every arrangement', () => {
    for (const mode of ['type', 'status', 'epic'] as const) {
      const l = layoutDocuments(docs, mode, { hideFinished: true });
      const shown = l.buckets.flatMap((b) => [...b.docs, ...b.docs.flatMap((d) => l.children.get(d.file_path) ?? [])]);
      assert.ok(shown.length > 0 && shown.every((d) => !isTerminal(d.type, d.status)), mode);
      assert.ok(!l.buckets.some((b) => b.label === 'Done'), mode);
    }
    const finished = docs.filter((d) => isTerminal(d.type, d.status)).length;
    assert.ok(finished >= 5);
    assert.equal(total(layoutDocuments(docs, 'type', { hideFinished: true })), SAMPLE_DOCS - finished);
  });
});

describe('tree view state and helpers', () => {
  it('describes the view: scope always, grouping and filter when not the defaults', () => {
    assert.equal(viewDescription('workspace', 'type', { hideFinished: false }), 'This Workspace');
    assert.equal(viewDescription('all', 'epic', { hideFinished: true }), 'All Projects · by epic · finished hidden');
  });

  it('scopes projects to the workspace folders', () => {
    assert.equal(inScope('workspace', '/w/app/sdlc-studio', ['/w/app']), true);
    assert.equal(inScope('workspace', '/w/application/sdlc-studio', ['/w/app']), false, 'a prefix is not a parent');
    assert.equal(inScope('workspace', '/tmp/x/sdlc-studio', ['/w/app']), false);
    assert.equal(inScope('workspace', null, ['/w/app']), false);
    assert.equal(inScope('all', '/tmp/x/sdlc-studio', []), true);
  });

  it('keeps grouping, filter and scope in the workspace memento, and reads them back', async () => {
    const store = new Map<string, unknown>();
    const memento = { get: <T>(k: string) => store.get(k) as T | undefined, update: async (k: string, v: unknown) => void store.set(k, v) };
    const a = new ViewState(memento);
    assert.deepEqual(a.settings, DEFAULT_VIEW);
    const seen: string[] = [];
    a.onDidChange((s) => seen.push(s.mode));
    await a.setMode('epic');
    await a.setHideFinished(true);
    await a.setScope('all');
    assert.equal(store.get(VIEW_STATE_KEYS.mode), 'epic');
    const b = new ViewState(memento);
    assert.deepEqual(b.settings, { mode: 'epic', filter: { hideFinished: true }, scope: 'all' });
    assert.deepEqual(seen, ['epic', 'epic', 'epic']);
    store.set(VIEW_STATE_KEYS.mode, 'bogus');
    assert.equal(new ViewState(memento).settings.mode, 'type', 'an unknown stored value falls back');
  });

  it('sets only the context keys that changed', async () => {
    const calls: [string, unknown][] = [];
    const keys = new ContextKeys(async (k, v) => void calls.push([k, v]));
    const state = { ...initialState, ready: true, running: [{ slug: 'a', origin: 'user' as const, phase: 'collecting' as const, seen: 0, total: 0 }] };
    await keys.apply(contextValues(state, DEFAULT_VIEW));
    assert.equal(keys.values.get(CONTEXT_KEYS.syncing), true);
    assert.equal(keys.values.get(CONTEXT_KEYS.apiRunning), false);
    const n = calls.length;
    await keys.apply(contextValues({ ...state, running: [] }, DEFAULT_VIEW));
    assert.deepEqual(calls.slice(n), [[CONTEXT_KEYS.syncing, false]]);
  });

  it('ticks only while visible', async () => {
    let ticks = 0;
    let resolveTwo!: () => void;
    const two = new Promise<void>((r) => (resolveTwo = r));
    const t = new VisibleTicker(() => {
      ticks++;
      if (ticks === 2) resolveTwo();
    }, 5);
    t.setVisible(true);
    assert.equal(ticks, 1, 'catches up at once when shown');
    await two; // a real interval fired
    t.setVisible(false);
    assert.equal(t.running, false);
    const after = ticks;
    await new Promise<void>((r) => setImmediate(r));
    assert.equal(ticks, after);
    t.dispose();
  });
});
