// Request-shape validation (zod v3). Domain checks (slugify, paths, conflicts) stay in the engine.
import { z } from 'zod';
import type { DocumentQuery, ProjectInput, ProjectUpdate } from '../engine-api';
import { HttpError } from './respond';

/** Length in Unicode code points, as the original (Python) counted it. */
const codePoints = (s: string): number => [...s].length;

const name = z
  .string()
  .refine((s) => codePoints(s) >= 1, 'must not be empty')
  .refine((s) => codePoints(s) <= 200, 'must be at most 200 characters');
const sdlcPath = z.string().min(1, 'must not be empty');
const sourceType = z.literal('local', { errorMap: () => ({ message: "must be 'local'" }) });

export const projectInputSchema = z.object({
  name,
  sdlc_path: sdlcPath,
  source_type: sourceType.optional(),
});

export const projectUpdateSchema = z
  .object({
    name: name.nullish(),
    sdlc_path: sdlcPath.nullish(),
    source_type: sourceType.nullish(),
  })
  .refine((u) => u.name != null || u.sdlc_path != null || u.source_type != null, {
    message: 'At least one field must be provided',
  });

const SORTS = ['title', 'type', 'status', 'updated_at'] as const;
const ORDERS = ['asc', 'desc'] as const;

/** A positive integer given as decimal text. */
const positiveInt = z
  .string()
  .regex(/^\+?\d+$/, 'must be an integer')
  .transform(Number)
  .pipe(z.number().int().safe('must be an integer').min(1, 'must be greater than or equal to 1'));

export const documentQuerySchema = z.object({
  type: z.string().optional(),
  status: z.string().optional(),
  sort: z.enum(SORTS, { errorMap: () => ({ message: `must be one of ${SORTS.join(', ')}` }) }).optional(),
  order: z.enum(ORDERS, { errorMap: () => ({ message: `must be one of ${ORDERS.join(', ')}` }) }).optional(),
  page: positiveInt.optional(),
  per_page: positiveInt.transform((n) => Math.min(n, 100)).optional(),
});

/** `; `-joined `<location>: <problem>` items (api.md §1.1); body-level failures carry no location. */
export function formatIssues(error: z.ZodError, prefix: string): string {
  return error.issues
    .map((i) => {
      const loc = i.path.length ? `${prefix}${i.path.join('.')}` : '';
      const problem = i.code === 'invalid_type' && i.received === 'undefined' ? 'field required' : i.message;
      return loc ? `${loc}: ${problem}` : problem;
    })
    .join('; ');
}

function parseWith<T extends z.ZodTypeAny>(schema: T, value: unknown, prefix: string): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new HttpError(422, 'VALIDATION_ERROR', formatIssues(r.error, prefix));
  return r.data;
}

function requireObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(422, 'VALIDATION_ERROR', 'body: must be a JSON object');
  }
  return body as Record<string, unknown>;
}

export function parseProjectInput(body: unknown): ProjectInput {
  const v = parseWith(projectInputSchema, requireObject(body), '');
  return { name: v.name, sdlc_path: v.sdlc_path, source_type: 'local' };
}

export function parseProjectUpdate(body: unknown): ProjectUpdate {
  const v = parseWith(projectUpdateSchema, requireObject(body), '');
  const update: ProjectUpdate = {};
  if (v.name != null) update.name = v.name;
  if (v.sdlc_path != null) update.sdlc_path = v.sdlc_path;
  if (v.source_type != null) update.source_type = v.source_type;
  return update;
}

/** Query strings: a repeated parameter keeps its last value (as the original did); unknown keys are ignored. */
export function lastValues(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) out[k] = v;
  return out;
}

export function parseDocumentQuery(params: URLSearchParams): DocumentQuery {
  return parseWith(documentQuerySchema, lastValues(params), 'query.');
}
