// One of several writer processes on one data folder (several-writers.test.ts): <cycles> times it
// writes a small sdlc-studio folder, registers it, syncs it, renames the project, edits the folder
// and syncs again; between cycles it also triggers a sync of the shared project (another process's
// live run answers SYNC_IN_PROGRESS, which is counted, not an error). Prints its tally as JSON.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../../src/core/engine';

const [dataDir, root, who, cyclesArg] = process.argv.slice(2);
const cycles = Number(cyclesArg);

void (async () => {
  const engine = await Engine.open({ dataDir });
  const tally = { cycles: 0, sharedSynced: 0, sharedBusy: 0 };
  try {
    for (let i = 0; i < cycles; i++) {
      const dir = path.join(root, `${who}-${i}`, 'sdlc-studio');
      fs.mkdirSync(path.join(dir, 'stories'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'prd.md'), `# PRD ${who} ${i}\n\n> **Status:** Draft\n`);
      fs.writeFileSync(path.join(dir, 'stories', 'US0001-one.md'), `# US0001: One of ${who} ${i}\n\n> **Status:** Draft\n`);
      const p = await engine.registerProject({ name: `${who} ${i}`, sdlc_path: dir });
      const first = await (await engine.startSync(p.slug)).done;
      if (first.sync_status !== 'synced' || first.added !== 2) throw new Error(`${p.slug}: first sync ${JSON.stringify(first)}`);
      await engine.updateProject(p.slug, { name: `${who} ${i} renamed` });
      fs.writeFileSync(path.join(dir, 'stories', 'US0002-two.md'), `# US0002: Two of ${who} ${i}\n\n> **Status:** Done\n`);
      const second = await (await engine.startSync(p.slug)).done;
      if (second.sync_status !== 'synced' || second.added !== 1) throw new Error(`${p.slug}: second sync ${JSON.stringify(second)}`);
      tally.cycles++;
      try {
        const shared = await (await engine.startSync('shared')).done;
        if (shared.sync_status !== 'synced') throw new Error(`shared: ${JSON.stringify(shared)}`);
        tally.sharedSynced++;
      } catch (e) {
        if ((e as { code?: string }).code !== 'SYNC_IN_PROGRESS') throw e;
        tally.sharedBusy++;
      }
    }
    process.stdout.write(JSON.stringify(tally));
  } finally {
    await engine.close();
  }
})().catch((e: Error) => {
  process.stderr.write(`writer-child: ${e.stack ?? e.message}\n`);
  process.exitCode = 2;
});
