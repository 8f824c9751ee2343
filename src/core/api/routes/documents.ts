// R8–R10: document list, detail and relationships (api.md §5). Query validation precedes the slug lookup.
import type { RequestContext, Route } from '../router';
import { parseDocumentQuery } from '../schemas';

async function list(ctx: RequestContext) {
  const query = parseDocumentQuery(ctx.query);
  await ctx.engine.catchUp();
  return { status: 200, body: ctx.engine.listDocuments(ctx.params.slug, query) };
}

async function detail(ctx: RequestContext) {
  await ctx.engine.catchUp();
  const { slug, type, doc_id } = ctx.params;
  return { status: 200, body: ctx.engine.getDocument(slug, type, doc_id) };
}

async function related(ctx: RequestContext) {
  await ctx.engine.catchUp();
  const { slug, type, doc_id } = ctx.params;
  return { status: 200, body: ctx.engine.relatedDocuments(slug, type, doc_id) };
}

export const documentRoutes: Route[] = [
  { method: 'GET', pattern: '/projects/:slug/documents', body: 'none', handler: list },
  // R10 (`/related`) is listed before R9; segment counts differ, so order only documents intent.
  { method: 'GET', pattern: '/projects/:slug/documents/:type/:doc_id/related', body: 'none', handler: related },
  { method: 'GET', pattern: '/projects/:slug/documents/:type/:doc_id', body: 'none', handler: detail },
];
