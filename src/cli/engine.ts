// Opening the engine for a CLI command: warnings (e.g. a database moved aside) go to stderr.
import type { CliContext } from './command';
import { Engine } from '../core/engine';

export async function openEngine(ctx: CliContext): Promise<Engine> {
  return Engine.open({
    dataDir: ctx.dataDir,
    logger: { info() {}, warn: (m) => ctx.err(`warning: ${m}`), error() {} },
  });
}

/** Runs `fn` with an open engine and always closes it (cancelling and recording any running sync). */
export async function withEngine<T>(ctx: CliContext, fn: (engine: Engine) => Promise<T> | T): Promise<T> {
  const engine = await openEngine(ctx);
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}
