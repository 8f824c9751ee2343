// `sdlc-lens stats [SLUG] [--json]`: document counts and story completion (health-check.md §6).
import type { ParsedArgs } from '../args';
import type { CliCommand, CliContext } from '../command';
import { withEngine } from '../engine';
import { LensError } from '../../core/errors';

/** `{a: 2, b: 1}` → `a 2, b 1`, largest first (ties by name). */
function counts(m: Record<string, number>): string {
  const entries = Object.entries(m).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  return entries.length ? entries.map(([k, n]) => `${k} ${n}`).join(', ') : '-';
}

const pct = (x: number): string => `${x.toFixed(1)}%`;

export const statsCommand: CliCommand = {
  name: 'stats',
  brief: true,
  usage: 'stats [SLUG] [--json]',
  summary: 'Document counts by type and status, and story completion (one project, or all)',
  flags: { booleans: ['json'] },
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    if (args.positionals.length > 1) throw new LensError('VALIDATION_ERROR', 'usage: sdlc-lens stats [SLUG] [--json]');
    const json = args.flags.has('json');
    return withEngine(ctx, async (engine) => {
      if (args.positionals.length === 1) {
        const s = await engine.projectStats(args.positionals[0]);
        if (json) ctx.out(JSON.stringify(s, null, 2));
        else {
          ctx.out(`${s.slug} (${s.name}): ${s.total_documents} documents, stories ${pct(s.completion_percentage)} complete`);
          ctx.out(`  by type:   ${counts(s.by_type)}`);
          ctx.out(`  by status: ${counts(s.by_status)}`);
          ctx.out(`  last synced: ${s.last_synced_at ?? 'never'}`);
        }
        return 0;
      }
      const all = await engine.allStats();
      if (json) ctx.out(JSON.stringify(all, null, 2));
      else {
        ctx.out(`${all.total_projects} projects, ${all.total_documents} documents, stories ${pct(all.completion_percentage)} complete`);
        ctx.out(`  by type:   ${counts(all.by_type)}`);
        ctx.out(`  by status: ${counts(all.by_status)}`);
        for (const p of all.projects) {
          ctx.out(`  ${p.slug}\t${p.total_documents} docs\t${pct(p.completion_percentage)}\tlast synced ${p.last_synced_at ?? 'never'}`);
        }
      }
      return 0;
    });
  },
};
