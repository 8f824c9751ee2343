// The agent tools (agents.md §1) on a real engine over a copy of the sample project: exact answers,
// paging, plain snippets, errors naming the bad field, scope, and "a project whose files changed is
// synced before it is read".
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AGENT_TOOLS, MAX_INPUT_CHARS, toolJsonSchema } from '../../../src/core/agent';
import type { Engine } from '../../../src/core/engine';
import { SKILL } from '../../support/corpora';
import { describeShared, ISO_Z, listFiles, registerAndSync, Sandbox, SAMPLE_DOCS } from '../engine/helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Files older than the sync's racy window, so that their stats are stored and an unchanged folder probes fresh. */
function ageFiles(root: string): void {
  const old = new Date(Date.now() - 3_600_000);
  for (const f of listFiles(root)) fs.utimesSync(path.join(root, f), old, old);
}

async function call(engine: Engine, name: string, input: unknown, projects?: string[]): Promise<Json> {
  const a = await engine.agentTool(name, input, projects ? { projects } : undefined);
  assert.equal(a.isError, false, `${name} failed: ${a.text}`);
  return JSON.parse(a.text) as Json;
}

async function fails(engine: Engine, name: string, input: unknown, field: string | undefined, message: RegExp, projects?: string[]): Promise<Json> {
  const a = await engine.agentTool(name, input, projects ? { projects } : undefined);
  assert.equal(a.isError, true, `${name} should fail: ${a.text}`);
  const { error } = JSON.parse(a.text) as { error: Json };
  assert.equal(error.field, field, a.text);
  assert.match(error.message, message);
  assert.doesNotMatch(a.text, /\n\s+at /, 'no stack trace');
  return error;
}

const story = (id: string, file: string, title: string, status: string, owner: string, priority: string | null, points: number | null) => ({
  id,
  type: 'story',
  title,
  status,
  epic: 'EP0002',
  owner,
  priority,
  story_points: points,
  file_path: file,
  project: 'harbor',
});

describe('agent tools (core)', function () {
  let sb: Sandbox;
  let engine: Engine;
  let root: string;

  beforeEach(async () => {
    sb = new Sandbox();
    engine = await sb.engine({ writer: { skillHome: null } }); // no skill of this machine's user: SDLC Lens's own writer
    root = sb.corpus('harbor');
    ageFiles(root);
    await registerAndSync(engine, 'Harbor', root);
  });
  afterEach(() => sb.dispose());

  it('defines eight tools, each with an object JSON Schema that refuses unknown fields', () => {
    assert.deepEqual(
      AGENT_TOOLS.map((t) => [t.name, t.readOnly]),
      [
        ['sdlc_search', true],
        ['sdlc_list_documents', true],
        ['sdlc_get_document', true],
        ['sdlc_related', true],
        ['sdlc_stats', true],
        ['sdlc_health', true],
        ['sdlc_set_status', false],
        ['sdlc_sync', false],
      ],
    );
    for (const t of AGENT_TOOLS) {
      const schema = toolJsonSchema(t);
      assert.equal(schema.type, 'object', t.name);
      assert.equal(schema.additionalProperties, false, t.name);
      assert.equal(schema.$schema, undefined);
      assert.ok(t.description.length > 80, t.name);
    }
    assert.deepEqual(toolJsonSchema(AGENT_TOOLS[2]).required, ['id']);
    assert.deepEqual((toolJsonSchema(AGENT_TOOLS[5]).properties as Json).min_severity.enum, ['critical', 'high', 'medium', 'low']);
  });

  it('sdlc_list_documents: rows filtered by type and epic, in type then path order', async () => {
    assert.deepEqual(await call(engine, 'sdlc_list_documents', { type: 'story', epic: 'ep-0002' }), {
      total: 5,
      offset: 0,
      documents: [
        story('US0005', 'stories/US0005-book-a-free-slot.md', 'US0005: Book a free slot', 'In Progress', 'Jonas Feld', 'P0', 8),
        story('US0006', 'stories/US0006-cancel-a-booking.md', 'US0006: Cancel a booking', 'Ready', 'Jonas Feld', 'P1', 3),
        story('US0007', 'stories/US0007-weekly-repeating-bookings.md', 'US0007: Weekly repeating bookings', 'Draft', 'Jonas Feld', 'P2', 5),
        story('US0008', 'stories/US0008-clash-warning-before-booking.md', 'US0008: Clash warning before booking', 'Blocked', 'Aiko Tan', 'P1', 3),
        story('US0000', 'stories/archive/US0000-import-bookings-from-spreadsheet.md', 'US0000: Import bookings from the old spreadsheet', 'Superseded', 'Mira Okafor', null, null),
      ],
      truncated: false,
    });
  });

  it('sdlc_list_documents: pages with limit/offset and says truncated with the next offset', async () => {
    const page = await call(engine, 'sdlc_list_documents', { status: 'in progress', limit: 2, offset: 1 });
    assert.equal(page.total, 6);
    assert.deepEqual(
      page.documents.map((d: Json) => d.id),
      ['EP0002', 'PL0002'],
    );
    assert.equal(page.truncated, true);
    assert.equal(page.next_offset, 3);
    const last = await call(engine, 'sdlc_list_documents', { status: 'In Progress', limit: 50, offset: 3 });
    assert.equal(last.documents.length, 3);
    assert.equal(last.truncated, false);
    assert.equal(last.next_offset, undefined);
    const owner = await call(engine, 'sdlc_list_documents', { owner: 'aiko tan', type: 'story' });
    assert.deepEqual(owner.documents.map((d: Json) => d.id), ['US-01KZH5F3', 'US-01KZH5K9', 'US0003', 'US0008']);
    const all = await call(engine, 'sdlc_list_documents', { limit: 200 });
    assert.equal(all.total, SAMPLE_DOCS);
    assert.equal(all.documents.length, SAMPLE_DOCS);
  });

  it('sdlc_get_document: metadata, file_path and content, by any written form of the id', async () => {
    const doc = await call(engine, 'sdlc_get_document', { id: 'us-0005', include_content: false });
    assert.match(doc.synced_at, ISO_Z);
    assert.deepEqual(doc, {
      id: 'US0005',
      doc_id: 'US0005-book-a-free-slot',
      type: 'story',
      title: 'US0005: Book a free slot',
      status: 'In Progress',
      owner: 'Jonas Feld',
      priority: 'P0',
      story_points: 8,
      epic: 'EP0002',
      story: null,
      depends_on: null,
      aliases: null,
      metadata: { created: '2026-01-20' },
      project: 'harbor',
      file_path: 'stories/US0005-book-a-free-slot.md',
      abs_path: path.join(fs.realpathSync(root), 'stories', 'US0005-book-a-free-slot.md'),
      synced_at: doc.synced_at,
    });
    const full = await call(engine, 'sdlc_get_document', { id: 'US0005' });
    // the body after the header block (the header's fields are the metadata above)
    assert.ok(fs.readFileSync(path.join(root, 'stories/US0005-book-a-free-slot.md'), 'utf8').endsWith(full.content));
    assert.match(full.content, /^\n## User Story\n/);
    assert.equal(full.content_truncated, false);
    const prd = await call(engine, 'sdlc_get_document', { id: 'PRD', include_content: false });
    assert.deepEqual([prd.id, prd.type, prd.file_path], ['prd', 'prd', 'prd.md']);
    const ulid = await call(engine, 'sdlc_get_document', { id: 'ep-01kzh4m7', include_content: false });
    assert.equal(ulid.id, 'EP-01KZH4M7');
  });

  it('sdlc_related: parents, children, depends_on and dependents as rows with their files', async () => {
    const row = (id: string, type: string, title: string, status: string, file_path: string) => ({ id, type, title, status, file_path });
    assert.deepEqual(await call(engine, 'sdlc_related', { id: 'US0005' }), {
      id: 'US0005',
      type: 'story',
      title: 'US0005: Book a free slot',
      project: 'harbor',
      file_path: 'stories/US0005-book-a-free-slot.md',
      parents: [row('EP0002', 'epic', 'EP0002: Booking Flow', 'In Progress', 'epics/EP0002-booking-flow.md')],
      children: [
        row('BG0001', 'bug', 'BG0001: Double booking under load', 'Fixed', 'bugs/BG0001-double-booking-under-load.md'),
        row('CR-01KZH8A6', 'cr', 'CR-01KZH8A6: Allow fifteen-minute slots for phone booths', 'Proposed', 'change-requests/CR-01KZH8A6-allow-fifteen-minute-slots.md'),
        row('PL0002', 'plan', 'PL0002: Book a free slot - Implementation Plan', 'In Progress', 'plans/PL0002-book-a-free-slot.md'),
        row('TS0002', 'test-spec', 'TS0002: Book a free slot', 'In Progress', 'test-specs/TS0002-book-a-free-slot.md'),
      ],
      depends_on: [],
      dependents: [
        row('US0006', 'story', 'US0006: Cancel a booking', 'Ready', 'stories/US0006-cancel-a-booking.md'),
        row('US0007', 'story', 'US0007: Weekly repeating bookings', 'Draft', 'stories/US0007-weekly-repeating-bookings.md'),
        row('US0008', 'story', 'US0008: Clash warning before booking', 'Blocked', 'stories/US0008-clash-warning-before-booking.md'),
      ],
    });
  });

  it('sdlc_stats: counts by type and status and completion, one project or one row per project', async () => {
    const st = await call(engine, 'sdlc_stats', { project: 'harbor' });
    assert.match(st.last_synced_at, ISO_Z);
    assert.deepEqual(st, {
      project: 'harbor',
      name: 'Harbor',
      total_documents: 42,
      by_type: { bug: 4, cr: 2, decision: 1, epic: 4, personas: 1, plan: 5, prd: 1, retro: 1, rfc: 1, story: 16, 'test-spec': 4, trd: 1, tsd: 1 },
      by_status: {
        Fixed: 1, 'In Progress': 6, Open: 1, inbox: 1, Complete: 5, Proposed: 1, null: 5, Done: 4, Draft: 8, Ready: 3,
        'In Review': 1, Blocked: 1, 'Needs Design': 1, Planned: 1, Review: 1, Superseded: 1, "Won't Implement": 1,
      },
      completion_percentage: 31.2,
      last_synced_at: st.last_synced_at,
    });
    const all = await call(engine, 'sdlc_stats', {});
    assert.equal(all.total_projects, 1);
    assert.equal(all.total_documents, 42);
    assert.deepEqual(all.projects, [st]);
  });

  it('sdlc_health: score, summary and findings with their documents, filtered and paged', async () => {
    const high = await call(engine, 'sdlc_health', { min_severity: 'high' });
    assert.deepEqual(high, {
      project: 'harbor',
      score: 56,
      summary: { critical: 0, high: 2, medium: 16, low: 2 },
      total_documents: 42,
      checked: "SDLC Lens's own health rules (a heuristic, not sdlc-studio's judgement)",
      total_findings: 2,
      offset: 0,
      findings: [
        {
          project: 'harbor',
          rule_id: 'STORY_NO_EPIC',
          severity: 'high',
          category: 'consistency',
          message: 'Story US-01KZH5F3-kiosk-mode-for-room-displays "US-01KZH5F3: Kiosk mode for room displays" has no epic.',
          suggested_fix: "Set the story's Epic field to the epic it belongs to.",
          documents: [{ id: 'US-01KZH5F3', type: 'story', title: 'US-01KZH5F3: Kiosk mode for room displays', file_path: 'stories/US-01KZH5F3-kiosk-mode-for-room-displays.md' }],
        },
        {
          project: 'harbor',
          rule_id: 'MISSING_STATUS',
          severity: 'high',
          category: 'quality',
          message: 'US-01KZH5K9-accessibility-notes-per-room "US-01KZH5K9: Accessibility notes per room" has no status.',
          suggested_fix: 'Add a Status line to the header.',
          documents: [{ id: 'US-01KZH5K9', type: 'story', title: 'US-01KZH5K9: Accessibility notes per room', file_path: 'stories/US-01KZH5K9-accessibility-notes-per-room.md' }],
        },
      ],
      truncated: false,
    });
    const rule = await call(engine, 'sdlc_health', { rule: 'missing_test_spec', limit: 1 });
    assert.equal(rule.total_findings, 6);
    assert.deepEqual(rule.findings.map((f: Json) => f.rule_id), ['MISSING_TEST_SPEC']);
    assert.equal(rule.next_offset, 1);
    const rest = await call(engine, 'sdlc_health', { rule: 'MISSING_TEST_SPEC', offset: 1 });
    assert.equal(rest.findings.length, 5);
    assert.equal(rest.truncated, false);
  });

  it('sdlc_search: hits with id, project, file_path and a plain-text snippet; paged', async () => {
    const r = await call(engine, 'sdlc_search', { query: 'calendar', limit: 2 });
    assert.equal(r.query, 'calendar');
    assert.equal(r.total, 6);
    assert.equal(r.hits.length, 2);
    assert.equal(r.truncated, true);
    assert.equal(r.next_offset, 2);
    assert.deepEqual(Object.keys(r.hits[0]), ['id', 'type', 'title', 'status', 'project', 'file_path', 'snippet', 'score']);
    assert.deepEqual(
      { ...r.hits[0], score: undefined, snippet: undefined },
      { id: 'EP0003', type: 'epic', title: 'EP0003: Calendar Sync', status: 'Ready', project: 'harbor', file_path: 'epics/EP0003-calendar-sync.md', score: undefined, snippet: undefined },
    );
    const rest = await call(engine, 'sdlc_search', { query: 'calendar', offset: 2 });
    assert.equal(rest.hits.length, 4);
    assert.equal(rest.truncated, false);
    const ids = [...r.hits, ...rest.hits].map((h: Json) => h.id);
    assert.equal(new Set(ids).size, 6, 'pages do not overlap');
    for (const h of [...r.hits, ...rest.hits]) {
      assert.doesNotMatch(h.snippet, /<\/?mark>|&(amp|lt|gt|quot|#39);/);
      assert.ok(h.score > 0);
      assert.ok(fs.existsSync(path.join(root, h.file_path)), h.file_path);
    }
    assert.match(r.hits[0].snippet, /calendar/i);
  });

  it('sdlc_sync: the outcome of a run', async () => {
    const o = await call(engine, 'sdlc_sync', { project: 'harbor' });
    assert.equal(typeof o.duration_ms, 'number');
    assert.deepEqual(
      { ...o, duration_ms: 0 },
      { project: 'harbor', sync_status: 'synced', sync_error: null, added: 0, updated: 0, skipped: 42, deleted: 0, errors: 0, document_count: 42, duration_ms: 0, file_errors: [] },
    );
  });

  it('sdlc_set_status: a dry run says from → to and the file; the change is written and read back', async () => {
    const file = path.join(root, 'stories/US0006-cancel-a-booking.md');
    const before = fs.readFileSync(file, 'utf8');
    const dry = await call(engine, 'sdlc_set_status', { id: 'US0006', status: 'In Progress', dry_run: true });
    assert.deepEqual(dry, {
      id: 'US0006',
      type: 'story',
      project: 'harbor',
      from: 'Ready',
      to: 'In Progress',
      writer: 'sdlc-lens',
      changed: false,
      dry_run: true,
      file_path: 'stories/US0006-cancel-a-booking.md',
    });
    assert.equal(fs.readFileSync(file, 'utf8'), before, 'a dry run writes nothing');
    const done = await call(engine, 'sdlc_set_status', { id: 'us0006', status: 'In Progress' });
    assert.deepEqual({ ...done }, { ...dry, changed: true, dry_run: false });
    assert.equal(fs.readFileSync(file, 'utf8'), before.replace('> **Status:** Ready', '> **Status:** In Progress'));
    assert.equal((await call(engine, 'sdlc_get_document', { id: 'US0006', include_content: false })).status, 'In Progress');
    assert.equal((await call(engine, 'sdlc_set_status', { id: 'US0006', status: 'In Progress' })).changed, false);
    const err = await fails(engine, 'sdlc_set_status', { id: 'US0006', status: 'Teleported' }, 'status', /Teleported/);
    assert.equal(err.code, 'VALIDATION_ERROR');
    assert.equal(fs.readFileSync(file, 'utf8'), before.replace('> **Status:** Ready', '> **Status:** In Progress'));
  });

  it('reads its own writes: a changed, added or deleted file is synced before a read', async () => {
    const before = engine.getProject('harbor').last_synced_at;
    await call(engine, 'sdlc_stats', { project: 'harbor' });
    await call(engine, 'sdlc_get_document', { id: 'US0005' });
    assert.equal(engine.getProject('harbor').last_synced_at, before, 'an unchanged folder is not synced');

    const file = path.join(root, 'stories/US0005-book-a-free-slot.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('> **Status:** In Progress', '> **Status:** Done') + '\nzanzibarly\n');
    assert.equal((await call(engine, 'sdlc_get_document', { id: 'US0005', include_content: false })).status, 'Done');
    assert.deepEqual((await call(engine, 'sdlc_search', { query: 'zanzibarly' })).hits.map((h: Json) => h.id), ['US0005']);

    sb.write(root, 'bugs/BG0009-new-bug.md', '# BG0009: Fresh bug\n\n> **Status:** Open\n> **Severity:** High\n\nFound just now.\n');
    fs.rmSync(path.join(root, 'stories/US0004-room-photos.md'));
    const bugs = await call(engine, 'sdlc_list_documents', { type: 'bug' });
    assert.ok(bugs.documents.some((d: Json) => d.id === 'BG0009'));
    assert.equal((await call(engine, 'sdlc_stats', { project: 'harbor' })).total_documents, 42);
    await fails(engine, 'sdlc_get_document', { id: 'US0004' }, 'id', /^id: no document "US0004" in project harbor$/);
  });

  it('an id in several projects is an error listing them; project picks one; the scope limits what is seen', async () => {
    const other = sb.corpus('annex');
    ageFiles(other);
    await registerAndSync(engine, 'Annex', other);
    await fails(engine, 'sdlc_get_document', { id: 'US0005' }, 'project', /"US0005" is in several projects \(harbor, annex\)/);
    assert.equal((await call(engine, 'sdlc_get_document', { id: 'US0005', project: 'annex', include_content: false })).project, 'annex');
    assert.equal((await call(engine, 'sdlc_get_document', { id: 'US0005', include_content: false }, ['annex'])).project, 'annex');
    assert.deepEqual((await call(engine, 'sdlc_stats', {}, ['annex'])).projects.map((p: Json) => p.project), ['annex']);
    assert.equal((await call(engine, 'sdlc_search', { query: 'calendar' }, ['annex'])).total, 6);
    assert.equal((await call(engine, 'sdlc_search', { query: 'calendar' })).total, 12);
    assert.equal((await call(engine, 'sdlc_list_documents', {})).total, 84);
    await fails(engine, 'sdlc_stats', { project: 'harbor' }, 'project', /"harbor" is not in this session's scope \(projects: annex\)/, ['annex']);
  });

  it('bad input is a tool error naming the field, for every tool', async () => {
    const cases: [string, unknown, string, RegExp][] = [
      ['sdlc_search', {}, 'query', /^query: required$/],
      ['sdlc_search', { query: '' }, 'query', /^query: /],
      ['sdlc_search', { query: 'x', limit: 51 }, 'limit', /^limit: /],
      ['sdlc_search', { query: 'x', offset: -1 }, 'offset', /^offset: /],
      ['sdlc_list_documents', { limit: 'ten' }, 'limit', /^limit: expected number, received string$/],
      ['sdlc_list_documents', { typo: 1 }, 'typo', /^typo: unknown field$/],
      ['sdlc_get_document', { id: 5 }, 'id', /^id: expected string/],
      ['sdlc_get_document', { id: 'US0005', include_content: 'yes' }, 'include_content', /^include_content: expected boolean/],
      ['sdlc_related', { id: 'US9999' }, 'id', /^id: no document "US9999" in project harbor$/],
      ['sdlc_stats', { project: 'nope' }, 'project', /^project: no project "nope" \(projects: harbor\)$/],
      ['sdlc_health', { min_severity: 'severe' }, 'min_severity', /^min_severity: /],
      ['sdlc_health', { rule: 'NOPE' }, 'rule', /^rule: unknown rule id "NOPE" \(known: MISSING_PRD, /],
      ['sdlc_set_status', { id: 'US0005' }, 'status', /^status: required$/],
      ['sdlc_set_status', { id: 'US9999', status: 'Done' }, 'id', /^id: no document "US9999"/],
      ['sdlc_sync', { project: 3 }, 'project', /^project: expected string/],
    ];
    for (const [name, input, field, message] of cases) await fails(engine, name, input, field, message);
    await fails(engine, 'sdlc_stats', [1, 2], 'input', /^input: must be a JSON object$/);
    await fails(engine, 'sdlc_search', { query: 'x'.repeat(MAX_INPUT_CHARS) }, 'input', /^input: too large/);
    await fails(engine, 'sdlc_nope', {}, 'name', /^Unknown tool "sdlc_nope" \(tools: sdlc_search, /);
  });
});

describeShared('agent tools: sdlc_set_status through sdlc-studio (real transition.py)', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let engine: Engine;
  let sdlc: string;
  const STORY = `# US0001: First story

> **Status:** Draft
> **Epic:** EP0001
> **Owner:** Sam
> **Story Points:** 3

## User Story

As a user I want a thing.

## Acceptance Criteria

### AC1: It works

- **Verify:** \`python3 -c "import sys; sys.exit(1)"\`
`;

  beforeEach(async () => {
    sb = new Sandbox();
    const repo = sb.dir('repo');
    sdlc = path.join(repo, 'sdlc-studio');
    sb.write(sdlc, 'stories/US0001-first.md', STORY);
    sb.write(sdlc, 'epics/EP0001-platform.md', '# EP0001: Platform\n\n> **Status:** In Progress\n> **Owner:** Sam\n');
    fs.cpSync(SKILL, path.join(repo, '.claude', 'skills', 'sdlc-studio'), { recursive: true });
    engine = await sb.engine({ writer: { skillHome: null } });
    await registerAndSync(engine, 'Repo', sdlc);
  });
  afterEach(() => sb.dispose());

  it('names sdlc-studio as the writer, and a refusal is a tool error carrying the skill’s reason', async () => {
    const ok = await call(engine, 'sdlc_set_status', { id: 'US0001', status: 'Ready' });
    assert.deepEqual([ok.writer, ok.from, ok.to, ok.changed], ['sdlc-studio', 'Draft', 'Ready', true]);
    const before = fs.readFileSync(path.join(sdlc, 'stories/US0001-first.md'), 'utf8');
    const err = await fails(engine, 'sdlc_set_status', { id: 'US0001', status: 'Done' }, undefined, /never verified - run `verify_ac`/);
    assert.equal(err.code, 'TRANSITION_BLOCKED');
    assert.equal(fs.readFileSync(path.join(sdlc, 'stories/US0001-first.md'), 'utf8'), before, 'nothing changed');
  });
});
