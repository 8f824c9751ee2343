// The MCP server for MCP-aware chats (VS Code 1.101+): the bundled CLI's `mcp` command, run with the
// extension host's own runtime (ELECTRON_RUN_AS_NODE makes VS Code's executable a plain Node) over
// the same data folder as the extension. provideMcpServerDefinitions only builds the definition:
// it never prompts and starts nothing.
import { MCP_PROVIDER_ID } from '../../core/agent/manifest';
import type { McpServerDefinitionProvider } from './lmApi';

export interface McpServerLaunch {
  /** dist/cli.js of the installed extension. */
  cliPath: string;
  /** The extension's globalStorage folder (the engine's data folder). */
  dataDir: string;
  version: string;
}

export { MCP_PROVIDER_ID };

/** The stdio definition's parts: label, command, args, env, version. */
export function mcpLaunch(l: McpServerLaunch): { label: string; command: string; args: string[]; env: Record<string, string>; version: string } {
  return { label: 'SDLC Lens', command: process.execPath, args: [l.cliPath, 'mcp', '--data-dir', l.dataDir], env: { ELECTRON_RUN_AS_NODE: '1' }, version: l.version };
}

export function mcpProvider(l: McpServerLaunch, stdio: (label: string, command: string, args: string[], env: Record<string, string>, version: string) => unknown): McpServerDefinitionProvider {
  return {
    provideMcpServerDefinitions() {
      const d = mcpLaunch(l);
      return [stdio(d.label, d.command, d.args, d.env, d.version)];
    },
  };
}
