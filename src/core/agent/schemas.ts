// The agent tools' inputs (agents.md §1): one zod schema per tool, the only definition of what a
// model may send. The MCP server's tools/list and the manifest's `languageModelTools` both carry the
// JSON Schema generated from these (jsonSchema.ts), so the three can never disagree.
// zod's v4 API (shipped inside the zod 3 package) is used here for its own JSON Schema export.
import * as z from 'zod/v4';
import { SEVERITIES } from '../health/rules';

// zod's English messages are installed by a side effect of its entry module, which a bundler that
// trusts the package's `sideEffects: false` drops ("Invalid input" for everything): install them here.
z.config(z.locales.en());

const project = z
  .string()
  .min(1)
  .max(200)
  .describe('Project slug (see the sdlc://projects resource or sdlc_stats). Omit it to use every project in scope.');
const id = z
  .string()
  .min(1)
  .max(200)
  .describe('Document id in any written form: "US0012", "us-0012", "EP-01KZH4M7", or the full file stem; "prd", "trd" for the singletons.');
const offset = z.number().int().min(0).max(1_000_000).describe('How many results to skip (from a previous answer\'s next_offset). Default 0.');

export const searchInput = z.strictObject({
  query: z
    .string()
    .min(1)
    .max(500)
    .describe(
      'Words that must all occur (AND); "a phrase" in quotes; prefix* ; -excluded words; filters type:story status:"in progress" epic:EP0003 owner:name project:slug. A query that is exactly one id (US0012) puts that document first.',
    ),
  project: project.optional(),
  limit: z.number().int().min(1).max(50).optional().describe('Most hits to return (1–50, default 10).'),
  offset: offset.optional(),
});

export const listDocumentsInput = z.strictObject({
  project: project.optional(),
  type: z.string().min(1).max(50).optional().describe('Document type: story, epic, bug, plan, test-spec, cr, rfc, prd, trd, …'),
  status: z.string().min(1).max(100).optional().describe('Exact stored status, e.g. "In Progress", "Done"; "none" for documents without a status.'),
  epic: z.string().min(1).max(200).optional().describe('Only documents whose epic is this id (e.g. EP0003).'),
  owner: z.string().min(1).max(200).optional().describe('Only documents with this owner (case-insensitive).'),
  limit: z.number().int().min(1).max(200).optional().describe('Most rows to return (1–200, default 50).'),
  offset: offset.optional(),
});

export const getDocumentInput = z.strictObject({
  id,
  project: project.optional(),
  include_content: z.boolean().optional().describe('Include the markdown content (default true).'),
});

export const relatedInput = z.strictObject({ id, project: project.optional() });

export const statsInput = z.strictObject({ project: project.optional() });

export const healthInput = z.strictObject({
  project: project.optional(),
  min_severity: z.enum(SEVERITIES).optional().describe('Only findings at least this severe.'),
  rule: z.string().min(1).max(50).optional().describe('Only findings of this rule id, e.g. MISSING_TEST_SPEC.'),
  limit: z.number().int().min(1).max(200).optional().describe('Most findings to return (1–200, default 50).'),
  offset: offset.optional(),
});

export const setStatusInput = z.strictObject({
  id,
  status: z.string().min(1).max(100).describe('The new status, e.g. "In Progress", "Done" (must be allowed for the document\'s type).'),
  project: project.optional(),
  dry_run: z.boolean().optional().describe('Only say what would change; write nothing.'),
});

export const syncInput = z.strictObject({ project: project.optional() });

export type SearchInput = z.infer<typeof searchInput>;
export type ListDocumentsInput = z.infer<typeof listDocumentsInput>;
export type GetDocumentInput = z.infer<typeof getDocumentInput>;
export type RelatedInput = z.infer<typeof relatedInput>;
export type StatsInput = z.infer<typeof statsInput>;
export type HealthInput = z.infer<typeof healthInput>;
export type SetStatusInput = z.infer<typeof setStatusInput>;
export type SyncInput = z.infer<typeof syncInput>;

/** Every field a model sent that is wrong, as "field: reason" (never a stack). Null when valid. */
export function inputProblems(schema: z.ZodType, input: unknown): { field: string; message: string } | null {
  const r = schema.safeParse(input ?? {});
  if (r.success) return null;
  const parts: string[] = [];
  let field = '';
  for (const issue of r.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        field ||= key;
        parts.push(`${key}: unknown field`);
      }
      continue;
    }
    const at = issue.path.map(String).join('.') || 'input';
    field ||= at;
    const reason = issue.code === 'invalid_type' && / received undefined$/.test(issue.message) ? 'required' : issue.message.replace(/^Invalid input: /, '');
    parts.push(`${at}: ${reason}`);
  }
  return { field, message: parts.join('; ') };
}
