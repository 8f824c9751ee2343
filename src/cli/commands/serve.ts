// `sdlc-lens serve [--port N] [--token T]`: the /api/v1 REST server over the data folder's database.
// Prints one line once listening, and a second with the token when it generated one (none given:
// api.md §1.2, every mutating request needs a token); SIGINT/SIGTERM stop it cleanly (exit 0).
import { flagString, type ParsedArgs } from '../args';
import type { CliCommand, CliContext } from '../command';
import { Engine } from '../../core/engine';
import { LensError } from '../../core/errors';
import type { Logger } from '../../core/types';

export const DEFAULT_PORT = 7878;

export function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new LensError('VALIDATION_ERROR', `--port must be an integer between 0 and 65535, got "${value}"`);
  }
  return n;
}

function stderrLogger(ctx: CliContext): Logger {
  return { info() {}, warn: (m) => ctx.err(`warning: ${m}`), error: (m) => ctx.err(`error: ${m}`) };
}

export const serveCommand: CliCommand = {
  name: 'serve',
  usage: 'serve [--port N] [--token T]',
  summary: 'Serve the /api/v1 REST API on 127.0.0.1 (token also from SDLC_LENS_TOKEN; generated and printed when none is given)',
  flags: { values: ['port', 'token'] },
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    if (args.positionals.length > 0) {
      throw new LensError('VALIDATION_ERROR', `serve takes no arguments, got "${args.positionals[0]}"`);
    }
    const port = parsePort(flagString(args, 'port'));
    // loaded here: the API's routes and zod schemas are a large part of the bundle (see mcp.ts)
    const [{ startApiServer }, { generateToken }] = await Promise.all([import('../../core/api/server'), import('../../core/api/posture')]);
    const given = flagString(args, 'token') || process.env.SDLC_LENS_TOKEN || null;
    const token = given ?? generateToken();
    const logger = stderrLogger(ctx);
    const engine = await Engine.open({ dataDir: ctx.dataDir });
    let server;
    try {
      server = await startApiServer({ engine, port, token, logger });
    } catch (e) {
      await engine.close();
      throw e;
    }
    const running = server;
    return new Promise<number>((resolve) => {
      ctx.onShutdown(async () => {
        await running.close();
        await engine.close();
        resolve(0);
      });
      ctx.out(`SDLC Lens API listening on ${running.url}`);
      // a token the user gave is never echoed (it may sit in a shared log); a generated one must be
      if (!given) ctx.out(`API token: ${token} (send it as "Authorization: Bearer <token>")`);
    });
  },
};
