// Benchmark of acting on documents (issue 15), in the real extension host on a generated corpus
// (bench/generate.ts, seed 1): Set Status → the Projects view asks the document's row with the new
// status (the Stories group expanded in the view), and a board drop → the answer posted to the page
// with the new model (the page moves the card at once itself; this is the confirmation). Registered
// only with SDLC_LENS_BENCH_STATUS=1, so the normal integration run never pays for it:
//   SDLC_LENS_BENCH_STATUS=1 SDLC_LENS_TEST_GREP='status benchmark' npm run test:integration
// (SDLC_LENS_BENCH_STATUS_SIZES=2352, SDLC_LENS_BENCH_STATUS_RUNS=5). Prints one line per figure.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { generateCorpus, type GeneratedCorpus } from '../../bench/generate';
import type { SyncOutcome } from '../../src/core/types';
import type { LensExtensionApi } from '../../src/extension/extension';
import type { StatusOutcome } from '../../src/extension/status/flow';
import type { DocumentNode, GroupNode, LensNode, ProjectNode } from '../../src/extension/tree/nodes';
import { lens, register, removeAllProjects, until, within } from './support/lens';

const RUNS = Math.max(1, Number(process.env.SDLC_LENS_BENCH_STATUS_RUNS) || 5);
const SIZES = (process.env.SDLC_LENS_BENCH_STATUS_SIZES ?? '2352').split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const r1 = (x: number) => Math.round(x * 10) / 10;

/** Resolves with the time the view asks getTreeItem for the row of `rel` whose text matches. */
function rowShown(api: LensExtensionApi, rel: string, text: string): Promise<number> {
  const tree = api.tree;
  const own = tree.getTreeItem;
  const p = new Promise<number>((resolve) => {
    tree.getTreeItem = async function (node: LensNode) {
      const item = await own.call(tree, node);
      if (node.kind === 'document' && (node as DocumentNode).doc.file_path === rel) {
        const row = `${typeof item.label === 'string' ? item.label : item.label?.label ?? ''} ${typeof item.description === 'string' ? item.description : ''}`;
        if (row.includes(text)) resolve(performance.now());
      }
      return item;
    };
  });
  return within(p, 60_000, `the row of ${rel} to show ${text}`).finally(() => (tree.getTreeItem = own));
}

if (process.env.SDLC_LENS_BENCH_STATUS === '1') describe('status benchmark', function () {
  this.timeout(0);
  let api: LensExtensionApi;
  before(async () => {
    api = await lens();
    await removeAllProjects(api);
  });

  for (const size of SIZES) {
    describe(`${size} documents`, () => {
      let corpus: GeneratedCorpus;
      let root: string;
      let slug: string;
      let stories: string[];

      before(async () => {
        root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lens-bench-status-')));
        corpus = generateCorpus(path.join(root, `bench${size}`, 'sdlc-studio'), { documents: size, seed: 1 });
        slug = (await register(corpus.root, `Bench ${size}`))!.slug;
        assert.equal((await vscode.commands.executeCommand<SyncOutcome>('sdlcLens.syncProject', slug)).sync_status, 'synced');
        stories = (await api.engine.documentsOfType(slug, 'story')).filter((d) => !d.file_path.includes('/archive/') && d.status).map((d) => d.file_path);
        assert.ok(stories.length > RUNS * 2);
      });
      after(async () => {
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        await removeAllProjects(api);
        fs.rmSync(root, { recursive: true, force: true });
      });

      it('Set Status → the row shows the new status (Stories group open in the view)', async () => {
        await vscode.commands.executeCommand('sdlcLens.projects.focus');
        await until(() => api.treeView.visible, 'the Projects view');
        const project = (await api.tree.getChildren()).find((n) => n.kind === 'project' && n.slug === slug) as ProjectNode;
        const group = (await api.tree.getChildren(project)).find((n) => n.kind === 'group' && n.type === 'story') as GroupNode;
        await api.treeView.reveal(group, { expand: true, focus: false, select: false });
        // rows on the group's first page (a big group shows its first PAGE_SIZE rows)
        const shownRows = (await api.tree.getChildren(group)).filter((n): n is DocumentNode => n.kind === 'document' && !!n.doc.status).map((n) => n.doc.file_path);
        const samples: Record<string, number>[] = [];
        for (let run = 0; run < RUNS; run++) {
          const rel = shownRows[run]!;
          const [doc] = await api.engine.documentsAt(slug, [rel]);
          const to = doc!.status === 'Review' ? 'Blocked' : 'Review';
          const shown = rowShown(api, rel, to);
          const t0 = performance.now();
          const outcome = await vscode.commands.executeCommand<StatusOutcome>('sdlcLens.setStatus', vscode.Uri.file(path.join(corpus.root, rel)), to);
          const written = performance.now();
          assert.equal(outcome.outcome, 'changed', outcome.message);
          const at = await shown;
          samples.push({ to_row_ms: r1(at - t0), command_ms: r1(written - t0), after_command_ms: r1(at - written) });
        }
        const m = median(samples.map((s) => s.to_row_ms));
        console.log(`[sdlc-lens bench-status] ${size}: Set Status → row ${r1(m)} ms (median of ${RUNS}; samples ${JSON.stringify(samples)})`);
        // the writer's own share: engine.setStatus through the worker (value-only edit, re-sync)
        const engineMs: number[] = [];
        for (let run = 0; run < RUNS; run++) {
          const rel = shownRows[RUNS + run]!;
          const [d] = await api.engine.documentsAt(slug, [rel]);
          const hash = (await api.engine.getDocument(slug, d!.type, d!.doc_id)).file_hash;
          const t0 = performance.now();
          await api.engine.setStatus({ slug, type: d!.type, doc_id: d!.doc_id, status: d!.status === 'Review' ? 'Blocked' : 'Review', expected_hash: hash });
          engineMs.push(performance.now() - t0);
          await api.health()?.model.settled();
        }
        console.log(`[sdlc-lens bench-status] ${size}: engine.setStatus ${r1(median(engineMs))} ms (median of ${RUNS}; ${engineMs.map(r1).join(', ')})`);
      });

      it('board: model build, and a drop → its confirmation with the new model', async () => {
        await vscode.commands.executeCommand('sdlcLens.openBoard', slug);
        await until(() => !!api.board()?.models.get(slug), 'the board model', 60_000);
        const boards = api.board()!;
        const cards = boards.models.get(slug)!.cards.length;
        const builds: number[] = [];
        for (let run = 0; run < RUNS; run++) {
          const t0 = performance.now();
          await boards.refresh(slug);
          builds.push(performance.now() - t0);
        }
        const drops: number[] = [];
        for (let run = 0; run < RUNS; run++) {
          const rel = stories[stories.length - 1 - run]!;
          const card = boards.models.get(slug)!.cards.find((c) => c.key === rel)!;
          const to = card.status === 'Ready' ? 'Planned' : 'Ready';
          const t0 = performance.now();
          const reply = await boards.handle(slug, { type: 'move', key: rel, to, seq: run + 1 });
          drops.push(performance.now() - t0);
          assert.ok(reply && reply.type === 'moved' && reply.ok, JSON.stringify(reply));
          assert.equal(boards.models.get(slug)!.cards.find((c) => c.key === rel)!.status, to);
        }
        console.log(
          `[sdlc-lens bench-status] ${size}: board of ${cards} cards: model build ${r1(median(builds))} ms; drop → confirmed ${r1(median(drops))} ms ` +
            `(median of ${RUNS}; builds ${builds.map(r1).join(', ')}; drops ${drops.map(r1).join(', ')})`,
        );
      });
    });
  }
});
