// The 19 rules of health-check.md §3 over document rows (the pure function): for each rule a set that
// trips it and one that does not; the score (§4); disabledRules; order and determinism.
import assert from 'node:assert/strict';
import { LensError } from '../../../src/core/errors';
import { healthDocFromContent, healthScore, HEALTH_RULES, RULE_IDS, runHealthCheck, type HealthDoc, type HealthReport } from '../../../src/core/health';

const NOW = '2026-03-01T12:00:00.000Z';
const DAY = 86_400_000;
const FOLDER_TYPES: Record<string, string> = { epics: 'epic', stories: 'story', plans: 'plan', 'test-specs': 'test-spec', bugs: 'bug', 'change-requests': 'cr', retros: 'retro', reviews: 'review' };

/** A healthy document at `file_path` (type from the folder, doc_id = stem) with overrides. */
function doc(file_path: string, o: Partial<HealthDoc> = {}): HealthDoc {
  const stem = file_path.split('/').pop()!.replace(/\.md$/, '');
  const top = file_path.split('/')[0]!;
  const doc_type = o.doc_type ?? FOLDER_TYPES[top] ?? stem.toLowerCase();
  return {
    doc_id: FOLDER_TYPES[top] ? stem : stem.toLowerCase(),
    doc_type,
    title: `Title of ${stem}`,
    file_path,
    status: doc_type === 'prd' || doc_type === 'trd' ? null : 'In Progress',
    owner: 'Ann',
    priority: 'P1',
    story_points: 3,
    epic: null,
    story: null,
    synced_at: NOW,
    content_length: 500,
    body_epic: null,
    ...o,
  };
}

/** A project on which no rule fires. */
function base(): HealthDoc[] {
  return [
    doc('PRD.md'),
    doc('TRD.md'),
    doc('epics/EP0001-core.md'),
    doc('stories/US0001-login.md', { epic: 'EP0001' }),
    doc('plans/PL0001-login.md', { story: 'US0001' }),
    doc('test-specs/TS0001-login.md', { story: 'US0001' }),
  ];
}

const check = (documents: HealthDoc[], disabledRules?: string[]): HealthReport =>
  runHealthCheck({ project_slug: 'p', documents, now: NOW, disabledRules });

/** Findings of one rule as [affected file paths] each. */
const hits = (documents: HealthDoc[], rule: string): string[][] =>
  check(documents)
    .findings.filter((f) => f.rule_id === rule)
    .map((f) => f.affected_documents.map((d) => d.file_path));

/** `base()` with the document at `path` changed (or removed when `o` is null), plus extra documents. */
function variant(changes: Record<string, Partial<HealthDoc> | null>, extra: HealthDoc[] = []): HealthDoc[] {
  const out: HealthDoc[] = [];
  for (const d of base()) {
    if (!(d.file_path in changes)) out.push(d);
    else if (changes[d.file_path] !== null) out.push({ ...d, ...changes[d.file_path] });
  }
  return [...out, ...extra];
}

const STORY = 'stories/US0001-login.md';
const EPIC = 'epics/EP0001-core.md';

describe('health check rules (health-check.md §3)', () => {
  it('the healthy base set trips no rule; an empty project has no finding and score 100', () => {
    assert.deepEqual(check(base()).findings, []);
    const empty = check([]);
    assert.deepEqual([empty.findings, empty.summary, empty.score, empty.total_documents], [[], { critical: 0, high: 0, medium: 0, low: 0 }, 100, 0]);
  });

  it('the rule table has the 19 rules in spec order with their category and severity', () => {
    assert.deepEqual(
      HEALTH_RULES.map((r) => `${r.id}:${r.category}:${r.severity}`),
      [
        'MISSING_PRD:completeness:critical', 'MISSING_TRD:completeness:high', 'MISSING_PLAN:completeness:medium',
        'MISSING_TEST_SPEC:completeness:medium', 'EPIC_NO_STORIES:completeness:high', 'STORY_NO_EPIC:consistency:high',
        'PLAN_NO_STORY:consistency:medium', 'TEST_SPEC_NO_STORY:consistency:medium', 'ORPHAN_REFERENCE:consistency:medium',
        'STATUS_MISMATCH:consistency:low', 'STALE_ARTEFACT_STATUS:consistency:low', 'UNTRIAGED_INBOX:consistency:low',
        'MISSING_STATUS:quality:high', 'MISSING_OWNER:quality:medium', 'MISSING_PRIORITY:quality:low',
        'MISSING_STORY_POINTS:quality:low', 'DUPLICATE_DOC_ID:integrity:critical', 'EMPTY_CONTENT:integrity:high',
        'STALE_DOCUMENT:integrity:low',
      ],
    );
  });

  it('1 MISSING_PRD / 2 MISSING_TRD: a project without them, no affected documents', () => {
    assert.deepEqual(hits(variant({ 'PRD.md': null }), 'MISSING_PRD'), [[]]);
    assert.deepEqual(hits(variant({ 'TRD.md': null }), 'MISSING_TRD'), [[]]);
    assert.deepEqual(hits(base(), 'MISSING_PRD'), []);
    assert.deepEqual(hits(base(), 'MISSING_TRD'), []);
    const f = check(variant({ 'PRD.md': null })).findings[0]!;
    assert.deepEqual([f.rule_id, f.severity, f.category], ['MISSING_PRD', 'critical', 'completeness']);
  });

  it('3 MISSING_PLAN: an active story no plan names; not a finished or archived one', () => {
    assert.deepEqual(hits(variant({ 'plans/PL0001-login.md': null }), 'MISSING_PLAN'), [[STORY]]);
    assert.deepEqual(hits(variant({ 'plans/PL0001-login.md': null, [STORY]: { status: 'Done' } }), 'MISSING_PLAN'), []);
    assert.deepEqual(hits(variant({ 'plans/PL0001-login.md': null, [STORY]: { status: 'Superseded' } }), 'MISSING_PLAN'), []);
    assert.deepEqual(hits(variant({ 'plans/PL0001-login.md': null, [STORY]: { doc_id: '_US0001-login' } }), 'MISSING_PLAN'), []);
    // the plan's reference may be written any way extractRefId understands
    assert.deepEqual(hits(variant({ 'plans/PL0001-login.md': { story: '[US0001: Login](../stories/US0001-login.md)' } }), 'MISSING_PLAN'), []);
    // null status counts as active
    assert.deepEqual(hits(variant({ 'plans/PL0001-login.md': null, [STORY]: { status: null } }), 'MISSING_PLAN'), [[STORY]]);
  });

  it('4 MISSING_TEST_SPEC: an active story without a test spec, unless its epic has an epic-scoped one', () => {
    assert.deepEqual(hits(variant({ 'test-specs/TS0001-login.md': null }), 'MISSING_TEST_SPEC'), [[STORY]]);
    assert.deepEqual(hits(variant({ 'test-specs/TS0001-login.md': { story: null, epic: 'EP0001' } }), 'MISSING_TEST_SPEC'), []);
    // a test spec with both story and epic is not epic-scoped
    assert.deepEqual(hits(variant({ 'test-specs/TS0001-login.md': { story: 'US0002', epic: 'EP0001' } }), 'MISSING_TEST_SPEC'), [[STORY]]);
    assert.deepEqual(hits(variant({ 'test-specs/TS0001-login.md': null, [STORY]: { status: "Won't Implement" } }), 'MISSING_TEST_SPEC'), []);
  });

  it('5 EPIC_NO_STORIES: an epic no story names, finished ones too; not under reviews/', () => {
    const lonely = doc('epics/EP0002-lonely.md', { status: 'Done' });
    assert.deepEqual(hits(variant({}, [lonely]), 'EPIC_NO_STORIES'), [['epics/EP0002-lonely.md']]);
    assert.deepEqual(hits(variant({}, [doc('epics/reviews/EP0003-x.md', { doc_type: 'epic' })]), 'EPIC_NO_STORIES'), []);
    assert.deepEqual(hits(variant({}, [lonely, doc('stories/US0002-x.md', { epic: 'EP0002' })]), 'EPIC_NO_STORIES'), []);
    // ULID ids compare in normalised form
    const ulid = doc('epics/EP-01KXCCA4-new.md');
    assert.deepEqual(hits(variant({}, [ulid, doc('stories/US-01KXCB7V-x.md', { epic: 'EP01KXCCA4' })]), 'EPIC_NO_STORIES'), []);
  });

  it('6 STORY_NO_EPIC: a story with no epic field and no **Epic:** line in its body', () => {
    assert.deepEqual(hits(variant({ [STORY]: { epic: null } }), 'STORY_NO_EPIC'), [[STORY]]);
    assert.deepEqual(hits(variant({ [STORY]: { epic: null, status: 'Done' } }), 'STORY_NO_EPIC'), [[STORY]]); // any status
    assert.deepEqual(hits(variant({ [STORY]: { epic: null, body_epic: 'EP0001' } }), 'STORY_NO_EPIC'), []);
    assert.deepEqual(hits(variant({ [STORY]: { epic: null, doc_id: '_US0001-login' } }), 'STORY_NO_EPIC'), []);
    // the body scan itself: first match, an id after the label (even on the next line)
    const withBody = healthDocFromContent(doc(STORY), 'Intro\n\n**Epic:**\n[EP0001: Core](../epics/EP0001-core.md)\n');
    assert.equal(withBody.body_epic, 'EP0001');
    assert.equal(healthDocFromContent(doc(STORY), '**Epic:** none yet\n').body_epic, null);
  });

  it('7 PLAN_NO_STORY and 8 TEST_SPEC_NO_STORY', () => {
    assert.deepEqual(hits(variant({ 'plans/PL0001-login.md': { story: null } }), 'PLAN_NO_STORY'), [['plans/PL0001-login.md']]);
    assert.deepEqual(hits(base(), 'PLAN_NO_STORY'), []);
    const ts = 'test-specs/TS0001-login.md';
    assert.deepEqual(hits(variant({ [ts]: { story: null } }), 'TEST_SPEC_NO_STORY'), [[ts]]);
    assert.deepEqual(hits(variant({ [ts]: { story: null, epic: 'EP0001' } }), 'TEST_SPEC_NO_STORY'), []);
    assert.deepEqual(hits(variant({ [ts]: { story: null, body_epic: 'EP0001' } }), 'TEST_SPEC_NO_STORY'), []);
  });

  it('9 ORPHAN_REFERENCE: epic and story references checked separately; records exempt', () => {
    const bug = doc('bugs/BG0001-x.md', { status: 'Open', epic: 'EP0098', story: 'US0099' });
    const r = check(variant({}, [bug])).findings.filter((f) => f.rule_id === 'ORPHAN_REFERENCE');
    assert.equal(r.length, 2);
    assert.match(r[0]!.message, /epic EP0098/);
    assert.match(r[1]!.message, /story US0099/);
    assert.deepEqual(hits(variant({}, [doc('retros/RETRO0001-x.md', { story: 'US0099', status: null })]), 'ORPHAN_REFERENCE'), []);
    assert.deepEqual(hits(variant({}, [doc('bugs/BG0001-x.md', { status: 'Open', story: 'US0001', epic: '—' })]), 'ORPHAN_REFERENCE'), []);
  });

  it('10 STATUS_MISMATCH: a Done (or Complete) epic with an unfinished story lists the epic, then each such story', () => {
    const open2 = doc('stories/US0002-x.md', { epic: 'EP0001', status: 'Review' });
    assert.deepEqual(hits(variant({ [EPIC]: { status: 'Done' } }, [open2]), 'STATUS_MISMATCH'), [[EPIC, STORY, 'stories/US0002-x.md']]);
    assert.deepEqual(hits(variant({ [EPIC]: { status: 'Complete' }, [STORY]: { status: 'Done' } }), 'STATUS_MISMATCH'), []);
    assert.deepEqual(hits(variant({ [EPIC]: { status: 'In Progress' } }), 'STATUS_MISMATCH'), []);
  });

  it('11 STALE_ARTEFACT_STATUS: an open artefact whose story is finished; not when it is finished too, not a record', () => {
    const done = { [STORY]: { status: 'Done' } };
    assert.deepEqual(hits(variant({ ...done, 'plans/PL0001-login.md': { status: 'Draft' } }), 'STALE_ARTEFACT_STATUS'), [
      ['plans/PL0001-login.md'],
      ['test-specs/TS0001-login.md'],
    ]);
    assert.deepEqual(hits(variant({ ...done, 'plans/PL0001-login.md': { status: 'Complete' }, 'test-specs/TS0001-login.md': { status: 'Superseded' } }), 'STALE_ARTEFACT_STATUS'), []);
    assert.deepEqual(hits(variant({ 'plans/PL0001-login.md': { status: 'Draft' } }), 'STALE_ARTEFACT_STATUS'), []);
    const retro = doc('retros/RETRO0001-x.md', { story: 'US0001', status: null });
    assert.deepEqual(hits(variant({ ...done, 'plans/PL0001-login.md': { status: 'Complete' }, 'test-specs/TS0001-login.md': { status: 'Complete' } }, [retro]), 'STALE_ARTEFACT_STATUS'), []);
  });

  it('12 UNTRIAGED_INBOX: a bug, CR or RFC in inbox (any case)', () => {
    assert.deepEqual(hits(variant({}, [doc('bugs/BG0001-x.md', { status: 'inbox' })]), 'UNTRIAGED_INBOX'), [['bugs/BG0001-x.md']]);
    assert.deepEqual(hits(variant({}, [doc('change-requests/CR-0001-x.md', { status: 'Inbox' })]), 'UNTRIAGED_INBOX'), [['change-requests/CR-0001-x.md']]);
    assert.deepEqual(hits(variant({}, [doc('bugs/BG0001-x.md', { status: 'Open' })]), 'UNTRIAGED_INBOX'), []);
    assert.deepEqual(hits(variant({}, [doc('plans/PL0002-x.md', { status: 'inbox', story: 'US0001' })]), 'UNTRIAGED_INBOX'), []);
  });

  it('13 MISSING_STATUS: documents without status, except project-level ones and records', () => {
    assert.deepEqual(hits(variant({ [STORY]: { status: null } }), 'MISSING_STATUS'), [[STORY]]);
    assert.deepEqual(hits(variant({}, [doc('constitution.md', { status: null })]), 'MISSING_STATUS'), [['constitution.md']]);
    assert.deepEqual(hits(variant({}, [doc('brand-guide.md', { status: null }), doc('retros/RETRO0001-x.md', { status: null }), doc('TSD.md', { status: null })]), 'MISSING_STATUS'), []);
  });

  it('14 MISSING_OWNER: stories and epics without an owner; "-" counts as present; archive and reviews/ exempt', () => {
    assert.deepEqual(hits(variant({ [STORY]: { owner: null }, [EPIC]: { owner: '  ' } }), 'MISSING_OWNER'), [[EPIC], [STORY]]);
    assert.deepEqual(hits(variant({ [STORY]: { owner: '-' }, [EPIC]: { owner: '{{TBD}}' } }), 'MISSING_OWNER'), []);
    assert.deepEqual(hits(variant({}, [doc('stories/_US0009-old.md', { doc_id: '_US0009-old', owner: null, epic: 'EP0001', status: 'Done' })]), 'MISSING_OWNER'), []);
  });

  it('15 MISSING_PRIORITY and 16 MISSING_STORY_POINTS: active stories only', () => {
    assert.deepEqual(hits(variant({ [STORY]: { priority: null } }), 'MISSING_PRIORITY'), [[STORY]]);
    assert.deepEqual(hits(variant({ [STORY]: { priority: null, status: 'Done' } }), 'MISSING_PRIORITY'), []);
    assert.deepEqual(hits(variant({ [STORY]: { story_points: null } }), 'MISSING_STORY_POINTS'), [[STORY]]);
    assert.deepEqual(hits(variant({ [STORY]: { story_points: 0 } }), 'MISSING_STORY_POINTS'), []);
    assert.deepEqual(hits(variant({ [STORY]: { story_points: null, status: 'Done' } }), 'MISSING_STORY_POINTS'), []);
  });

  it('17 DUPLICATE_DOC_ID: one finding per shared full stem, listing every file; same id with another slug is fine', () => {
    const twin = doc('stories/archive/US0001-login.md', { doc_id: 'US0001-login', doc_type: 'story', epic: 'EP0001' });
    const r = check(variant({}, [twin])).findings.filter((f) => f.rule_id === 'DUPLICATE_DOC_ID');
    assert.equal(r.length, 1);
    assert.deepEqual(r[0]!.affected_documents.map((d) => d.file_path), ['stories/US0001-login.md', 'stories/archive/US0001-login.md']);
    assert.match(r[0]!.suggested_fix, /stories\/US0001-login\.md, stories\/archive\/US0001-login\.md/);
    assert.deepEqual(hits(variant({}, [doc('stories/US0001-signin.md', { epic: 'EP0001' })]), 'DUPLICATE_DOC_ID'), []);
  });

  it('18 EMPTY_CONTENT: a trimmed body under 50 characters (code points), records included', () => {
    assert.deepEqual(hits(variant({ [STORY]: { content_length: 49 } }), 'EMPTY_CONTENT'), [[STORY]]);
    assert.deepEqual(hits(variant({ [STORY]: { content_length: 50 } }), 'EMPTY_CONTENT'), []);
    assert.deepEqual(hits(variant({}, [doc('retros/RETRO0001-x.md', { status: null, content_length: 0 })]), 'EMPTY_CONTENT'), [['retros/RETRO0001-x.md']]);
    assert.equal(healthDocFromContent(doc(STORY), `\n\u00a0 ${'é'.repeat(49)}\u3000\n`).content_length, 49);
    assert.equal(healthDocFromContent(doc(STORY), '😀'.repeat(50)).content_length, 50);
  });

  it('19 STALE_DOCUMENT: rows last written more than 30 days before now (naive timestamps are UTC)', () => {
    const old = new Date(Date.parse(NOW) - 31 * DAY).toISOString();
    assert.deepEqual(hits(variant({ [STORY]: { synced_at: old } }), 'STALE_DOCUMENT'), [[STORY]]);
    assert.deepEqual(hits(variant({ [STORY]: { synced_at: old.replace('Z', '').replace('.000', '') } }), 'STALE_DOCUMENT'), [[STORY]]);
    assert.deepEqual(hits(variant({ [STORY]: { synced_at: new Date(Date.parse(NOW) - 29 * DAY).toISOString() } }), 'STALE_DOCUMENT'), []);
  });
});

describe('health check score, disabledRules and order', () => {
  it('score = clamp(100 − Σ weights): 1 critical + 2 high + 3 medium + 4 low → 65; never below 0', () => {
    assert.equal(healthScore({ critical: 1, high: 2, medium: 3, low: 4 }), 65);
    assert.equal(healthScore({ critical: 7, high: 0, medium: 0, low: 0 }), 0);
    // the same through findings: no PRD (15) + story without epic and so an epic without stories (5 + 5)
    // + no plan (2) + no points (1)
    const r = check(variant({ 'PRD.md': null, [STORY]: { epic: null, story_points: null }, 'plans/PL0001-login.md': null }));
    assert.deepEqual(r.summary, { critical: 1, high: 2, medium: 1, low: 1 });
    assert.equal(r.score, 100 - 15 - 10 - 2 - 1);
    assert.equal(r.checked_at, NOW);
  });

  it('disabledRules skips those rules (case-insensitive) and their weight; an unknown id is a VALIDATION_ERROR', () => {
    const docs = variant({ 'PRD.md': null, [STORY]: { owner: null } });
    assert.deepEqual(check(docs).findings.map((f) => f.rule_id), ['MISSING_PRD', 'MISSING_OWNER']);
    const r = check(docs, ['missing_prd']);
    assert.deepEqual([r.findings.map((f) => f.rule_id), r.score], [['MISSING_OWNER'], 98]);
    assert.deepEqual(check(docs, [...RULE_IDS]).findings, []);
    assert.throws(() => check(docs, ['MISSING_PRD', 'NOPE']), (e: unknown) => e instanceof LensError && e.code === 'VALIDATION_ERROR' && /"NOPE"/.test(e.message));
  });

  it('findings come in rule order, then file order, whatever the input order; same input → same output', () => {
    const docs = variant({ 'TRD.md': null }, [
      doc('stories/US0003-c.md', { owner: null, epic: 'EP0001' }),
      doc('stories/US0002-b.md', { owner: null, epic: null }),
      doc('bugs/BG0001-a.md', { status: null }),
    ]);
    const r = check(docs);
    const order = r.findings.map((f) => `${f.rule_id} ${f.affected_documents.map((d) => d.file_path).join('+')}`);
    assert.deepEqual(order, [
      'MISSING_TRD ',
      'MISSING_PLAN stories/US0002-b.md',
      'MISSING_PLAN stories/US0003-c.md',
      'MISSING_TEST_SPEC stories/US0002-b.md',
      'MISSING_TEST_SPEC stories/US0003-c.md',
      'STORY_NO_EPIC stories/US0002-b.md',
      'MISSING_STATUS bugs/BG0001-a.md',
      'MISSING_OWNER stories/US0002-b.md',
      'MISSING_OWNER stories/US0003-c.md',
    ]);
    for (let seed = 1; seed <= 5; seed++) {
      const shuffled = [...docs].sort((a, b) => ((a.file_path.length * seed) % 7) - ((b.file_path.length * seed) % 7) || (seed % 2 ? 1 : -1));
      assert.deepEqual(check(shuffled), r);
    }
  });
});
