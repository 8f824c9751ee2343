// The dashboard's small "sdlc-studio" section: each project's latest run of sdlc-studio's own checks
// (skill version, findings by severity, the top rules/kinds), or the quiet reason they are not there.
// The data comes from the Health part's SkillChecksModel (no run is started for a dashboard).
import { healthOf } from '../health';
import { skillSummary } from '../health/skillChecks';
import type { SkillLine } from './skillSection';

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
