// Mocha runner loaded by the VS Code extension host through `extensionTestsPath` (code-server or
// @vscode/test-electron). It runs every compiled *.spec.js beside it and writes mocha's JSON report to
// $SDLC_LENS_TEST_RESULTS; the harness prints each result from that file. A rejected promise makes
// the workbench exit with code 1.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

function specFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.spec.js'))
    .map((f) => path.join(dir, f))
    .sort();
}

export function run(): Promise<void> {
  const output = process.env.SDLC_LENS_TEST_RESULTS;
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: Number(process.env.SDLC_LENS_TEST_TIMEOUT) || 20_000,
    reporter: output ? 'json' : 'spec',
    reporterOptions: output ? { output } : undefined,
    grep: process.env.SDLC_LENS_TEST_GREP || undefined,
  });
  const files = specFiles(__dirname);
  for (const f of files) mocha.addFile(f);
  console.log(`[sdlc-lens tests] ${files.length} spec file(s) in ${__dirname}`);
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else if (runner.stats && runner.stats.tests === 0) reject(new Error('no tests ran'));
        else resolve();
      });
      runner.on('test end', (t) => console.log(`[sdlc-lens tests] ${t.state ?? 'done'}: ${t.fullTitle()}`));
    } catch (e) {
      reject(e);
    }
  });
}
