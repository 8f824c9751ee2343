// `sdlc-lens projects [--json]` and `sdlc-lens docs <slug> --json`: read what the database holds.
import type { ParsedArgs } from '../args';
import type { CliCommand, CliContext } from '../command';
import { withEngine } from '../engine';
import { LensError } from '../../core/errors';

export const projectsCommand: CliCommand = {
  name: 'projects',
  brief: true,
  usage: 'projects [--json]',
  summary: 'List the registered projects',
  flags: { booleans: ['json'] },
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    if (args.positionals.length) throw new LensError('VALIDATION_ERROR', 'usage: sdlc-lens projects [--json]');
    return withEngine(ctx, (engine) => {
      const projects = engine.listProjects();
      if (args.flags.has('json')) {
        ctx.out(JSON.stringify(projects, null, 2));
      } else if (!projects.length) {
        ctx.out('No projects registered. Run: sdlc-lens sync <path-to-sdlc-studio>');
      } else {
        for (const p of projects) {
          const status = p.sync_status === 'error' ? `error: ${p.sync_error}` : p.sync_status;
          ctx.out(`${p.slug}\t${p.document_count} docs\t${status}\t${p.sdlc_path ?? ''}`);
        }
      }
      return 0;
    });
  },
};

export const docsCommand: CliCommand = {
  name: 'docs',
  brief: true,
  usage: 'docs <slug> --json',
  summary: "Print every document of a project (without content) as one JSON array, sorted by file path",
  flags: { booleans: ['json'] },
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    if (args.positionals.length !== 1) throw new LensError('VALIDATION_ERROR', 'usage: sdlc-lens docs <slug> --json');
    return withEngine(ctx, (engine) => {
      const docs = engine.exportDocuments(args.positionals[0]);
      if (args.flags.has('json')) ctx.out(JSON.stringify(docs, null, 2));
      else for (const d of docs) ctx.out(`${d.file_path}\t${d.type}\t${d.status ?? '-'}\t${d.title}`);
      return 0;
    });
  },
};
