// `sdlc-lens set-status <ID> <STATUS> [--project SLUG] [--dry-run] [--force] [--json]`: the engine's
// status writer from a terminal (writing.md §4): sdlc-studio's transition.py when the skill is
// installed, else the value-only edit. The id is looked up among the registered projects' documents.
// Exit: 0 changed (or would change, or already had that status); 1 refused (the skill's gates, a file
// changed on disk, read-only, a value the edit cannot change alone); 2 usage (unknown id, project or
// status; an id in several projects).
import type { ParsedArgs } from '../args';
import { flagString } from '../args';
import type { CliCommand, CliContext } from '../command';
import { withEngine } from '../engine';
import { isLensError, LensError } from '../../core/errors';
import type { SetStatusResult } from '../../core/engine-api';
import { pickStatus, type DocumentCandidate } from '../../core/write';

const USAGE = 'set-status <ID> <STATUS> [--project SLUG] [--dry-run] [--force] [--json]';

/** A usage problem: exit 2 with this message. */
class Usage extends Error {}

function pickOne(id: string, found: DocumentCandidate[], slug: string | undefined): DocumentCandidate {
  if (found.length === 0) throw new Usage(`no document ${id}${slug ? ` in project ${slug}` : ''} (as last synced: run sdlc-lens sync first if it is new)`);
  if (found.length === 1) return found[0]!;
  const projects = new Set(found.map((f) => f.slug));
  const list = found.map((f) => `  ${f.slug}: ${f.doc_id} (${f.type}, ${f.file_path})`).join('\n');
  if (projects.size > 1 && !slug) throw new Usage(`${id} is in several projects; add --project SLUG:\n${list}`);
  throw new Usage(`${id} names several documents; give the full document id, or the file path if they share it:\n${list}`);
}

function describe(r: SetStatusResult & { slug: string }): string {
  const from = r.from ?? '(no status)';
  if (r.from === r.to) return `${r.doc_id}: already ${r.to} (nothing to change)`;
  const verb = r.dry_run ? 'would set' : 'set';
  return `${r.doc_id}: ${verb} ${from} → ${r.to} (writer: ${r.writer}, ${r.slug}/${r.file_path})${r.warning ? `\n  warning: ${r.warning}` : ''}`;
}

export const setStatusCommand: CliCommand = {
  name: 'set-status',
  brief: true,
  usage: USAGE,
  summary: "Set a document's status (through sdlc-studio's transition.py when installed); exit 1 refused, 2 usage",
  flags: { values: ['project'], booleans: ['dry-run', 'force', 'json'] },
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    const [id, ...words] = args.positionals;
    const status = words.join(' ').trim();
    if (!id || !status) throw new LensError('VALIDATION_ERROR', `usage: sdlc-lens ${USAGE}`);
    const slug = flagString(args, 'project');
    const json = args.flags.has('json');
    return withEngine(ctx, async (engine) => {
      try {
        if (slug) engine.getProject(slug); // an unknown project is a usage error, said as such
        const doc = pickOne(id, engine.findDocuments(id, slug), slug);
        // Checked here too so that a status the type does not allow is a usage error (2), while every
        // refusal of the write itself — a value the edit cannot change alone included — exits 1.
        const choices = engine.statusChoices(doc.slug, doc.type);
        if (!pickStatus(status, doc.type, null, choices)) {
          throw new Usage(`"${status}" is not a status of ${doc.type} documents in ${doc.slug} (allowed: ${choices.map((c) => c.status).join(', ')})`);
        }
        const r = await engine.setStatus({
          slug: doc.slug,
          type: doc.type,
          doc_id: doc.doc_id,
          file_path: doc.file_path,
          status,
          dry_run: args.flags.has('dry-run'),
          force: args.flags.has('force'),
        });
        const out = { ...r, slug: doc.slug };
        ctx.out(json ? JSON.stringify(out) : describe(out));
        return 0;
      } catch (e) {
        if (e instanceof Usage) {
          ctx.err(`sdlc-lens: ${e.message}`);
          return 2;
        }
        if (!isLensError(e)) throw e;
        const usage = e.code === 'NOT_FOUND';
        const reason = e.code === 'TRANSITION_BLOCKED' ? `refused by sdlc-studio: ${e.message}` : e.message;
        if (json) ctx.out(JSON.stringify({ error: { code: e.code, message: e.message } }));
        ctx.err(`sdlc-lens: ${reason}`);
        return usage ? 2 : 1;
      }
    });
  },
};
