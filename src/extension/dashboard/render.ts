// The dashboard page: HTML and hand-drawn SVG charts built from a DashboardModel. Pure (no vscode).
// Every text from a document goes through `esc`; the page loads nothing remote; styles and the one
// script carry the CSP nonce; colours are VS Code theme variables only (light, dark, high contrast).
import { HEALTH_CHECK_LABEL } from '../../core/health';
import { typeLabel } from '../../core/parse/labels';
import type { DashboardModel, RuleCount, Segment } from './model';
import { skillSection } from './skillSection';

/** HTML-escapes text for element content and quoted attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page's Content-Security-Policy: nothing but this webview's own resources and nonce'd code. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return `default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src ${cspSource} data:`;
}

const pct = (n: number, total: number) => (total > 0 ? Math.round((1000 * n) / total) / 10 : 0);
const fmt1 = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** Attributes that make a chart part a keyboard-usable button posting its filter. */
function filterAttrs(kind: 'type' | 'status', s: Segment): string {
  return `class="seg tone-${esc(s.tone)}" data-kind="${kind}" data-key="${esc(s.key)}" data-count="${s.count}" tabindex="0" role="button" aria-label="${esc(`${s.label}: ${s.count}`)}"`;
}

/** Horizontal bar chart: one row per segment, bar length ∝ count, the count written beside it. */
export function barChart(kind: 'type' | 'status', segments: readonly Segment[]): string {
  if (!segments.length) return '<p class="empty">No documents.</p>';
  const max = Math.max(...segments.map((s) => s.count));
  const row = 22;
  const labelW = 130;
  const barW = 220;
  const h = segments.length * row;
  const rows = segments
    .map((s, i) => {
      const y = i * row;
      const w = Math.max(2, Math.round((barW * s.count) / max));
      return (
        `<g ${filterAttrs(kind, s)}><title>${esc(`${s.label}: ${s.count}`)}</title>` +
        `<text class="lbl" x="${labelW - 6}" y="${y + 15}" text-anchor="end">${esc(s.label)}</text>` +
        `<rect x="${labelW}" y="${y + 3}" width="${w}" height="${row - 6}" rx="2"/>` +
        `<text class="num" x="${labelW + w + 6}" y="${y + 15}">${s.count}</text></g>`
      );
    })
    .join('');
  return `<svg class="chart bars" data-chart="${kind}" viewBox="0 0 ${labelW + barW + 50} ${h}" width="100%" preserveAspectRatio="xMinYMin meet" role="img" aria-label="${kind === 'type' ? 'Documents by type' : 'Documents by status'}">${rows}</svg>`;
}

/** Donut chart: one arc per segment (stroke-dasharray on a circle), the total in the middle. */
export function donutChart(kind: 'type' | 'status', segments: readonly Segment[], centre: string): string {
  const total = segments.reduce((a, s) => a + s.count, 0);
  if (!total) return '<p class="empty">No documents.</p>';
  const r = 60;
  const c = 2 * Math.PI * r;
  let offset = 0;
  const arcs = segments
    .map((s) => {
      const len = (c * s.count) / total;
      const arc =
        `<circle ${filterAttrs(kind, s)} cx="80" cy="80" r="${r}" fill="none" stroke-width="26" ` +
        `stroke-dasharray="${len.toFixed(3)} ${(c - len).toFixed(3)}" stroke-dashoffset="${(-offset).toFixed(3)}" transform="rotate(-90 80 80)">` +
        `<title>${esc(`${s.label}: ${s.count} (${fmt1(pct(s.count, total))}%)`)}</title></circle>`;
      offset += len;
      return arc;
    })
    .join('');
  const legend = segments
    .map((s) => `<li ${filterAttrs(kind, s)}><span class="swatch"></span><span class="name">${esc(s.label)}</span> <span class="num">${s.count}</span></li>`)
    .join('');
  return (
    `<div class="donut"><svg class="chart" data-chart="${kind}-donut" viewBox="0 0 160 160" width="160" height="160" role="img" aria-label="Documents by ${kind}">` +
    `${arcs}<text class="centre" x="80" y="86" text-anchor="middle">${esc(centre)}</text></svg><ul class="legend">${legend}</ul></div>`
  );
}

/** Health score gauge: a bar filled to the score, coloured by its band, right under the score itself. */
export function scoreBar(score: number): string {
  const w = Math.round(Math.max(0, Math.min(100, score)) * 2.4);
  return (
    `<svg class="chart gauge score" data-chart="score" viewBox="0 0 240 14" width="240" height="14" role="img" aria-label="health score ${score} of 100">` +
    `<rect class="track" x="0" y="0" width="240" height="14" rx="3"/><rect class="fill-${band(score)}" x="0" y="0" width="${w}" height="14" rx="3"/></svg>`
  );
}

/** Completion gauge: a bar filled to the percentage. */
export function completionBar(percent: number): string {
  const w = Math.round(Math.max(0, Math.min(100, percent)) * 2.4);
  return (
    `<svg class="chart gauge" data-chart="completion" viewBox="0 0 240 14" width="240" height="14" role="img" aria-label="${fmt1(percent)}% of stories finished">` +
    `<rect class="track" x="0" y="0" width="240" height="14" rx="3"/><rect class="fill" x="0" y="0" width="${w}" height="14" rx="3"/></svg>`
  );
}

function band(score: number): string {
  return score >= 80 ? 'good' : score >= 50 ? 'warning' : 'poor';
}

function rulesList(rules: readonly RuleCount[]): string {
  if (!rules.length) return '<p class="empty">No findings.</p>';
  return `<ol class="rules">${rules
    .map((r) => `<li><span class="sev sev-${esc(r.severity)}">${esc(r.severity)}</span> <code>${esc(r.id)}</code> <span class="num">${r.count}</span> <span class="muted">${esc(r.title)}</span></li>`)
    .join('')}</ol>`;
}

function recentTable(m: DashboardModel): string {
  if (!m.recent.length) return '<p class="empty">No documents yet. Sync the project.</p>';
  const rows = m.recent
    .map(
      (d) =>
        `<tr class="doc" data-slug="${esc(d.slug)}" data-path="${esc(d.file_path)}" tabindex="0" role="link">` +
        `<td><code>${esc(d.id)}</code></td><td class="title">${esc(d.title)}</td><td>${esc(typeLabel(d.type))}</td>` +
        `<td>${esc(d.status ?? '—')}</td>${m.slug ? '' : `<td>${esc(d.project)}</td>`}<td class="muted">${esc(d.updated_at.slice(0, 16).replace('T', ' '))} UTC</td></tr>`,
    )
    .join('');
  return `<table class="recent"><thead><tr><th>ID</th><th>Title</th><th>Type</th><th>Status</th>${m.slug ? '' : '<th>Project</th>'}<th>Modified</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function projectsTable(m: DashboardModel): string {
  if (m.slug || !m.projects.length) return '';
  const rows = m.projects
    .map((p) => `<tr class="proj" data-slug="${esc(p.slug)}" tabindex="0" role="link"><td>${esc(p.name)}</td><td class="num">${p.total}</td><td class="num">${fmt1(p.completion)}%</td><td class="num">${p.score ?? '—'}</td></tr>`)
    .join('');
  return `<section><h2>Projects</h2><table class="projects"><thead><tr><th>Project</th><th>Documents</th><th>Completion</th><th>Health</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

const TYPE_TONES = ['blue', 'purple', 'green', 'orange', 'yellow', 'red', 'foreground', 'lines'];
const STATUS_TONES: Record<string, string> = {
  done: 'green', closed: 'lines', 'in-flight': 'blue', review: 'purple', ready: 'yellow', planned: 'yellow', draft: 'lines', triage: 'orange', blocked: 'red', unknown: 'foreground',
};

function styles(): string {
  const tone = (cls: string, v: string) =>
    `.tone-${cls} rect,.tone-${cls} .swatch{fill:var(--vscode-charts-${v});background:var(--vscode-charts-${v})}circle.tone-${cls}{stroke:var(--vscode-charts-${v})}`;
  return [
    'body{color:var(--vscode-foreground);background:var(--vscode-editor-background);font-family:var(--vscode-font-family);font-size:var(--vscode-font-size);padding:0 16px 24px}',
    'h1{font-size:1.4em;margin:14px 0 2px}h2{font-size:1.05em;margin:0 0 8px}',
    '.muted{color:var(--vscode-descriptionForeground)}',
    '.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:14px;margin-top:12px}',
    'section{border:1px solid var(--vscode-panel-border,var(--vscode-contrastBorder,transparent));border-radius:4px;padding:12px;background:var(--vscode-sideBar-background,transparent)}',
    '.kpis{display:flex;gap:28px;flex-wrap:wrap;align-items:flex-end}.kpi .big{font-size:2em;font-weight:600}',
    'svg text{fill:var(--vscode-foreground);font-size:11px}svg .centre{font-size:20px;font-weight:600}',
    '.gauge .track{fill:var(--vscode-charts-lines,var(--vscode-input-background))}.gauge .fill{fill:var(--vscode-charts-green)}',
    '.gauge .fill-good{fill:var(--vscode-charts-green)}.gauge .fill-warning{fill:var(--vscode-charts-yellow)}.gauge .fill-poor{fill:var(--vscode-charts-red)}.kpi .gauge{display:block;margin-top:4px;max-width:100%}',
    '.seg{cursor:pointer;outline:none}.seg:hover,.seg:focus{opacity:.8}.seg:focus-visible{outline:1px solid var(--vscode-focusBorder)}',
    '.donut{display:flex;gap:12px;align-items:center}.legend{list-style:none;padding:0;margin:0}.legend li{padding:1px 4px}',
    '.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;border:1px solid var(--vscode-contrastBorder,transparent)}',
    'table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:3px 6px;border-bottom:1px solid var(--vscode-panel-border,var(--vscode-contrastBorder,transparent))}',
    'tr.doc,tr.proj{cursor:pointer}tr.doc:hover,tr.proj:hover,tr.doc:focus,tr.proj:focus{background:var(--vscode-list-hoverBackground);outline:none}',
    '.num{font-variant-numeric:tabular-nums}.rules{padding-left:18px;margin:0}',
    'section.wide{grid-column:1/-1}svg.bars{max-width:560px;height:auto}',
    '.sev{font-size:.8em;padding:0 4px;border-radius:3px;border:1px solid currentColor}',
    '.sev-critical,.sev-high{color:var(--vscode-errorForeground)}.sev-medium{color:var(--vscode-editorWarning-foreground)}.sev-low{color:var(--vscode-editorInfo-foreground)}',
    '.score-good{color:var(--vscode-charts-green)}.score-warning{color:var(--vscode-charts-yellow)}.score-poor{color:var(--vscode-charts-red)}',
    ...TYPE_TONES.map((v, i) => tone(`t${i}`, v)),
    ...Object.entries(STATUS_TONES).map(([g, v]) => tone(g, v)),
  ].join('\n');
}

/** The page script: posts clicks on chart parts and rows, keeps the view's state for restoring. */
function script(state: { slug: string | null }): string {
  return `(function(){
const vscode=acquireVsCodeApi();
vscode.setState(${JSON.stringify(state).replace(/</g, '\\u003c')});
function act(el){
  if(el.dataset.kind){vscode.postMessage({type:'list',kind:el.dataset.kind,key:el.dataset.key});return true;}
  if(el.classList.contains('doc')){vscode.postMessage({type:'open',slug:el.dataset.slug,path:el.dataset.path});return true;}
  if(el.classList.contains('proj')){vscode.postMessage({type:'project',slug:el.dataset.slug});return true;}
  return false;
}
function target(e){return e.target&&e.target.closest?e.target.closest('[data-kind],tr.doc,tr.proj'):null;}
document.addEventListener('click',function(e){var t=target(e);if(t)act(t);});
document.addEventListener('keydown',function(e){if(e.key!=='Enter'&&e.key!==' ')return;var t=target(e);if(t&&act(t))e.preventDefault();});
document.getElementById('refresh').addEventListener('click',function(e){e.preventDefault();vscode.postMessage({type:'refresh'});});
})();`;
}

export interface RenderOptions {
  cspSource: string;
  nonce: string;
}

/** The whole page. */
export function renderDashboard(m: DashboardModel, o: RenderOptions): string {
  const score =
    m.score === null
      ? '<div class="kpi"><div class="big muted">—</div><div class="muted">health</div></div>'
      : `<div class="kpi" data-kpi="score"><div class="big score-${band(m.score)}">${m.score}</div><div class="muted">${m.slug ? 'health score' : 'lowest health score'} / 100</div>${scoreBar(m.score)}</div>`;
  const s = m.summary;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`Dashboard: ${m.title}`)}</title>
<style nonce="${esc(o.nonce)}">${styles()}</style></head>
<body data-scope="${m.slug ? 'project' : 'all'}">
<h1>${esc(m.title)}</h1>
<div class="muted">${m.lastSyncedAt ? `Last synced ${esc(m.lastSyncedAt.slice(0, 16).replace('T', ' '))} UTC` : 'Not synced yet'} · <a href="#" id="refresh">Refresh</a></div>
<div class="grid">
<section><h2>Progress</h2><div class="kpis">
<div class="kpi" data-kpi="documents"><div class="big">${m.totalDocuments}</div><div class="muted">documents</div></div>
<div class="kpi" data-kpi="completion"><div class="big">${fmt1(m.completion)}%</div><div class="muted">stories finished</div>${completionBar(m.completion)}</div>
${score}</div></section>
<section><h2>Health</h2><div class="muted" data-summary>critical ${s.critical} · high ${s.high} · medium ${s.medium} · low ${s.low}</div>${rulesList(m.topRules)}<p class="muted">${esc(HEALTH_CHECK_LABEL)}</p></section>
${skillSection(m.skill)}
<section><h2>By type</h2>${barChart('type', m.byType)}</section>
<section><h2>By status</h2>${donutChart('status', m.byStatus, String(m.totalDocuments))}</section>
${projectsTable(m)}
<section class="wide"><h2>Recently changed</h2>${recentTable(m)}</section>
</div>
<script nonce="${esc(o.nonce)}">${script({ slug: m.slug })}</script>
</body></html>`;
}
