// The board's model (columns in lifecycle order, extra statuses, "No status", cards, health markers),
// the messages the page may post, and the page shell (CSP with nonce, escaped texts, no document
// text in the markup: the script puts texts in with textContent).
import assert from 'node:assert/strict';
import type { DocumentSummary } from '../../../src/core/engine-api';
import { parseBoardMessage } from '../../../src/extension/board/messages';
import { boardColumns, boardTypes, buildBoard, healthByPath, NO_STATUS, pickType } from '../../../src/extension/board/model';
import { boardScript, renderBoard } from '../../../src/extension/board/render';

const summary = (file_path: string, doc_id: string, status: string | null, more: Partial<DocumentSummary> = {}): DocumentSummary => ({
  doc_id, type: 'story', title: `${doc_id}: T`, status, owner: null, priority: null, story_points: null, epic: null, story: null,
  updated_at: '2026-01-01T00:00:00Z', file_path, ref_id: doc_id, metadata: null, ...more,
});

describe('board model', () => {
  it('columns: the lifecycle, then statuses found in the project, then No status', () => {
    const cols = boardColumns('story', [summary('a', 'US1', 'Done'), summary('b', 'US2', 'Parked'), summary('c', 'US3', null), summary('d', 'US4', 'Parked')]);
    assert.deepEqual(cols.map((c) => c.key), ['Proposed', 'Draft', 'Ready', 'Planned', 'In Progress', 'Review', 'Blocked', 'Done', "Won't Implement", 'Deferred', 'Superseded', 'Parked', NO_STATUS]);
    assert.deepEqual(cols.filter((c) => c.terminal).map((c) => c.key), ['Done', "Won't Implement", 'Superseded']);
    assert.equal(cols.find((c) => c.key === 'Parked')!.lifecycle, false);
    assert.equal(cols.at(-1)!.label, 'No status');
    assert.ok(!boardColumns('story', [summary('a', 'US1', 'Done')]).some((c) => c.key === NO_STATUS), 'no "No status" column without such a document');
    assert.deepEqual(boardColumns('plan', [], ['Draft', 'Complete', 'Custom']).map((c) => c.key), ['Draft', 'Complete', 'Custom'], "the writer's list when given");
  });

  it('types: those with a lifecycle the project has; stories by default', () => {
    const types = boardTypes([{ type: 'prd', count: 1 }, { type: 'bug', count: 3 }, { type: 'story', count: 9 }, { type: 'epic', count: 0 }]);
    assert.deepEqual(types.map((t) => [t.type, t.label, t.count]), [['story', 'Stories', 9], ['bug', 'Bugs', 3]]);
    assert.equal(pickType(types, undefined), 'story');
    assert.equal(pickType(types, 'bug'), 'bug');
    assert.equal(pickType(types, 'prd'), 'story', 'a type without a lifecycle is not a board');
    assert.equal(pickType([{ type: 'bug', label: 'Bugs', count: 1 }], undefined), 'bug');
  });

  it('cards carry id, title, epic, owner, priority, points and the health marker', () => {
    const health = healthByPath(
      [
        { absPath: '/p/sdlc-studio/stories/US0001-a.md', folder: false, diagnostics: [{ severity: 'low', message: 'a' }, { severity: 'high', message: 'b' }] },
        { absPath: '/p/sdlc-studio', folder: true, diagnostics: [{ severity: 'critical', message: 'no PRD' }] },
      ],
      (abs) => (abs.startsWith('/p/sdlc-studio/') ? abs.slice('/p/sdlc-studio/'.length) : null),
    );
    const m = buildBoard({
      slug: 's', project: 'P', type: 'story', types: [], health,
      docs: [summary('stories/US0001-a.md', 'US0001', 'Draft', { epic: 'EP0001', owner: 'Ann', priority: 'P1', story_points: 3 }), summary('stories/US0002-b.md', 'US0002', '  ')],
    });
    assert.deepEqual(m.cards[0], {
      key: 'stories/US0001-a.md', doc_id: 'US0001', id: 'US0001', title: 'US0001: T', status: 'Draft', epic: 'EP0001', owner: 'Ann', priority: 'P1', points: 3,
      health: { severity: 'high', count: 2, messages: ['a', 'b'] },
    });
    assert.equal(m.cards[1]!.status, NO_STATUS);
    assert.equal(m.cards[1]!.health, null);
    assert.equal(m.typeLabel, 'Stories');
  });
});

describe('board page', () => {
  it('has a nonce CSP, escapes its texts and carries no document text in its markup', () => {
    const html = renderBoard('Board: <img src=x onerror=alert(1)>', { cspSource: 'vscode-resource:', nonce: 'N0nce' });
    assert.match(html, /Content-Security-Policy" content="default-src &#39;none&#39;; style-src vscode-resource: &#39;nonce-N0nce&#39;; script-src &#39;nonce-N0nce&#39;/);
    assert.ok(!html.includes('<img'), 'the title is escaped');
    assert.equal((html.match(/<script nonce="N0nce">/g) ?? []).length, 1);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.ok(!/innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(boardScript()), 'the script never parses markup');
    assert.ok(boardScript().includes("draggable=true"), 'cards are draggable');
  });

  it('accepts only its own messages', () => {
    assert.deepEqual(parseBoardMessage({ type: 'move', key: 'stories/a.md', to: 'Done', seq: 3 }), { type: 'move', key: 'stories/a.md', to: 'Done', seq: 3 });
    assert.equal(parseBoardMessage({ type: 'move', key: 'a', to: '', seq: 1 }), null);
    assert.equal(parseBoardMessage({ type: 'move', key: 'a', to: 'Done', seq: 'x' }), null);
    assert.deepEqual(parseBoardMessage({ type: 'open', key: 'a.md' }), { type: 'open', key: 'a.md' });
    assert.equal(parseBoardMessage({ type: 'open', key: 5 }), null);
    assert.deepEqual(parseBoardMessage({ type: 'setType', docType: 'bug' }), { type: 'setType', docType: 'bug' });
    assert.equal(parseBoardMessage({ type: 'eval', code: 'x' }), null);
    assert.equal(parseBoardMessage(null), null);
    assert.deepEqual(parseBoardMessage({ type: 'ready' }), { type: 'ready' });
  });
});
