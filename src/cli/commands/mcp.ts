// `sdlc-lens mcp [--project SLUG|PATH]`: the agent tools as an MCP server over stdio (agents.md §2).
// stdout carries JSON-RPC only: every log line, warning and error goes to stderr. Ends when the
// client closes stdin, or on SIGINT/SIGTERM, closing the engine cleanly.
import { flagString, type ParsedArgs } from '../args';
import type { CliCommand, CliContext } from '../command';
import { Engine } from '../../core/engine';
import { LensError } from '../../core/errors';

export const mcpCommand: CliCommand = {
  name: 'mcp',
  usage: 'mcp [--project SLUG|PATH]',
  summary: 'Serve the agent tools (sdlc_search, sdlc_get_document, …) as an MCP server over stdio',
  flags: { values: ['project'] },
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    if (args.positionals.length > 0) throw new LensError('VALIDATION_ERROR', `mcp takes no arguments, got "${args.positionals[0]}"`);
    // loaded here, not at the CLI's start: the MCP SDK (with ajv and zod) is most of the bundle, and
    // every other command would pay for evaluating it
    const [{ startMcpServer }, { LineTransport }] = await Promise.all([import('../mcp/server'), import('../mcp/transport')]);
    const debug = args.flags.has('debug');
    const log = (m: string): void => ctx.err(`sdlc-lens mcp: ${m}`);
    const engine = await Engine.open({
      dataDir: ctx.dataDir,
      logger: { info: (m) => debug && log(m), warn: (m) => log(`warning: ${m}`), error: (m) => log(`error: ${m}`) },
    });
    const transport = new LineTransport();
    let server;
    try {
      server = await startMcpServer(engine, transport, { project: flagString(args, 'project'), log });
    } catch (e) {
      await engine.close();
      throw e;
    }
    const running = server;
    log(`ready (database ${engine.dbPath})`);
    return new Promise<number>((resolve) => {
      let done = false;
      const stop = async (): Promise<void> => {
        if (done) return;
        done = true;
        await running.close().catch(() => undefined);
        await engine.close();
        resolve(0);
      };
      running.onclose = () => void stop();
      ctx.onShutdown(stop);
    });
  },
};
