// The agent tools in VS Code: language-model tools (1.95+) and the MCP server definition (1.101+),
// each registered only where the running VS Code has the API; on 1.90–1.94 nothing is registered.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import type { Logger } from '../../core/types';
import { agentToolImplementations } from './languageModelTools';
import { mcpApi, toolApi, type LanguageModelTool } from './lmApi';
import { MCP_PROVIDER_ID, mcpLaunch, mcpProvider, type McpServerLaunch } from './mcpProvider';

export interface AgentToolsInfo {
  /** The tool implementations by name (registered or not): the integration tests call them directly. */
  readonly implementations: ReadonlyMap<string, LanguageModelTool>;
  /** Names registered with vscode.lm.registerTool (empty before VS Code 1.95). */
  readonly registered: readonly string[];
  /** Whether the MCP server definition provider is registered (VS Code 1.101+). */
  readonly mcp: boolean;
  readonly launch: McpServerLaunch;
  /** What the MCP server definition runs: command, args, env. */
  readonly definition: ReturnType<typeof mcpLaunch>;
}

export interface AgentToolsContext {
  engine: AsyncLensEngine;
  log: Logger;
  extensionPath: string;
  dataDir: string;
  version: string;
  workspaceRoots(): string[];
}

const inside = (child: string, parent: string): boolean => {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

export function registerAgentTools(ctx: AgentToolsContext): { info: AgentToolsInfo; disposables: vscode.Disposable[] } {
  const disposables: vscode.Disposable[] = [];
  const tools = toolApi();
  // The workspace's projects, when it has some; else every registered project.
  const scope = async (): Promise<string[] | undefined> => {
    const roots = ctx.workspaceRoots();
    const slugs = (await ctx.engine.listProjects()).filter((p) => p.sdlc_path && roots.some((r) => inside(p.sdlc_path!, r))).map((p) => p.slug);
    return slugs.length ? slugs : undefined;
  };
  const implementations = agentToolImplementations({ engine: ctx.engine, scope, result: (text) => (tools ? tools.result(text) : text) });
  const registered: string[] = [];
  if (tools) {
    for (const [name, impl] of implementations) {
      try {
        disposables.push(tools.register(name, impl));
        registered.push(name);
      } catch (e) {
        ctx.log.warn(`could not register the language-model tool ${name}: ${(e as Error).message}`);
      }
    }
  }
  const launch: McpServerLaunch = { cliPath: path.join(ctx.extensionPath, 'dist', 'cli.js'), dataDir: ctx.dataDir, version: ctx.version };
  let mcp = false;
  const m = mcpApi();
  if (m) {
    try {
      disposables.push(m.register(MCP_PROVIDER_ID, mcpProvider(launch, m.stdio)));
      mcp = true;
    } catch (e) {
      ctx.log.warn(`could not provide the MCP server: ${(e as Error).message}`);
    }
  }
  ctx.log.info(
    `agent tools: ${registered.length ? `${registered.length} language-model tools` : 'no language-model tool API (VS Code < 1.95)'}; ${mcp ? 'MCP server provided' : 'no MCP provider API (VS Code < 1.101)'}`,
  );
  return { info: { implementations, registered, mcp, launch, definition: mcpLaunch(launch) }, disposables };
}
