// Child process for crash.test.ts: opens the engine on a data folder, registers the folder if
// needed and syncs it to the end. Run with SDLC_LENS_PHASE_MARKERS=1 it prints `@phase <name>`
// at each step, so the parent can SIGKILL it at a chosen phase; `@done <status>` when finished.
import * as fs from 'node:fs';
import { Engine } from '../../../src/core/engine';

async function main(): Promise<void> {
  const [dataDir, root, name = 'Crash'] = process.argv.slice(2);
  const e = await Engine.open({ dataDir });
  const real = fs.realpathSync(root);
  const slug = e.listProjects().find((p) => p.sdlc_path === real)?.slug ?? (await e.registerProject({ name, sdlc_path: root })).slug;
  const o = await (await e.startSync(slug)).done;
  await e.close();
  process.stderr.write(`@done ${o.sync_status}\n`);
}

main().catch((err) => {
  process.stderr.write(`@failed ${(err as Error).message}\n`);
  process.exit(1);
});
