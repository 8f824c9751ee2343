// R2–R7: project CRUD and the sync trigger (api.md §4, seed story US0003).
import type { RequestContext, Route } from '../router';
import { parseProjectInput, parseProjectUpdate } from '../schemas';

async function list(ctx: RequestContext) {
  await ctx.engine.catchUp();
  return { status: 200, body: ctx.engine.listProjects() };
}

async function register(ctx: RequestContext) {
  const input = parseProjectInput(ctx.body);
  await ctx.engine.catchUp();
  return { status: 201, body: await ctx.engine.registerProject(input) };
}

async function get(ctx: RequestContext) {
  await ctx.engine.catchUp();
  return { status: 200, body: ctx.engine.getProject(ctx.params.slug) };
}

async function update(ctx: RequestContext) {
  const changes = parseProjectUpdate(ctx.body);
  await ctx.engine.catchUp();
  return { status: 200, body: await ctx.engine.updateProject(ctx.params.slug, changes) };
}

async function remove(ctx: RequestContext) {
  await ctx.engine.catchUp();
  await ctx.engine.deleteProject(ctx.params.slug);
  return { status: 204 };
}

async function sync(ctx: RequestContext) {
  await ctx.engine.catchUp();
  const started = await ctx.engine.startSync(ctx.params.slug);
  // The run continues in the background; `done` never rejects, but never leave a rejection unhandled.
  started.done.catch(() => undefined);
  return {
    status: 202,
    body: { slug: started.project.slug, sync_status: 'syncing', message: 'Sync started' },
  };
}

export const projectRoutes: Route[] = [
  { method: 'GET', pattern: '/projects', body: 'none', handler: list },
  { method: 'POST', pattern: '/projects', body: 'json', handler: register },
  { method: 'GET', pattern: '/projects/:slug', body: 'none', handler: get },
  { method: 'PUT', pattern: '/projects/:slug', body: 'json', handler: update },
  { method: 'DELETE', pattern: '/projects/:slug', body: 'none', handler: remove },
  { method: 'POST', pattern: '/projects/:slug/sync', body: 'none', handler: sync },
];
