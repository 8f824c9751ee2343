// The agent tools' handlers: validated input in, a plain JSON answer sized for a model out. Lists
// page (`limit`/`offset`, `truncated` and `next_offset`); snippets are plain text; a content is cut
// at MAX_CONTENT_CHARS. Every read syncs the projects it reads when their files changed.
import * as path from 'node:path';
import { LensError } from '../errors';
import { RULE_IDS, SEVERITIES } from '../health/rules';
import { displayId } from '../parse/ids';
import type { Project, SearchResultItem } from '../types';
import { ToolInputError, type ToolContext } from './context';
import { documentRows, filePathsOf } from './queries';
import type * as s from './schemas';

/** Longest content a get answers with; the rest is left out (`content_truncated`). */
export const MAX_CONTENT_CHARS = 60_000;

type Answer = Record<string, unknown>;

/** `limit`/`offset` of a list, and what the answer says about the rest. */
function paging(total: number, offset: number, returned: number): Answer {
  const more = offset + returned < total;
  return more ? { truncated: true, next_offset: offset + returned } : { truncated: false };
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** A search snippet as plain text: no <mark>, no HTML entities. */
export function plainSnippet(snippet: string): string {
  return snippet.replace(/<\/?mark>/g, '').replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]);
}

export async function search(ctx: ToolContext, input: s.SearchInput): Promise<Answer> {
  const projects = ctx.projects(input.project);
  await ctx.fresh(projects);
  const limit = input.limit ?? 10;
  const offset = input.offset ?? 0;
  const everything = input.project === undefined && ctx.everything;
  // One search over every project, or one per project in scope merged by score.
  const targets: (string | undefined)[] = everything ? [undefined] : projects.map((p) => p.slug);
  const PER_PAGE = 50;
  const need = offset + limit;
  let total = 0;
  const items: SearchResultItem[] = [];
  for (const project of targets) {
    for (let page = 1; ; page++) {
      const r = await ctx.engine.searchSettled({ q: input.query, project, page, per_page: PER_PAGE });
      if (page === 1) total += r.total;
      items.push(...r.items);
      if (r.items.length < PER_PAGE || page * PER_PAGE >= need) break;
    }
  }
  if (targets.length > 1) items.sort((a, b) => b.score - a.score);
  const slice = items.slice(offset, offset + limit);
  const paths = new Map<string, Map<string, string>>();
  for (const slug of new Set(slice.map((h) => h.project_slug))) {
    paths.set(slug, filePathsOf(ctx.store, slug, slice.filter((h) => h.project_slug === slug).map((h) => ({ type: h.type, doc_id: h.doc_id }))));
  }
  const hits = slice.map((h) => ({
    id: displayId(h.doc_id),
    type: h.type,
    title: h.title,
    status: h.status,
    project: h.project_slug,
    file_path: (h as SearchResultItem & { file_path?: string }).file_path ?? paths.get(h.project_slug)?.get(`${h.type}\0${h.doc_id}`) ?? null,
    snippet: plainSnippet(h.snippet),
    score: h.score,
  }));
  return { query: input.query, total, offset, hits, ...paging(total, offset, hits.length) };
}

export async function listDocuments(ctx: ToolContext, input: s.ListDocumentsInput): Promise<Answer> {
  const projects = ctx.projects(input.project);
  await ctx.fresh(projects);
  const limit = input.limit ?? 50;
  const offset = input.offset ?? 0;
  const { rows, total } = documentRows(ctx.store, projects.map((p) => p.slug), input, limit, offset);
  const documents = rows.map(({ doc_id, ...r }) => ({
    id: displayId(doc_id),
    type: r.type,
    title: r.title,
    status: r.status,
    epic: r.epic,
    owner: r.owner,
    priority: r.priority,
    story_points: r.story_points,
    file_path: r.file_path,
    project: r.project,
  }));
  return { total, offset, documents, ...paging(total, offset, documents.length) };
}

/** The projects an id is looked up in, synced first when their files changed. */
async function documentOf(ctx: ToolContext, id: string, project: string | undefined) {
  const projects = ctx.projects(project);
  await ctx.fresh(projects);
  const match = ctx.document(id, projects);
  return { match, project: projects.find((p) => p.slug === match.slug)! };
}

const absPath = (p: Project, filePath: string): string | null => (p.sdlc_path ? path.join(p.sdlc_path, ...filePath.split('/')) : null);

export async function getDocument(ctx: ToolContext, input: s.GetDocumentInput): Promise<Answer> {
  const { match, project } = await documentOf(ctx, input.id, input.project);
  const d = ctx.engine.getDocument(match.slug, match.type, match.doc_id);
  const out: Answer = {
    id: displayId(d.doc_id),
    doc_id: d.doc_id,
    type: d.type,
    title: d.title,
    status: d.status,
    owner: d.owner,
    priority: d.priority,
    story_points: d.story_points,
    epic: d.epic,
    story: d.story,
    depends_on: d.depends_on,
    aliases: d.aliases,
    metadata: d.metadata,
    project: match.slug,
    file_path: d.file_path,
    abs_path: absPath(project, d.file_path),
    synced_at: d.synced_at,
  };
  if (input.include_content !== false) {
    const cut = d.content.length > MAX_CONTENT_CHARS;
    out.content = cut ? d.content.slice(0, MAX_CONTENT_CHARS) : d.content;
    out.content_truncated = cut;
    if (cut) out.content_length = d.content.length;
  }
  return out;
}

export async function related(ctx: ToolContext, input: s.RelatedInput): Promise<Answer> {
  const { match } = await documentOf(ctx, input.id, input.project);
  const r = ctx.engine.relatedDocuments(match.slug, match.type, match.doc_id);
  const all = [...r.parents, ...r.children, ...r.depends_on, ...r.dependents];
  const paths = filePathsOf(ctx.store, match.slug, all);
  const rows = (items: typeof all) =>
    items.map((i) => ({ id: displayId(i.doc_id), type: i.type, title: i.title, status: i.status, file_path: paths.get(`${i.type}\0${i.doc_id}`) ?? null }));
  return {
    id: displayId(r.doc_id),
    type: r.type,
    title: r.title,
    project: match.slug,
    file_path: match.file_path,
    parents: rows(r.parents),
    children: rows(r.children),
    depends_on: rows(r.depends_on),
    dependents: rows(r.dependents),
  };
}

export async function stats(ctx: ToolContext, input: s.StatsInput): Promise<Answer> {
  const projects = ctx.projects(input.project);
  await ctx.fresh(projects);
  const one = (p: Project): Answer => {
    const st = ctx.engine.projectStats(p.slug);
    return {
      project: st.slug,
      name: st.name,
      total_documents: st.total_documents,
      by_type: st.by_type,
      by_status: st.by_status,
      completion_percentage: st.completion_percentage,
      last_synced_at: st.last_synced_at,
    };
  };
  if (input.project !== undefined) return one(projects[0]);
  const rows = projects.map(one);
  return { total_projects: rows.length, total_documents: rows.reduce((n, r) => n + Number(r.total_documents), 0), projects: rows };
}

export async function health(ctx: ToolContext, input: s.HealthInput): Promise<Answer> {
  const rule = input.rule?.trim().toUpperCase();
  if (rule !== undefined && !RULE_IDS.includes(rule)) {
    throw new ToolInputError('rule', `rule: unknown rule id "${input.rule}" (known: ${RULE_IDS.join(', ')})`);
  }
  const projects = ctx.projects(input.project);
  await ctx.fresh(projects);
  const minRank = input.min_severity ? SEVERITIES.indexOf(input.min_severity) : SEVERITIES.length - 1;
  const limit = input.limit ?? 50;
  const offset = input.offset ?? 0;
  const reports = projects.map((p) => ctx.engine.healthCheck(p.slug));
  const findings: Answer[] = reports.flatMap((r) =>
    r.findings
      .filter((f) => SEVERITIES.indexOf(f.severity) <= minRank && (rule === undefined || f.rule_id === rule))
      .map((f) => ({
        project: r.project_slug,
        source: 'sdlc-lens',
        rule_id: f.rule_id,
        severity: f.severity,
        category: f.category,
        message: f.message,
        suggested_fix: f.suggested_fix,
        documents: f.affected_documents.map((d) => ({ id: displayId(d.doc_id), type: d.doc_type, title: d.title, file_path: d.file_path })),
      })),
  );
  // sdlc-studio's own checks (integrity.py, validate.py, reconcile.py) when the skill is installed
  const skill: Answer[] = [];
  if (input.skill_checks !== false && rule === undefined) {
    for (const p of projects) {
      const r = await ctx.engine.skillChecks(p.slug);
      skill.push({
        project: p.slug,
        state: r.state,
        ...(r.skill ? { skill_version: r.skill.version } : {}),
        ...(r.state === 'not-found' || r.state === 'no-folder' ? {} : { summary: r.summary }),
        ...(r.error ? { error: r.error } : {}),
      });
      for (const f of r.findings) {
        if (SEVERITIES.indexOf(f.severity) > minRank) continue;
        findings.push({
          project: p.slug,
          source: 'sdlc-studio',
          rule_id: `${f.check}:${f.code}`,
          severity: f.severity,
          message: f.message,
          documents: [{ id: f.doc_id ? displayId(f.doc_id) : f.id, title: f.title, file_path: f.file_path, line: f.line + 1 }],
        });
      }
    }
  }
  const page = findings.slice(offset, offset + limit);
  const scores = reports.map((r) => ({ project: r.project_slug, score: r.score, summary: r.summary, total_documents: r.total_documents }));
  return {
    ...(scores.length === 1 ? scores[0] : { projects: scores }),
    checked: "SDLC Lens's own health rules (a heuristic, not sdlc-studio's judgement)" + (skill.some((c) => c.state === 'ok' || c.state === 'partial') ? ", and sdlc-studio's own checks" : ''),
    ...(skill.length ? { skill_checks: skill.length === 1 ? skill[0] : skill } : {}),
    total_findings: findings.length,
    offset,
    findings: page,
    ...paging(findings.length, offset, page.length),
  };
}

export async function setStatus(ctx: ToolContext, input: s.SetStatusInput): Promise<Answer> {
  const { match } = await documentOf(ctx, input.id, input.project);
  // The writer re-syncs what it changed before it resolves: the next read sees the new status.
  let r;
  try {
    r = await ctx.engine.setStatus({ slug: match.slug, type: match.type, doc_id: match.doc_id, file_path: match.file_path, status: input.status, dry_run: input.dry_run === true });
  } catch (e) {
    // the writer's only input of its own is the status: its refusals of a value name that field
    if (e instanceof LensError && e.code === 'VALIDATION_ERROR' && !/^\w+: /.test(e.message)) throw new ToolInputError('status', `status: ${e.message}`);
    throw e;
  }
  return {
    id: displayId(r.doc_id),
    type: r.type,
    project: match.slug,
    from: r.from,
    to: r.to,
    writer: r.writer,
    changed: r.changed,
    dry_run: r.dry_run,
    file_path: r.file_path,
    ...(r.warning ? { warning: r.warning } : {}),
  };
}

export async function sync(ctx: ToolContext, input: s.SyncInput): Promise<Answer> {
  const projects = ctx.projects(input.project);
  const outcomes = [];
  for (const p of projects) {
    const run = await ctx.engine.startSync(p.slug);
    const o = await run.done;
    outcomes.push({
      project: o.slug,
      sync_status: o.sync_status,
      sync_error: o.sync_error,
      added: o.added,
      updated: o.updated,
      skipped: o.skipped,
      deleted: o.deleted,
      errors: o.errors,
      document_count: o.document_count,
      duration_ms: o.duration_ms,
      file_errors: o.file_errors.slice(0, 20),
    });
  }
  return outcomes.length === 1 && input.project !== undefined ? outcomes[0] : { projects: outcomes };
}

export const HANDLERS: Record<string, (ctx: ToolContext, input: never) => Promise<Answer>> = {
  sdlc_search: search,
  sdlc_list_documents: listDocuments,
  sdlc_get_document: getDocument,
  sdlc_related: related,
  sdlc_stats: stats,
  sdlc_health: health,
  sdlc_set_status: setStatus,
  sdlc_sync: sync,
};
