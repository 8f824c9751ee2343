// The dashboard's small "sdlc-studio" section: each project's latest run of sdlc-studio's own checks
// (skill version, findings by severity, the top rules/kinds), or the quiet reason they are not there.
// The data comes from the Health part's SkillChecksModel (no run is started for a dashboard).
import type { Severity } from '../../core/health';
import { healthOf } from '../health';
import { skillSummary } from '../health/skillChecks';
import { esc } from './render';

export interface SkillLine {
  slug: string;
  /** The Health node's one line (version · n findings, or why not). */
  summary: string;
  counts: Record<Severity, number> | null;
  top: { code: string; count: number }[];
}

/** The lines of a scope (a project, or every project the model knows). */
export function dashboardSkill(slug: string | null): SkillLine[] {
  const skill = healthOf()?.skill;
  if (!skill) return [];
  const out: SkillLine[] = [];
  for (const s of slug !== null ? [slug] : skill.slugs()) {
    const v = skill.get(s);
    if (!v || (!v.off && (!v.report || v.report.state === 'not-found'))) continue; // not installed: nothing to say
    const counts = new Map<string, number>();
    for (const f of v.off ? [] : v.report?.findings ?? []) counts.set(`${f.check}/${f.code}`, (counts.get(`${f.check}/${f.code}`) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5).map(([code, count]) => ({ code, count }));
    out.push({ slug: s, summary: skillSummary(v), counts: v.report && !v.off ? v.report.summary : null, top });
  }
  return out;
}

/** The section's HTML ('' when there is nothing to show). */
export function skillSection(lines: readonly SkillLine[] | undefined): string {
  if (!lines?.length) return '';
  const many = lines.length > 1;
  const body = lines
    .map((l) => {
      const c = l.counts;
      const sev = c ? `<div class="muted">critical ${c.critical} · high ${c.high} · medium ${c.medium} · low ${c.low}</div>` : '';
      const top = l.top.length ? `<ul>${l.top.map((t) => `<li><code>${esc(t.code)}</code> ${t.count}</li>`).join('')}</ul>` : '';
      return `<div data-skill="${esc(l.slug)}">${many ? `<strong>${esc(l.slug)}</strong> ` : ''}<span data-skill-summary>${esc(l.summary)}</span>${sev}${top}</div>`;
    })
    .join('');
  return `<section data-section="sdlc-studio"><h2>sdlc-studio checks</h2>${body}<p class="muted">integrity.py, validate.py and reconcile.py of the installed skill, run after each sync.</p></section>`;
}
