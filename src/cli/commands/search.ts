// `sdlc-lens search <query> [--project SLUG] [--type T] [--status S] [--page N] [--per-page N] [--json]`:
// the engine's full-text search (api.md §6) in the query language (§6.1, core/search/queryLanguage.ts). `--json` prints GET /search's body; text output shows
// one block per hit with the snippet's <mark>s rendered (bold on a terminal) and its HTML decoded.
import { flagString, type ParsedArgs } from '../args';
import type { CliCommand, CliContext } from '../command';
import { withEngine } from '../engine';
import { LensError } from '../../core/errors';
import type { SearchPage, SearchQuery } from '../../core/engine-api';
import { MARK_CLOSE, MARK_OPEN } from '../../core/search';

const USAGE = 'search <query> [--project SLUG] [--type T] [--status S] [--page N] [--per-page N] [--json]';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** A snippet for a terminal: control characters dropped, marks as bold (or nothing), entities decoded. */
export function renderSnippet(snippet: string, bold: boolean): string {
  const [on, off] = bold ? ['\x1b[1m', '\x1b[22m'] : ['', ''];
  return snippet
    .replace(/[\x00-\x1f\x7f-\x9f]/g, '') // the document's own control characters (e.g. ESC) never reach the terminal
    .split(MARK_OPEN)
    .join(on)
    .split(MARK_CLOSE)
    .join(off)
    .replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]);
}

function intFlag(args: ParsedArgs, name: string): number | undefined {
  const v = flagString(args, name);
  if (v === undefined) return undefined;
  if (!/^\+?\d+$/.test(v)) throw new LensError('VALIDATION_ERROR', `--${name} must be a whole number`);
  return Number(v);
}

function printText(page: SearchPage, ctx: CliContext, bold: boolean): void {
  if (!page.total) {
    ctx.out(`No documents match "${page.query}".`);
    return;
  }
  const first = (page.page - 1) * page.per_page + 1;
  const shown = page.items.length ? `${first}–${first + page.items.length - 1} of ${page.total}` : `none of ${page.total} on page ${page.page}`;
  ctx.out(`${shown} documents matching "${page.query}"`);
  for (const item of page.items) {
    ctx.out('');
    ctx.out(`${item.project_slug}  ${item.type}  ${item.doc_id}  [${item.status ?? 'no status'}]  ${item.score}`);
    ctx.out(`  ${item.title}`);
    if (item.snippet) ctx.out(`  ${renderSnippet(item.snippet, bold)}`);
  }
}

export const searchCommand: CliCommand = {
  name: 'search',
  brief: true,
  usage: USAGE,
  summary: 'Full-text search of every synced document (words, "phrases", prefix*, -word, type:/status:/project:/epic:/owner:)',
  flags: { values: ['project', 'type', 'status', 'page', 'per-page'], booleans: ['json'] },
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    if (!args.positionals.length) throw new LensError('VALIDATION_ERROR', `usage: sdlc-lens ${USAGE}`);
    const query: SearchQuery = {
      q: args.positionals.join(' '),
      project: flagString(args, 'project'),
      type: flagString(args, 'type'),
      status: flagString(args, 'status'),
      page: intFlag(args, 'page'),
      per_page: intFlag(args, 'per-page'),
    };
    return withEngine(ctx, async (engine) => {
      const page = engine.search(query);
      if (args.flags.has('json')) ctx.out(JSON.stringify(page, null, 2));
      else printText(page, ctx, Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
      await engine.whenIndexed(); // an index this search had to repair is saved before exit
      return 0;
    });
  },
};
