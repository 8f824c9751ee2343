// `sdlc-lens check [SLUG | <sdlc-path>] [--format text|json|sarif|github] [--fail-on LEVEL] [--disable RULE,…]
// [--with-skill [--skill-path DIR] [--python BIN]]`: the health check for terminals and CI. A path is
// synced first (registered if new). `--with-skill` adds sdlc-studio's own checks (integrity.py,
// validate.py, reconcile.py of the installed skill) as a second source: in text and github output
// prefixed `sdlc-studio`, in json as `sdlc_studio`, in sarif as a second run whose tool is sdlc-studio.
// Exit: 0 no finding at or above --fail-on (default high); 1 such a finding (either source), or the
// sync failed, or --with-skill could not run the skill's checks; 2 usage error (bad option, unknown rule id).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { flagString, type ParsedArgs } from '../args';
import type { CliCommand, CliContext } from '../command';
import { withEngine } from '../engine';
import { resolveTarget, syncToEnd, type Target } from './sync';
import { LensError } from '../../core/errors';
import type { LensEngine } from '../../core/engine-api';
import { DEFAULT_PYTHON } from '../../core/skill/discover';
import type { SkillCheckReport } from '../../core/skill/checks';
import { skillFailsAt, skillGithubAnnotations, skillProblem, skillSarifRun, skillTextReport } from '../../core/skill/formats';
import {
  DEFAULT_FAIL_ON,
  failsAt,
  githubAnnotations,
  isSeverity,
  resolveDisabledRules,
  SEVERITIES,
  textReport,
  toSarif,
  type ReportPlace,
  type Severity,
} from '../../core/health';

export const CHECK_FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type Format = (typeof CHECK_FORMATS)[number];

const USAGE =
  'check [SLUG | <sdlc-path>] [--format text|json|sarif|github] [--fail-on critical|high|medium|low] [--disable RULE,…] [--with-skill [--skill-path DIR] [--python BIN]]';

function option<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const v = flagString(args, name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new LensError('VALIDATION_ERROR', `--${name}: must be one of ${allowed.join(', ')}`);
  return v as T;
}

/** No argument: `./sdlc-studio` when it exists, else the only registered project. */
async function defaultTarget(engine: LensEngine): Promise<Target> {
  const local = path.resolve('sdlc-studio');
  if (fs.existsSync(local)) return resolveTarget(engine, local);
  const projects = await engine.listProjects();
  if (projects.length === 1) return { project: projects[0]!, byPath: false };
  throw new LensError('VALIDATION_ERROR', `usage: sdlc-lens ${USAGE} (no ./sdlc-studio here and ${projects.length} projects registered: name one)`);
}

async function placeOf(engine: LensEngine, slug: string, sdlcPath: string): Promise<ReportPlace> {
  let projectFile: string | null = null;
  for (const type of ['prd', 'trd']) {
    const docs = await engine.documentsOfType(slug, type);
    if (docs.length) {
      projectFile = docs[0]!.file_path;
      break;
    }
  }
  return { sdlcPath, baseDir: process.cwd(), projectFile };
}

export const checkCommand: CliCommand = {
  name: 'check',
  usage: USAGE,
  summary: 'Health check of a project (syncs a folder first); exit 1 when a finding at or above --fail-on exists',
  flags: { values: ['format', 'fail-on', 'disable', 'skill-path', 'python'], booleans: ['with-skill'] },
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    if (args.positionals.length > 1) throw new LensError('VALIDATION_ERROR', `usage: sdlc-lens ${USAGE}`);
    const format: Format = option(args, 'format', CHECK_FORMATS, 'text');
    const failOn: Severity = option(args, 'fail-on', SEVERITIES, DEFAULT_FAIL_ON);
    if (!isSeverity(failOn)) throw new LensError('VALIDATION_ERROR', `--fail-on: must be one of ${SEVERITIES.join(', ')}`);
    const disabledRules = (flagString(args, 'disable') ?? '').split(/[\s,]+/).filter((s) => s !== '');
    resolveDisabledRules(disabledRules, '--disable'); // usage error before anything is opened or synced
    const withSkill = args.flags.has('with-skill');
    for (const f of ['skill-path', 'python']) if (!withSkill && args.flags.has(f)) throw new LensError('VALIDATION_ERROR', `--${f} goes with --with-skill`);
    return withEngine(ctx, async (engine) => {
      const target = args.positionals.length ? await resolveTarget(engine, args.positionals[0]!) : await defaultTarget(engine);
      let syncFailed = false;
      if (target.byPath) {
        const o = await syncToEnd(engine, ctx, target.project.slug);
        if (o.sync_status !== 'synced') {
          syncFailed = true;
          ctx.err(`sdlc-lens: ${o.slug}: sync ended in error, checking the stored documents: ${o.sync_error ?? ''}`);
        }
      }
      const slug = target.project.slug;
      const report = await engine.healthCheck(slug, { disabledRules });
      const project = await engine.getProject(slug);
      const place = await placeOf(engine, slug, project.sdlc_path ?? process.cwd());
      let skill: SkillCheckReport | null = null;
      if (withSkill) {
        const dir = flagString(args, 'skill-path');
        engine.configureSkill({ path: dir ? path.resolve(dir) : null, python: flagString(args, 'python') ?? DEFAULT_PYTHON });
        skill = await engine.skillChecks(slug);
        const problem = skillProblem(skill);
        if (problem) ctx.err(`sdlc-lens: ${slug}: ${problem}`);
      }
      if (format === 'json') ctx.out(JSON.stringify(skill ? { ...report, sdlc_studio: skill } : report, null, 2));
      else if (format === 'sarif') {
        const log = toSarif(report, place, engine.version) as { runs: object[] };
        if (skill) log.runs.push(skillSarifRun(skill, place));
        ctx.out(JSON.stringify(log, null, 2));
      } else if (format === 'github') for (const l of [...githubAnnotations(report, place), ...(skill ? skillGithubAnnotations(skill, place) : [])]) ctx.out(l);
      else for (const l of [...textReport(report, place, disabledRules.map((r) => r.toUpperCase())), ...(skill ? skillTextReport(skill, place) : [])]) ctx.out(l);
      const skillFailed = skill !== null && (skill.state !== 'ok' || skillFailsAt(skill, failOn));
      return syncFailed || skillFailed || failsAt(report, failOn) ? 1 : 0;
    });
  },
};
