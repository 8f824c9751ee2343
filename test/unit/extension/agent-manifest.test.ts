// package.json declares the agent tools exactly as core defines them: same names, descriptions and
// input schemas (generated from the same zod schemas), and the MCP server definition provider.
// Regenerate with `npx tsx test/support/writeAgentManifest.ts`.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AGENT_TOOLS, toolJsonSchema } from '../../../src/core/agent';
import { languageModelToolContributions, MCP_PROVIDER_ID, mcpServerDefinitionProviderContributions } from '../../../src/core/agent/manifest';
import { PKG } from '../../support/manifest';
import { REPO_ROOT } from '../../support/corpora';

describe('manifest: agent tools', () => {
  const declared: Record<string, unknown>[] = PKG.contributes.languageModelTools;

  it('declares every core tool with the core schema, description and a prompt reference', () => {
    assert.deepEqual(declared, languageModelToolContributions());
    assert.deepEqual(declared.map((t) => t.name), AGENT_TOOLS.map((t) => t.name));
    for (const tool of AGENT_TOOLS) {
      const d = declared.find((t) => t.name === tool.name)!;
      assert.deepEqual(d.inputSchema, toolJsonSchema(tool), tool.name);
      assert.equal(d.modelDescription, tool.description);
      assert.equal(d.toolReferenceName, tool.name);
      assert.equal(d.canBeReferencedInPrompt, true);
      assert.equal(typeof d.displayName, 'string');
    }
  });

  it('declares the MCP server definition provider the extension registers', () => {
    assert.deepEqual(PKG.contributes.mcpServerDefinitionProviders, mcpServerDefinitionProviderContributions());
    assert.deepEqual(PKG.contributes.modelContextServerCollections, mcpServerDefinitionProviderContributions(), "VS Code 1.100's name for it");
    const source = fs.readFileSync(path.join(REPO_ROOT, 'src/extension/tools/mcpProvider.ts'), 'utf8');
    assert.match(source, /MCP_PROVIDER_ID/);
    assert.equal(MCP_PROVIDER_ID, 'sdlcLens.mcp');
  });
});
