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
  /**
   * A read or a one-document write, done in well under a second: sql.js's wasm then runs on V8's
   * baseline compiler only (cli/wasmTier.ts). Absent for the commands whose work grows with the
   * folder (a cold sync, check of a folder) or that keep running (serve, mcp); a function decides
   * from the arguments and the data folder before the database is opened (a re-sync).
   */
  brief?: true | ((args: ParsedArgs, dataDir: string) => boolean);
}
