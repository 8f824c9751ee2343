// The dashboard's "sdlc-studio checks" section as HTML (pure: unit-tested with the rest of the page).
import type { Severity } from '../../core/health';
import { esc } from './render';

/** One project's line: what dashboard/skill.ts takes from the Health part's SkillChecksModel. */
export interface SkillLine {
  slug: string;
  /** The Health node's one line (version · n findings, or why not). */
  summary: string;
  counts: Record<Severity, number> | null;
  top: { code: string; count: number }[];
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
