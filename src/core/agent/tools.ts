// The agent tools (agents.md §1), defined once: name, a description written for a model, the input
// schema (schemas.ts) and whether the tool writes. The MCP server (src/cli/commands/mcp.ts), the VS
// Code language-model tools (src/extension/tools/) and the manifest's `languageModelTools` are all
// derived from this table; the handlers are in handlers.ts.
import * as z from 'zod/v4';
import * as s from './schemas';

export interface AgentToolSpec {
  name: string;
  /** Short human title (VS Code's displayName, MCP's title). */
  title: string;
  /** What a model reads to decide when and how to call the tool. */
  description: string;
  /** False for the two tools that write (sdlc_set_status, sdlc_sync). */
  readOnly: boolean;
  schema: z.ZodType;
}

export const AGENT_TOOLS: readonly AgentToolSpec[] = Object.freeze([
  {
    name: 'sdlc_search',
    title: 'Search SDLC documents',
    readOnly: true,
    schema: s.searchInput,
    description:
      'Full-text search over the sdlc-studio documents (PRD, TRD, epics, stories, plans, test specs, bugs, change requests, RFCs…) indexed by SDLC Lens. ' +
      'Use it instead of grepping the sdlc-studio/ folder. All words must match; supports "phrases", prefix*, -exclusions and filters such as type:story status:"in progress" epic:EP0003 owner:name. ' +
      'Answers JSON: hits (id, type, title, status, project, file_path, plain-text snippet, score), total, and next_offset when truncated.',
  },
  {
    name: 'sdlc_list_documents',
    title: 'List SDLC documents',
    readOnly: true,
    schema: s.listDocumentsInput,
    description:
      'Lists documents with their header fields, filtered by type, status, epic and owner, e.g. every story of epic EP0003 that is "In Progress". ' +
      'Answers JSON rows (id, type, title, status, epic, owner, priority, story_points, file_path, project) and total; page with limit/offset (truncated + next_offset).',
  },
  {
    name: 'sdlc_get_document',
    title: 'Get an SDLC document',
    readOnly: true,
    schema: s.getDocumentInput,
    description:
      'One document by id (US0012, EP-01KZH4M7, prd…): its header metadata, file_path and markdown content. ' +
      'If the id exists in several projects, the error lists them: call again with project.',
  },
  {
    name: 'sdlc_related',
    title: 'Related SDLC documents',
    readOnly: true,
    schema: s.relatedInput,
    description:
      "A document's relationships: parents (its story and epic), children (an epic's stories, a story's plans, test specs, bugs), " +
      'depends_on (what it depends on) and dependents (what depends on it). Use it for "what depends on US0123?" or "what belongs to EP0003?".',
  },
  {
    name: 'sdlc_stats',
    title: 'SDLC project statistics',
    readOnly: true,
    schema: s.statsInput,
    description:
      'Counts of documents by type and by status and the story completion percentage, for one project or (without project) one row per project in scope. Also the way to learn the project slugs.',
  },
  {
    name: 'sdlc_health',
    title: 'SDLC health check',
    readOnly: true,
    schema: s.healthInput,
    description:
      "The project's health check: a score out of 100, counts by severity, and findings (rule id, severity, message, suggested fix, the documents concerned with id and file_path), " +
      'e.g. active stories without a test spec (MISSING_TEST_SPEC), stories without an epic, broken references. Filter by min_severity or rule; page with limit/offset.',
  },
  {
    name: 'sdlc_set_status',
    title: 'Set the status of an SDLC document',
    readOnly: false,
    schema: s.setStatusInput,
    description:
      "Changes one document's Status (e.g. a story to \"In Progress\" or \"Done\") in its markdown file, through sdlc-studio's own transition.py when the skill is installed, else by editing only the status value. " +
      'Answers {from, to, writer, changed, file_path}. A transition the skill refuses is an error carrying its reason: report it, do not retry with another status. Use dry_run to check first.',
  },
  {
    name: 'sdlc_sync',
    title: 'Sync SDLC documents',
    readOnly: false,
    schema: s.syncInput,
    description:
      "Re-reads a project's sdlc-studio/ folder into SDLC Lens's index (only changed files are read). Rarely needed: every other tool syncs a project whose files changed before reading it. " +
      'Answers the outcome: added, updated, skipped, deleted, errors, duration_ms.',
  },
]);

export const AGENT_TOOL_NAMES: readonly string[] = AGENT_TOOLS.map((t) => t.name);

export const agentTool = (name: string): AgentToolSpec | undefined => AGENT_TOOLS.find((t) => t.name === name);

/** The tool's input as JSON Schema (draft-07, as MCP and VS Code expect), without the `$schema` key. */
export function toolJsonSchema(tool: AgentToolSpec): Record<string, unknown> {
  const { $schema: _drop, ...schema } = z.toJSONSchema(tool.schema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  return schema;
}
