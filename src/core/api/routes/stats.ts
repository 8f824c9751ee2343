// R12 GET /stats and R13 GET /projects/{slug}/stats (api.md §7; formulas in health-check.md §6).
import type { RequestContext, Route } from '../router';

async function allStats(ctx: RequestContext) {
  await ctx.engine.catchUp();
  return { status: 200, body: await ctx.engine.allStats() };
}

async function projectStats(ctx: RequestContext) {
  await ctx.engine.catchUp();
  return { status: 200, body: await ctx.engine.projectStats(ctx.params.slug) };
}

export const statsRoutes: Route[] = [
  { method: 'GET', pattern: '/stats', body: 'none', handler: allStats },
  { method: 'GET', pattern: '/projects/:slug/stats', body: 'none', handler: projectStats },
];
