// The agent tools as VS Code declares them (package.json `contributes.languageModelTools`): derived
// from the one tool table, so the manifest can be checked against it (test/unit/extension/agent-
// manifest.test.ts) and regenerated with `npx tsx test/support/writeAgentManifest.ts`.
import { AGENT_TOOLS, toolJsonSchema } from './tools';

/** The MCP server definition provider's id (package.json `contributes.mcpServerDefinitionProviders`). */
export const MCP_PROVIDER_ID = 'sdlcLens.mcp';

const ICONS: Record<string, string> = {
  sdlc_search: '$(search)',
  sdlc_list_documents: '$(list-unordered)',
  sdlc_get_document: '$(file)',
  sdlc_related: '$(references)',
  sdlc_stats: '$(graph)',
  sdlc_health: '$(pulse)',
  sdlc_set_status: '$(edit)',
  sdlc_sync: '$(sync)',
};

export function languageModelToolContributions(): Record<string, unknown>[] {
  return AGENT_TOOLS.map((t) => ({
    name: t.name,
    toolReferenceName: t.name,
    displayName: t.title,
    icon: ICONS[t.name],
    canBeReferencedInPrompt: true,
    tags: ['sdlc', 'sdlc-studio', 'sdlc-lens'],
    userDescription: t.title,
    modelDescription: t.description,
    inputSchema: toolJsonSchema(t),
  }));
}

/**
 * `contributes.mcpServerDefinitionProviders` (VS Code 1.101+). VS Code 1.100 already has the API but
 * checks the id against the contribution's earlier name, `modelContextServerCollections`: the
 * manifest declares both (each version ignores the other's).
 */
export const mcpServerDefinitionProviderContributions = (): Record<string, unknown>[] => [{ id: MCP_PROVIDER_ID, label: 'SDLC Lens' }];
