// The dashboard page as a pure function of its data: escaping, CSP, the numbers in the SVG charts,
// and the model built from real engine-shaped stats and a real health report.
import * as assert from 'node:assert/strict';
import { runHealthCheck, type HealthDoc } from '../../../src/core/health';
import type { DocumentSummary } from '../../../src/core/engine-api';
import { parseMessage } from '../../../src/extension/dashboard/data';
import { allModel, matching, projectModel, recentDocs, statusSegments, topRules, typeSegments } from '../../../src/extension/dashboard/model';
import { contentSecurityPolicy, esc, renderDashboard } from '../../../src/extension/dashboard/render';

const NONCE = 'bm9uY2Utdy1zbGFzaC8rPQ==';
const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

function summary(p: Partial<DocumentSummary> & Pick<DocumentSummary, 'doc_id' | 'type' | 'file_path'>): DocumentSummary {
  return { title: p.doc_id, status: null, owner: null, priority: null, story_points: null, epic: null, story: null, updated_at: '2026-03-01T10:00:00Z', ref_id: null, metadata: null, ...p };
}

const stats = {
  slug: 'harbor',
  name: 'Harbor <b>&</b>',
  total_documents: 7,
  by_type: { story: 4, epic: 2, prd: 1 },
  by_status: { Done: 3, 'In Progress': 2, null: 2 },
  completion_percentage: 75,
  last_synced_at: '2026-03-01T10:00:00.000Z',
};

const evil = '<script>alert(1)</script><img src=x onerror="alert(2)">';
const docs = [
  summary({ doc_id: 'US0001-a', type: 'story', file_path: 'stories/US0001-a.md', title: evil, status: 'Done', updated_at: '2026-03-01T12:00:00Z' }),
  summary({ doc_id: 'US0002-b', type: 'story', file_path: 'stories/US0002-b.md', title: 'B', status: 'In Progress', updated_at: '2026-03-01T11:00:00Z' }),
  summary({ doc_id: 'EP0001-e', type: 'epic', file_path: 'epics/EP0001-e.md', title: 'E', status: 'Done', updated_at: '2026-02-01T11:00:00Z' }),
  summary({ doc_id: 'BG0001-x', type: 'bug', file_path: 'bugs/BG0001-x.md', title: 'X', status: null, updated_at: '2026-02-01T11:00:00Z' }),
];

function report() {
  const d = (p: Partial<HealthDoc> & Pick<HealthDoc, 'doc_id' | 'doc_type' | 'file_path'>): HealthDoc => ({
    title: p.doc_id, status: 'Draft', owner: 'A', priority: 'P', story_points: 1, epic: null, story: null,
    synced_at: '2026-03-01T00:00:00Z', content_length: 100, body_epic: null, ...p,
  });
  return runHealthCheck({
    project_slug: 'harbor',
    now: '2026-03-02T00:00:00Z',
    documents: [
      d({ doc_id: 'US0001-a', doc_type: 'story', file_path: 'stories/US0001-a.md' }),
      d({ doc_id: 'US0002-b', doc_type: 'story', file_path: 'stories/US0002-b.md' }),
    ],
  });
}

describe('dashboard: model', () => {
  it('orders types by reading order and statuses by lifecycle group, with "No status" for null', () => {
    assert.deepEqual(typeSegments(stats.by_type).map((s) => [s.key, s.count]), [['prd', 1], ['epic', 2], ['story', 4]]);
    const st = statusSegments(stats.by_status);
    assert.deepEqual(st.map((s) => [s.key, s.label, s.count, s.tone]), [
      ['Done', 'Done', 3, 'done'],
      ['In Progress', 'In Progress', 2, 'in-flight'],
      ['none', 'No status', 2, 'unknown'],
    ]);
  });

  it('counts findings per rule for the top rules (most first, ties in rule order)', () => {
    const r = report();
    const top = topRules([r, r]);
    // per report: 2 stories without plan, test spec, epic; 1 MISSING_PRD, 1 MISSING_TRD
    assert.deepEqual(top.map((t) => [t.id, t.count]), [
      ['MISSING_PLAN', 4],
      ['MISSING_TEST_SPEC', 4],
      ['STORY_NO_EPIC', 4],
      ['MISSING_PRD', 2],
      ['MISSING_TRD', 2],
    ]);
    assert.equal(top[3]!.severity, 'critical');
  });

  it('lists the most recently changed documents first, and the documents behind a segment', () => {
    const recent = recentDocs('harbor', 'Harbor', docs, {}, 2);
    assert.deepEqual(recent.map((d) => d.id), ['US0001', 'US0002']);
    // issue 20: the files' modification times order them (a sync stores every row at the same minute)
    const byFile = recentDocs('harbor', 'Harbor', docs, { 'bugs/BG0001-x.md': '2030-01-01T00:00:00.000Z', 'epics/EP0001-e.md': '2029-01-01T00:00:00.000Z' }, 3);
    assert.deepEqual(byFile.map((d) => [d.id, d.updated_at.slice(0, 4)]).slice(0, 2), [['BG0001', '2030'], ['EP0001', '2029']]);
    assert.deepEqual(matching(docs, 'status', 'none').map((d) => d.doc_id), ['BG0001-x']);
    assert.deepEqual(matching(docs, 'type', 'story').map((d) => d.doc_id), ['US0001-a', 'US0002-b']);
    assert.deepEqual(matching(docs, 'status', 'Done').map((d) => d.doc_id), ['US0001-a', 'EP0001-e']);
  });

  it('all projects: sums come from allStats, the headline score is the lowest project score', () => {
    const r = report();
    const m = allModel(
      { total_projects: 2, total_documents: 9, by_type: { story: 9 }, by_status: { Done: 9 }, completion_percentage: 100, projects: [
        { slug: 'a', name: 'A', total_documents: 4, completion_percentage: 100, last_synced_at: '2026-01-01T00:00:00Z' },
        { slug: 'b', name: 'B', total_documents: 5, completion_percentage: 100, last_synced_at: '2026-02-01T00:00:00Z' },
      ] },
      new Map([['a', r], ['b', { ...r, score: 99 }]]),
      recentDocs('a', 'A', docs),
    );
    assert.equal(m.score, r.score);
    assert.equal(m.lastSyncedAt, '2026-02-01T00:00:00Z');
    assert.deepEqual(m.projects.map((p) => [p.slug, p.score]), [['a', r.score], ['b', 99]]);
    assert.equal(m.summary.critical, 2 * r.summary.critical);
  });
});

describe('dashboard: page', () => {
  const m = projectModel(stats, report(), recentDocs('harbor', stats.name, docs));
  const html = renderDashboard(m, { cspSource: CSP_SOURCE, nonce: NONCE });

  it('escapes every document text: a <script> or <img onerror> title stays text', () => {
    assert.equal(esc(`<a href="x" onclick='y'>&</a>`), '&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
    assert.ok(!html.includes('<script>alert'), 'no live script from a title');
    assert.ok(!html.includes('<img'), 'no live img from a title');
    assert.ok(html.includes('&#60;script&#62;alert(1)&#60;/script&#62;&#60;img src=x onerror=&#34;alert(2)&#34;&#62;'));
    assert.ok(html.includes('<h1>Harbor &#60;b&#62;&#38;&#60;/b&#62;</h1>'));
    assert.equal((html.match(/<script\b/g) ?? []).length, 1, 'exactly one script element: ours');
  });

  it('carries a strict CSP with the nonce on its one style and one script, and loads nothing remote', () => {
    const csp = contentSecurityPolicy(CSP_SOURCE, NONCE);
    assert.equal(csp, `default-src 'none'; style-src ${CSP_SOURCE} 'nonce-${NONCE}'; script-src 'nonce-${NONCE}'; img-src ${CSP_SOURCE} data:`);
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">`));
    assert.ok(html.includes(`<style nonce="${esc(NONCE)}">`));
    assert.ok(html.includes(`<script nonce="${esc(NONCE)}">`));
    assert.ok(!/\sstyle="/.test(html), 'no inline style attributes (the CSP would block them)');
    assert.ok(!/\son[a-z]+="/i.test(html), 'no inline event handlers');
    assert.ok(!/(src|href)="(https?:)?\/\//.test(html), 'no remote resource');
    const css = /<style[^>]*>([\s\S]*?)<\/style>/.exec(html)![1]!;
    assert.ok(!/#[0-9a-f]{3,6}\b|rgb\(/i.test(css), 'colours come from theme variables only');
  });

  it('draws the numbers: bars and donut arcs per segment, the KPIs and the completion gauge', () => {
    for (const [type, n] of [['story', 4], ['epic', 2], ['prd', 1]] as const) {
      assert.match(html, new RegExp(`data-kind="type" data-key="${type}" data-count="${n}"[^>]*><title>[^<]+: ${n}</title>`));
    }
    const bars = [...html.matchAll(/<rect x="130" y="\d+" width="(\d+)"/g)].map((x) => Number(x[1]));
    assert.deepEqual(bars, [55, 110, 220], 'bar lengths proportional to 1, 2, 4');
    const arcs = [...html.matchAll(/<circle [^>]*data-key="([^"]+)"[^>]*stroke-dasharray="([\d.]+) ([\d.]+)"/g)];
    assert.deepEqual(arcs.map((a) => a[1]), ['Done', 'In Progress', 'none']);
    const c = 2 * Math.PI * 60;
    arcs.forEach((a, i) => assert.ok(Math.abs(Number(a[2]) - (c * [3, 2, 2][i]!) / 7) < 0.01));
    assert.match(html, /<title>Done: 3 \(42\.9%\)<\/title>/);
    assert.match(html, /data-kpi="documents"><div class="big">7</);
    assert.match(html, /data-kpi="completion"><div class="big">75%</);
    assert.match(html, new RegExp(`data-kpi="score"><div class="big score-\\w+">${m.score}<`));
    assert.match(html, /<rect class="fill" x="0" y="0" width="180"/, '75% of 240');
    // issue 20: the score has its own bar, filled to the score, inside its KPI; the completion bar sits in the completion KPI
    const scoreKpi = /data-kpi="score">.*?<\/svg><\/div>/s.exec(html)![0];
    assert.match(scoreKpi, new RegExp(`data-chart="score"[^>]*aria-label="health score ${m.score} of 100"`));
    assert.match(scoreKpi, new RegExp(`<rect class="fill-\\w+" x="0" y="0" width="${Math.round(m.score! * 2.4)}"`));
    assert.ok(!scoreKpi.includes('data-chart="completion"'));
    assert.match(/data-kpi="completion">.*?<\/div><\/div>/s.exec(html)?.[0] ?? html, /data-chart="completion"/);
  });

  it('renders an empty project without charts or errors', () => {
    const empty = renderDashboard(projectModel({ ...stats, total_documents: 0, by_type: {}, by_status: {}, completion_percentage: 0 }, null, []), { cspSource: CSP_SOURCE, nonce: NONCE });
    assert.ok(empty.includes('No documents.'));
    assert.ok(empty.includes('No documents yet. Sync the project.'));
  });

  it('accepts only its own messages from the page', () => {
    assert.deepEqual(parseMessage({ type: 'list', kind: 'status', key: 'Done' }), { type: 'list', kind: 'status', key: 'Done' });
    assert.equal(parseMessage({ type: 'list', kind: 'owner', key: 'x' }), null);
    assert.equal(parseMessage({ type: 'open', slug: 'a' }), null);
    assert.equal(parseMessage('refresh'), null);
    assert.equal(parseMessage({ type: 'eval', code: '1' }), null);
  });
});
