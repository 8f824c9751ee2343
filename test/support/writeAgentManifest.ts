// Writes the agent tools' contributions (src/core/agent/manifest.ts) into package.json:
//   npx tsx test/support/writeAgentManifest.ts
import * as fs from 'node:fs';
import * as path from 'node:path';
import { languageModelToolContributions, mcpServerDefinitionProviderContributions } from '../../src/core/agent/manifest';
import { REPO_ROOT } from './corpora';

const file = path.join(REPO_ROOT, 'package.json');
const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
pkg.contributes.languageModelTools = languageModelToolContributions();
pkg.contributes.mcpServerDefinitionProviders = mcpServerDefinitionProviderContributions();
pkg.contributes.modelContextServerCollections = mcpServerDefinitionProviderContributions();
fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
