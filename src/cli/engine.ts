// Opening the engine for a CLI command: warnings (e.g. a database moved aside) go to stderr.
import type { CliContext } from './command';
import { Engine } from '../core/engine';

export async function openEngine(ctx: CliContext): Promise<Engine> {
  return Engine.open({
    dataDir: ctx.dataDir,
    logger: { info() {}, warn: (m) => ctx.err(`warning: ${m}`), error() {} },
  });
}
