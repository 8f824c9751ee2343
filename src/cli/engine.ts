// Opening the engine for a CLI command: warnings (e.g. a database moved aside) go to stderr.
import type { CliContext } from './command';
import { Engine } from '../core/engine';
import { ONE_SHOT_INDEX_SLICE } from '../core/store/ftsIndex';

export async function openEngine(ctx: CliContext): Promise<Engine> {
  // --debug (main.ts reads it from argv the same way) also shows the engine's progress lines
  const debug = process.argv.includes('--debug');
  return Engine.open({
    dataDir: ctx.dataDir,
    logger: { info: debug ? (m) => ctx.err(`debug: ${m}`) : () => undefined, warn: (m) => ctx.err(`warning: ${m}`), error() {} },
    indexSlice: ONE_SHOT_INDEX_SLICE, // serve and mcp open their own engine, with the default
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
