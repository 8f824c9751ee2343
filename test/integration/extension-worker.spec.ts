// The engine runs in a worker thread: a large generated project syncs, and a 600+ item group opens,
// while the extension host's event loop stays free (measured with a 5 ms drift probe and
// perf_hooks' event-loop-delay histogram). The figures go to the console and, for the benchmarks,
// to $SDLC_LENS_HOLD_FILE (JSON) when set. $SDLC_LENS_HOLD_DOCS sets the project size (default 3000).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { SyncOutcome } from '../../src/core/types';
import { PAGE_SIZE, type LensNode } from '../../src/extension/tree/nodes';
import { generateProject, type GeneratedProject } from './support/generate';
import { startHoldProbe, type HoldFigures } from './support/holdProbe';
import { children, labelOf, lens, register, removeAllProjects, within } from './support/lens';

/** Far below the 600–800 ms holds of the in-process engine; the target in BENCHMARKS is 50 ms. */
const HOLD_LIMIT_MS = 200;
const DOCS = Number(process.env.SDLC_LENS_HOLD_DOCS) || 3000;

const figures: Record<string, unknown> = { docs: DOCS, limit_ms: HOLD_LIMIT_MS };

function report(): void {
  const line = JSON.stringify({ measured_at: new Date().toISOString(), ...figures });
  console.log(`[sdlc-lens host-hold] ${line}`);
  const file = process.env.SDLC_LENS_HOLD_FILE;
  if (file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${line}\n`);
  }
}

/**
 * The host's own hold: the most CPU time the host thread spent inside one tick gap (holdProbe.ts),
 * i.e. what it computed without returning to its event loop; the engine on this thread (the
 * regression) reads as hundreds of ms of it. Not the wall-clock gap: on a loaded 2-core machine
 * the gap also holds the time the thread waited for a CPU (a 243 ms gap) and the time it was
 * blocked handing work to another thread that itself waited for a CPU (perf: 80–190 ms in glibc's
 * condition-variable signal under NodePlatform::CallOnWorkerThread and uv_queue_work, and in a
 * MessagePort's mutex, with ~0 ms on the CPU; 224 and 369 ms gaps failed this test that way).
 * Every figure is in the message and in the host-hold line.
 */
function assertHold(hold: HoldFigures, during: string): void {
  assert.ok(
    hold.maxCpuHoldMs < HOLD_LIMIT_MS,
    `longest extension-host hold ${during}: ${hold.maxCpuHoldMs} ms on the CPU in one gap (longest wall-clock gap ${hold.maxHoldMs} ms: ${hold.cpuInLongestGapMs ?? '?'} ms on the CPU, ${hold.waitInLongestGapMs ?? '?'} ms waiting for one, garbage collection ${hold.gcInLongestGapMs} ms; gap less wait ${hold.maxOwnHoldMs} ms)`,
  );
}

/** Rows a group of n documents shows at first: a page, and a "Show more" row when some are left. */
const shownRows = (n: number) => Math.min(n, PAGE_SIZE) + (n > PAGE_SIZE ? 1 : 0);

describe('extension: engine in a worker thread (regression BG-01KX8BY1: the window stays responsive during a sync)', function () {
  this.timeout(180_000);
  let api: Awaited<ReturnType<typeof lens>>;
  let project: GeneratedProject;
  let slug: string;

  before(async () => {
    api = await lens();
    await removeAllProjects(api);
    project = generateProject(DOCS);
    slug = (await register(project.dir, 'Large'))!.slug;
  });
  after(async () => {
    report();
    await removeAllProjects(api);
    fs.rmSync(path.dirname(path.dirname(project.dir)), { recursive: true, force: true });
  });

  it('runs the engine on its own thread, not the extension host\'s', async () => {
    assert.equal(isMainThread, true);
    await api.engine.listProjects();
    assert.equal(api.client.running, true);
    assert.ok(api.client.threadId !== undefined && api.client.threadId !== threadId, `worker ${api.client.threadId}, host ${threadId}`);
    // the worker's sql.js (dist/sql-wasm.js of the installed extension) folds and opens without copies
    assert.equal((await api.client.info()).fileAccess, true);
    // and keeps the database's file on disk (store/pagedFile.ts), only SQLite's page cache in memory
    assert.equal((await api.client.info()).pagedFiles, true);
  });

  it(`syncs ${DOCS} documents while the host keeps answering (hold < ${HOLD_LIMIT_MS} ms) and the tree answers mid-sync`, async () => {
    let treeDuringSync: Promise<{ ms: number; stillSyncing: boolean; roots: number }> | undefined;
    const sub = api.runner.onDidStart((s) => {
      if (s !== slug || treeDuringSync) return;
      const t0 = performance.now();
      treeDuringSync = api.tree.getChildren().then((roots) => ({ ms: performance.now() - t0, stillSyncing: api.runner.isRunning(slug), roots: roots.length }));
    });
    const probe = await startHoldProbe();
    let outcome: SyncOutcome;
    let hold: HoldFigures;
    try {
      outcome = await vscode.commands.executeCommand<SyncOutcome>('sdlcLens.syncProject', slug);
    } finally {
      hold = probe.stop();
      sub.dispose();
    }
    figures.sync = { ...hold, sync_duration_ms: outcome.duration_ms };
    assert.equal(outcome.sync_status, 'synced', outcome.sync_error ?? '');
    assert.equal(outcome.added, project.total);
    assert.ok(treeDuringSync, 'the tree was asked while the sync ran');
    const answer = await within(treeDuringSync, 30_000, 'the tree to answer');
    figures.tree_root_during_sync_ms = Math.round(answer.ms);
    assert.equal(answer.roots, 1);
    assert.equal(answer.stillSyncing, true, 'the tree answered before the sync ended (the worker yields between slices)');
    assert.ok(hold.ticks > 0);
    assertHold(hold, 'during the sync');
  });

  it(`opens a group of ${Math.round(DOCS * 0.3)} documents through the tree data provider with no long hold`, async () => {
    const [root] = await children(api);
    const groups = await children(api, root.node);
    const stories = groups.find((g) => labelOf(g.item) === 'Stories');
    assert.ok(stories, groups.map((g) => labelOf(g.item)).join(', '));
    assert.equal(Number(stories.item.description), project.counts.stories);
    assert.ok(project.counts.stories >= 600 || DOCS < 2000, `a large group: ${project.counts.stories}`);
    const probe = await startHoldProbe();
    const t0 = performance.now();
    let nodes: LensNode[];
    let items: vscode.TreeItem[];
    let t1: number;
    let hold: HoldFigures;
    try {
      // as the view does: getChildren, then getTreeItem for every row
      nodes = await api.tree.getChildren(stories.node);
      t1 = performance.now();
      items = await Promise.all(nodes.map((n) => api.tree.getTreeItem(n)));
    } finally {
      hold = probe.stop();
    }
    const t2 = performance.now();
    figures.open_group = { items: items.length, children_ms: Math.round(t1 - t0), tree_items_ms: Math.round(t2 - t1), ...hold };
    assert.equal(items.length, shownRows(project.counts.stories));
    assert.equal(labelOf(items[0]), 'US0001', 'the id is the label, sequential ids first');
    assert.ok(api.tree.resolveTreeItem(items[0], nodes[0]).tooltip instanceof vscode.MarkdownString, 'a hover gets the tooltip');
    assertHold(hold, 'while the group opened');
  });

  it('an unchanged re-sync skips every document and keeps the host free; a large group opens meanwhile', async () => {
    const [root] = await api.tree.getChildren();
    const stories = (await api.tree.getChildren(root)).find((g) => g.kind === 'group' && g.type === 'story')!;
    let expand: Promise<{ ms: number; items: number; stillSyncing: boolean }> | undefined;
    const sub = api.runner.onDidStart((s) => {
      if (s !== slug || expand) return;
      const t0 = performance.now();
      expand = api.tree.getChildren(stories).then((items) => ({ ms: performance.now() - t0, items: items.length, stillSyncing: api.runner.isRunning(slug) }));
    });
    const probe = await startHoldProbe();
    let outcome: SyncOutcome;
    let hold: HoldFigures;
    try {
      outcome = await vscode.commands.executeCommand<SyncOutcome>('sdlcLens.syncProject', slug);
    } finally {
      hold = probe.stop();
      sub.dispose();
    }
    assert.ok(expand, 'the group was opened while the re-sync ran');
    const opened = await within(expand, 30_000, 'the group to open');
    figures.resync = { ...hold, sync_duration_ms: outcome.duration_ms, group_open_during_resync_ms: Math.round(opened.ms), answered_before_sync_end: opened.stillSyncing };
    assert.equal(opened.items, shownRows(project.counts.stories));
    assert.equal(outcome.sync_status, 'synced');
    assert.equal(outcome.skipped, project.total);
    assertHold(hold, 'during the re-sync');
  });
});
