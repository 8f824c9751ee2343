// R11 GET /search (api.md §6): the query language (§6.1) over every project, BM25-ranked, filtered, paged.
import { z } from 'zod';
import type { SearchQuery } from '../../engine-api';
import { codePointLength, MAX_PER_PAGE, MAX_QUERY_LENGTH } from '../../search';
import type { RequestContext, Route } from '../router';
import { HttpError } from '../respond';
import { formatIssues, lastValues } from '../schemas';

const int = (min: number, max?: number) =>
  z
    .string()
    .regex(/^\+?\d+$/, 'must be an integer')
    .transform(Number)
    .pipe(
      max === undefined
        ? z.number().int().safe('must be an integer').min(min, `must be greater than or equal to ${min}`)
        : z.number().int().min(min, `must be greater than or equal to ${min}`).max(max, `must be less than or equal to ${max}`),
    );

export const searchQuerySchema = z.object({
  q: z
    .string()
    .refine((s) => codePointLength(s) >= 1, 'must not be empty')
    .refine((s) => codePointLength(s) <= MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters`),
  project: z.string().optional(),
  type: z.string().optional(),
  status: z.string().optional(),
  page: int(1).optional(),
  per_page: int(1, MAX_PER_PAGE).optional(), // more than 50 is an error, not capped (unlike R8)
});

export function parseSearchQuery(params: URLSearchParams): SearchQuery {
  const r = searchQuerySchema.safeParse(lastValues(params));
  if (!r.success) throw new HttpError(422, 'VALIDATION_ERROR', formatIssues(r.error, 'query.'));
  return r.data;
}

async function search(ctx: RequestContext) {
  const query = parseSearchQuery(ctx.query);
  await ctx.engine.catchUp();
  return { status: 200, body: await ctx.engine.searchSettled(query) };
}

export const searchRoutes: Route[] = [{ method: 'GET', pattern: '/search', body: 'none', handler: search }];
