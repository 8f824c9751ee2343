// The architecture as lint rules (eslint.config.mjs): each boundary is tried with ESLint's own Node
// API on a file placed (virtually) in the folder, so a config change that stops a rule firing fails here.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import { REPO_ROOT } from '../../support/corpora';

const eslint = new ESLint({ cwd: REPO_ROOT });

/** The ids of the rules that fire on `code` as if it were the file `rel` of the repository. */
async function rulesFired(rel: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, rel) });
  return result.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

const RESTRICTED = '@typescript-eslint/no-restricted-imports';

describe('lint: architecture boundaries', function () {
  this.timeout(60_000); // the first lint loads the config and the parser

  const cases: Array<[string, string, string]> = [
    ['src/core/x.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n", 'core imports vscode'],
    ['src/core/sync/x.ts', "import type { Uri } from 'vscode';\nexport type U = Uri;\n", 'core imports a vscode type'],
    ['src/core/x.ts', "import { activate } from '../extension/extension';\nexport const a = activate;\n", 'core imports the extension'],
    ['src/core/api/x.ts', "export { log } from '../../extension/log';\n", 'core re-exports from the extension'],
    ['src/cli/x.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n", 'cli imports vscode'],
    ['src/cli/commands/x.ts', "import { activate } from '../../extension/extension';\nexport const a = activate;\n", 'cli imports the extension'],
    ['src/extension/x.ts', "import initSqlJs from 'sql.js';\nexport const s = initSqlJs;\n", 'extension imports sql.js'],
    ['src/extension/tree/x.ts', "import * as store from '../../core/store/database';\nexport const s = store;\n", 'extension imports the store'],
    ['test/unit/x.test.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n", 'a unit test imports vscode'],
  ];
  for (const [file, code, what] of cases) {
    it(`rejects: ${what} (${file})`, async () => {
      assert.deepEqual(await rulesFired(file, code), [RESTRICTED]);
    });
  }

  const allowed: Array<[string, string, string]> = [
    ['src/extension/x.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n", 'extension imports vscode'],
    ['src/extension/x.ts', "import { LensError } from '../core/errors';\nexport const e = LensError;\n", 'extension imports core'],
    ['src/cli/x.ts', "import { Engine } from '../core/engine';\nexport const e = Engine;\n", 'cli imports the engine'],
    ['test/integration/x.spec.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n", 'an integration spec imports vscode'],
  ];
  for (const [file, code, what] of allowed) {
    it(`allows: ${what} (${file})`, async () => {
      assert.deepEqual(await rulesFired(file, code), []);
    });
  }

  it('rejects require() of vscode in src/core (imports are ES imports only)', async () => {
    const fired = await rulesFired('src/core/x.ts', "export const v = require('vscode');\n");
    assert.deepEqual(fired, ['@typescript-eslint/no-require-imports']);
  });
});
