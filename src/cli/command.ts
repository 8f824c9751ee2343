// One CLI command. Each lives in src/cli/commands/<name>.ts and is listed in commands/index.ts.
import type { ParsedArgs, FlagSpec } from './args';

export interface CliContext {
  /** Writes one line to stdout. */
  out(line: string): void;
  /** Writes one line to stderr. */
  err(line: string): void;
  /** Resolved --data-dir (or the per-user default). */
  dataDir: string;
  /** Registers cleanup to run on SIGINT/SIGTERM; resolves when a signal arrived (for long-running commands). */
  onShutdown(handler: () => Promise<void>): void;
}

export interface CliCommand {
  name: string;
  usage: string; // e.g. "sync <sdlc-path> [--name NAME] [--json]"
  summary: string;
  flags: FlagSpec; // --data-dir and --debug are added for every command
  run(args: ParsedArgs, ctx: CliContext): Promise<number>; // exit code
}
