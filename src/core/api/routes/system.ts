// R1 GET /system/health: 200 when the database answers, 503 (same body) when it cannot.
import type { SystemHealth } from '../../engine-api';
import type { RequestContext, Route } from '../router';

async function health(ctx: RequestContext): Promise<{ status: number; body: SystemHealth }> {
  let reachable = true;
  try {
    await ctx.engine.catchUp();
  } catch {
    // The file on disk cannot be read (gone, replaced, unreadable): the in-memory copy may still
    // answer, but the database is not reachable. Reported as unhealthy, never as a 500.
    reachable = false;
  }
  const current = ctx.engine.health();
  const h: SystemHealth = reachable
    ? current
    : { ...current, status: 'unhealthy', database: 'disconnected', migration_ok: false, fts_ok: false, ready: false };
  const body: SystemHealth = ctx.version ? { ...h, version: ctx.version } : h;
  return { status: h.status === 'healthy' ? 200 : 503, body };
}

export const systemRoutes: Route[] = [{ method: 'GET', pattern: '/system/health', body: 'none', handler: health }];
