// `sdlc-lens`: the headless CLI over the same engine as the extension.
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs, flagString } from './args';
import type { CliCommand, CliContext } from './command';
import { checkCommand } from './commands/check';
import { mcpCommand } from './commands/mcp';
import { docsCommand, projectsCommand } from './commands/projects';
import { searchCommand } from './commands/search';
import { serveCommand } from './commands/serve';
import { setStatusCommand } from './commands/setStatus';
import { statsCommand } from './commands/stats';
import { syncCommand } from './commands/sync';
import { isLensError, LensError, messageOf } from '../core/errors';
import { VERSION } from '../core/version';
import { BASELINE_ONLY_LINE, baselineWasmOnly } from './wasmTier';

const COMMANDS: CliCommand[] = [syncCommand, projectsCommand, docsCommand, searchCommand, statsCommand, checkCommand, setStatusCommand, serveCommand, mcpCommand];
const GLOBAL_VALUES = ['data-dir'];
const GLOBAL_BOOLEANS = ['debug', 'help'];

/** Per-user data folder: $SDLC_LENS_DATA_DIR, else the platform's usual place. */
export function defaultDataDir(): string {
  if (process.env.SDLC_LENS_DATA_DIR) return process.env.SDLC_LENS_DATA_DIR;
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'sdlc-lens');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'sdlc-lens');
  return path.join(process.env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'sdlc-lens');
}

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return [
    `sdlc-lens ${VERSION} — sync and query sdlc-studio documents`,
    '',
    'Usage: sdlc-lens <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Options for every command:',
    `  --data-dir DIR  database folder (default: ${defaultDataDir()})`,
    '  --debug         print stack traces on failure, and the engine\'s progress lines',
    '  --version, --help',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const ctxBase = { out: (l: string) => process.stdout.write(l + '\n'), err: (l: string) => process.stderr.write(l + '\n') };
  try {
    if (argv[0] === '--version' || argv[0] === '-v') {
      ctxBase.out(VERSION);
      return 0;
    }
    if (!argv.length || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      ctxBase.out(help());
      return argv.length ? 0 : 2;
    }
    const command = COMMANDS.find((c) => c.name === argv[0]);
    if (!command) throw new LensError('VALIDATION_ERROR', `unknown command "${argv[0]}" (see sdlc-lens --help)`);
    const args = parseArgs(argv.slice(1), {
      values: [...(command.flags.values ?? []), ...GLOBAL_VALUES],
      booleans: [...(command.flags.booleans ?? []), ...GLOBAL_BOOLEANS],
    });
    if (args.flags.has('help')) {
      ctxBase.out(`Usage: sdlc-lens ${command.usage}\n\n${command.summary}`);
      return 0;
    }
    const shutdownHandlers: (() => Promise<void>)[] = [];
    let shuttingDown = false;
    const onSignal = (): void => {
      if (shuttingDown) {
        // a second Ctrl-C: stop waiting for a clean shutdown
        ctxBase.err('sdlc-lens: interrupted');
        process.exit(130);
      }
      shuttingDown = true;
      void Promise.all(shutdownHandlers.map((h) => h())).catch((e) => ctxBase.err(`sdlc-lens: ${messageOf(e)}`));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const ctx: CliContext = {
      ...ctxBase,
      dataDir: path.resolve(flagString(args, 'data-dir') ?? defaultDataDir()),
      onShutdown: (h) => {
        shutdownHandlers.push(h);
        // a signal that arrived before this handler existed (e.g. while opening the database) still counts
        if (shuttingDown) void h().catch((e) => ctxBase.err(`sdlc-lens: ${messageOf(e)}`));
      },
    };
    if (command.brief === true || (command.brief && command.brief(args, ctx.dataDir))) {
      baselineWasmOnly();
      if (debug) ctxBase.err(`debug: ${BASELINE_ONLY_LINE}`);
    }
    try {
      return await command.run(args, ctx);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  } catch (e) {
    ctxBase.err(`sdlc-lens: ${isLensError(e) ? e.message : messageOf(e)}`);
    if (debug && e instanceof Error && e.stack) ctxBase.err(e.stack);
    return isLensError(e) && e.code === 'VALIDATION_ERROR' ? 2 : 1;
  }
}

/** Runs the command line of this process and exits with its code (cli/launch.ts, or this bundle run directly). */
export function runCommandLine(): void {
  void main(process.argv.slice(2)).then((code) => {
    // Exit as soon as the output is flushed: V8 may still be optimising sql.js's wasm in the
    // background, which would otherwise hold the process open for a few hundred milliseconds.
    process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  });
}

if (require.main === module) runCommandLine();
