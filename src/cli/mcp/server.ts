// The MCP server of `sdlc-lens mcp` (agents.md §2): the agent tools of src/core/agent/ as MCP tools,
// the projects as resources, scoped by --project or the client's roots. The SDK's Server does the
// protocol (initialize, capabilities, request routing); every answer comes from the engine.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  RootsListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { AGENT_TOOLS, agentTool, toolJsonSchema } from '../../core/agent';
import type { LensEngine } from '../../core/engine-api';
import { messageOf } from '../../core/errors';
import type { Project } from '../../core/types';
import { projectOfFlag, projectsInRoots } from './scope';

export interface McpServerOptions {
  /** --project: a slug or a folder; fixes the scope, roots are then ignored. */
  project?: string;
  log: (message: string) => void;
}

const INSTRUCTIONS =
  'SDLC Lens indexes the sdlc-studio/ documents (PRD, TRD, epics, stories, plans, test specs, bugs, CRs, RFCs) of the projects in scope. ' +
  'Prefer these tools to reading or grepping sdlc-studio/ files: sdlc_search and sdlc_list_documents to find documents, sdlc_get_document to read one, ' +
  'sdlc_related for its epic, stories and dependencies, sdlc_stats and sdlc_health for progress and problems, sdlc_set_status to change a status.';

/** The scope: slugs, or undefined for every registered project. Recomputed when the roots change. */
class Scope {
  #current: Promise<string[] | undefined> = Promise.resolve(undefined);
  set(next: Promise<string[] | undefined>): void {
    this.#current = next;
  }
  get(): Promise<string[] | undefined> {
    return this.#current;
  }
}

export async function startMcpServer(engine: LensEngine, transport: Transport, opts: McpServerOptions): Promise<Server> {
  const server = new Server(
    { name: 'sdlc-lens', title: 'SDLC Lens', version: engine.version },
    { capabilities: { tools: {}, resources: {} }, instructions: INSTRUCTIONS },
  );
  const scope = new Scope();
  const fixed = opts.project !== undefined ? [await projectOfFlag(engine, opts.project, opts.log)] : undefined;
  if (fixed) {
    scope.set(Promise.resolve(fixed));
    opts.log(`scope: ${fixed[0]} (--project)`);
  }

  const readRoots = (): void => {
    if (fixed || !server.getClientCapabilities()?.roots) return;
    scope.set(
      server
        .listRoots()
        .then(async ({ roots }) => {
          const slugs = await projectsInRoots(engine, roots.map((r) => r.uri), opts.log);
          opts.log(`scope: ${slugs.length ? slugs.join(', ') : 'every project'} (roots: ${roots.map((r) => r.uri).join(', ') || 'none'})`);
          return slugs.length ? slugs : undefined;
        })
        .catch((e) => {
          opts.log(`could not read the client's roots (${messageOf(e)}): every project is in scope`);
          return undefined;
        }),
    );
  };
  server.oninitialized = readRoots;
  server.setNotificationHandler(RootsListChangedNotificationSchema, async () => readRoots());

  const inScope = async (): Promise<Project[]> => {
    const slugs = await scope.get();
    const all = engine.listProjects();
    return slugs ? all.filter((p) => slugs.includes(p.slug)) : all;
  };

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: AGENT_TOOLS.map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: toolJsonSchema(t) as { type: 'object' },
      annotations: { title: t.title, readOnlyHint: t.readOnly, destructiveHint: false, idempotentHint: t.readOnly, openWorldHint: false },
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (req) => {
    const { name, arguments: args } = req.params;
    if (!agentTool(name)) throw new McpError(ErrorCode.InvalidParams, `Unknown tool "${name}" (tools: ${AGENT_TOOLS.map((t) => t.name).join(', ')})`);
    const answer = await engine.agentTool(name, args ?? {}, { projects: await scope.get() });
    return { content: [{ type: 'text', text: answer.text }], isError: answer.isError };
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({
    resources: [
      { uri: 'sdlc://projects', name: 'projects', title: 'SDLC Lens projects', mimeType: 'application/json', description: 'The projects in scope: slug, name, folder, sync state, document count.' },
      ...(await inScope()).map((p) => ({
        uri: `sdlc://project/${p.slug}`,
        name: p.slug,
        title: p.name,
        mimeType: 'application/json',
        description: `${p.name}: document counts, completion and health score`,
      })),
    ],
  }));

  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: [
      { uriTemplate: 'sdlc://project/{slug}', name: 'project', title: 'SDLC Lens project summary', mimeType: 'application/json', description: 'Counts by type and status, completion and health score of one project.' },
    ],
  }));

  server.setRequestHandler(ReadResourceRequestSchema, async (req) => {
    const uri = req.params.uri;
    const projects = await inScope();
    const json = (value: unknown) => ({ contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(value) }] });
    if (uri === 'sdlc://projects') {
      return json({
        projects: projects.map((p) => ({
          slug: p.slug,
          name: p.name,
          sdlc_path: p.sdlc_path,
          sync_status: p.sync_status,
          sync_error: p.sync_error,
          document_count: p.document_count,
          last_synced_at: p.last_synced_at,
        })),
      });
    }
    const m = /^sdlc:\/\/project\/([^/?#]+)$/.exec(uri);
    const project = m ? projects.find((p) => p.slug === decodeURIComponent(m[1])) : undefined;
    if (!project) throw new McpError(-32002, `Resource not found: ${uri} (projects: ${projects.map((p) => `sdlc://project/${p.slug}`).join(', ') || 'none'})`);
    const stats = engine.projectStats(project.slug);
    const health = engine.healthCheck(project.slug);
    return json({
      slug: project.slug,
      name: project.name,
      sdlc_path: project.sdlc_path,
      sync_status: project.sync_status,
      last_synced_at: project.last_synced_at,
      total_documents: stats.total_documents,
      by_type: stats.by_type,
      by_status: stats.by_status,
      completion_percentage: stats.completion_percentage,
      health: { score: health.score, summary: health.summary },
    });
  });

  server.onerror = (e) => opts.log(`protocol: ${messageOf(e)}`);
  await server.connect(transport);
  return server;
}
