// R15: a status change through the engine's one writer (writing.md §4). The body is validated before
// the document is looked up; the engine answers 404 (unknown project or document), 409 CONFLICT (the
// file changed since `expected_hash`, or cannot be written), 409 TRANSITION_BLOCKED (sdlc-studio's
// reason as the message) and 422 (a status the type does not allow).
import { z } from 'zod';
import type { RequestContext, Route } from '../router';
import { HttpError } from '../respond';
import { formatIssues } from '../schemas';

const bodySchema = z.object({
  status: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  expected_hash: z.string().regex(/^[0-9a-f]{64}$/i, 'must be a sha256 hex digest (the document’s file_hash)').nullish(),
  dry_run: z.boolean().nullish(),
  force: z.boolean().nullish(),
});

function parseBody(body: unknown): z.output<typeof bodySchema> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(422, 'VALIDATION_ERROR', 'body: must be a JSON object');
  const r = bodySchema.safeParse(body);
  if (!r.success) throw new HttpError(422, 'VALIDATION_ERROR', formatIssues(r.error, ''));
  return r.data;
}

async function setStatus(ctx: RequestContext) {
  const body = parseBody(ctx.body);
  await ctx.engine.catchUp();
  const { slug, type, doc_id } = ctx.params;
  const result = await ctx.engine.setStatus({
    slug,
    type,
    doc_id,
    status: body.status,
    expected_hash: body.expected_hash?.toLowerCase() ?? undefined,
    dry_run: body.dry_run ?? false,
    force: body.force ?? false,
  });
  return { status: 200, body: result };
}

export const statusRoutes: Route[] = [{ method: 'POST', pattern: '/projects/:slug/documents/:type/:doc_id/status', body: 'json', handler: setStatus }];
