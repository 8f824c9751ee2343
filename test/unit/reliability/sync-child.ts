// Runs one sync in its own process (so a test can run it as an unprivileged user): opens the
// engine on <dataDir>, registers <sdlcPath> as <name> if needed, syncs it, prints the outcome.
import { Engine } from '../../../src/core/engine';

const [dataDir, name, sdlcPath] = process.argv.slice(2);

void (async () => {
  const engine = await Engine.open({ dataDir });
  try {
    if (!engine.listProjects().some((p) => p.slug === name)) await engine.registerProject({ name, sdlc_path: sdlcPath });
    const outcome = await (await engine.startSync(name)).done;
    process.stdout.write(JSON.stringify(outcome));
  } finally {
    await engine.close();
  }
})().catch((e: Error) => {
  process.stderr.write(`sync-child: ${e.message}\n`);
  process.exitCode = 2;
});
