// Child of failed-write.test.ts, run as uid nobody: opens the engine on <dataDir>, syncs <slug>,
// and when the run reports 'applying' (its claim is stored, its result not yet) prints "@held" and
// blocks reading the FIFO <gate> until the parent writes to it (meanwhile the parent makes the data
// folder read-only). Prints the run's outcome as JSON, then closes the engine and exits.
import * as fs from 'node:fs';
import { Engine } from '../../../src/core/engine';

const [dataDir, slug, gate] = process.argv.slice(2);

void (async () => {
  const engine = await Engine.open({ dataDir });
  try {
    let held = false;
    const { done } = await engine.startSync(slug, {
      onProgress: (p) => {
        if (held || p.phase !== 'applying') return;
        held = true;
        fs.writeSync(1, '@held\n');
        fs.readFileSync(gate); // blocks until the parent opens the FIFO's write end and closes it
      },
    });
    fs.writeSync(1, `${JSON.stringify(await done)}\n`);
  } finally {
    await engine.close();
  }
})().catch((e: Error) => {
  process.stderr.write(`failed-write-child: ${e.message}\n`);
  process.exitCode = 2;
});
