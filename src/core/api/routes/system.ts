// R1 GET /system/health: 200 when the database answers, 503 (same body) when it cannot.
import type { SystemHealth } from '../../engine-api';
import type { RequestContext, Route } from '../router';

async function health(ctx: RequestContext): Promise<{ status: number; body: SystemHealth }> {
  try {
    await ctx.engine.refresh();
  } catch {
    // health() below reports the database state; a failed refresh must not turn into a 500.
  }
  const h = ctx.engine.health();
  const body: SystemHealth = ctx.version ? { ...h, version: ctx.version } : h;
  return { status: h.status === 'healthy' ? 200 : 503, body };
}

export const systemRoutes: Route[] = [{ method: 'GET', pattern: '/system/health', body: 'none', handler: health }];
