// The sample project shipped in sample/sdlc-studio/ keeps the shape sample/README.md promises: the document
// count the other tests rely on (SAMPLE_DOCS), both id forms, the lifecycle spread, the template-comment
// story, and exactly the deliberate health findings the README lists (checked here with the rule
// definitions of health-check.md §2–§3, on the parser's real output and on a real engine's stored rows).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  idHead,
  isCandidateFileName,
  isSkippedDirName,
  isTerminal,
  normId,
  parseDocument,
  readSourceConfig,
  type ParsedDocument,
} from '../../../src/core/parse';
import { REPO_ROOT, SAMPLE, SAMPLE_DOCS } from '../../support/corpora';
import { registerAndSync, sandboxPerTest } from '../engine/helpers';

function walk(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!isSkippedDirName(e.name)) out.push(...walk(root, r));
    } else if (e.isFile() && isCandidateFileName(e.name)) out.push(r);
  }
  return out;
}

const config = readSourceConfig(readFileSync(join(SAMPLE, '.config.yaml')), null);

function parseSample(): Map<string, ParsedDocument> {
  const docs = new Map<string, ParsedDocument>();
  for (const rel of walk(SAMPLE)) {
    const r = parseDocument(rel, readFileSync(join(SAMPLE, rel)), config.status_vocab);
    assert.ok(r.ok, `${rel} failed to parse`);
    docs.set(rel, r.doc);
  }
  return docs;
}

const key = (d: ParsedDocument): string => normId(idHead(d.docId)) ?? normId(d.docId) ?? d.docId;
const RECORD = new Set(['retro', 'review', 'decision', 'persona', 'personas', 'pvd']);
const PROJECT_LEVEL = new Set(['prd', 'trd', 'tsd', 'personas']);

/** The six rules the sample is built to trip (health-check.md §3 rules 6, 7, 9, 10, 12, 13) → rule_id → keys. */
function deliberateFindings(docs: ParsedDocument[]): Map<string, string[]> {
  const keys = new Set(docs.map(key));
  const stories = docs.filter((d) => d.docType === 'story');
  const out = new Map<string, string[]>();
  const add = (rule: string, ...ks: string[]) => out.set(rule, [...(out.get(rule) ?? []), ...ks]);
  for (const s of stories) {
    if (!s.docId.startsWith('_') && !s.epic && !/\*\*Epic:?\*\*:?\s*\S/.test(s.content)) add('STORY_NO_EPIC', key(s));
  }
  for (const p of docs) if (p.docType === 'plan' && !p.story) add('PLAN_NO_STORY', key(p));
  for (const d of docs) {
    if (RECORD.has(d.docType)) continue;
    if (d.epic && !keys.has(d.epic)) add('ORPHAN_REFERENCE', key(d));
    if (d.story && !keys.has(d.story)) add('ORPHAN_REFERENCE', key(d));
  }
  for (const e of docs) {
    if (e.docType !== 'epic' || !isTerminal('epic', e.status)) continue;
    const open = stories.filter((s) => s.epic === key(e) && !isTerminal('story', s.status));
    if (open.length) add('STATUS_MISMATCH', key(e), ...open.map(key));
  }
  for (const d of docs) {
    if (['bug', 'cr', 'rfc'].includes(d.docType) && d.status?.toLowerCase() === 'inbox') add('UNTRIAGED_INBOX', key(d));
  }
  for (const d of docs) {
    if (!PROJECT_LEVEL.has(d.docType) && !RECORD.has(d.docType) && d.docId !== 'brand-guide' && !d.status) add('MISSING_STATUS', key(d));
  }
  return out;
}

/** The "Deliberate health findings" table of sample/README.md → rule_id → keys (normalised ids, in row order). */
function readmeFindings(): Map<string, string[]> {
  const text = readFileSync(join(REPO_ROOT, 'sample', 'README.md'), 'utf8');
  const section = text.split('## Deliberate health findings')[1]?.split('\n\n').find((b) => b.includes('| rule_id |'));
  assert.ok(section, 'sample/README.md has a deliberate-findings table');
  const out = new Map<string, string[]>();
  for (const row of section.split('\n').slice(2)) {
    const [, rule, doc] = row.split('|').map((c) => c.trim());
    const ids = [...doc.matchAll(/`([^`]+)`/g)].map((m) => normId(m[1])!);
    out.set(rule.replace(/`/g, ''), ids);
  }
  return out;
}

describe('sample project (sample/sdlc-studio)', () => {
  let docs: Map<string, ParsedDocument>;
  before(() => {
    docs = parseSample();
  });

  it(`holds exactly SAMPLE_DOCS (${SAMPLE_DOCS}) documents: no _index.md, nothing from .local/`, () => {
    assert.equal(docs.size, SAMPLE_DOCS);
    for (const rel of docs.keys()) assert.ok(!rel.startsWith('.local/') && !rel.endsWith('_index.md'), rel);
    assert.ok(readdirSync(join(SAMPLE, '.local')).length > 0, 'the .local/ folder exists and is skipped');
  });

  it('has every kind of document, stories in both id forms and an archived one', () => {
    const counts: Record<string, number> = {};
    for (const d of docs.values()) counts[d.docType] = (counts[d.docType] ?? 0) + 1;
    assert.deepEqual(counts, {
      bug: 4, cr: 2, decision: 1, epic: 4, personas: 1, plan: 5, prd: 1, retro: 1, rfc: 1, story: 16, 'test-spec': 4, trd: 1, tsd: 1,
    });
    const stories = [...docs.values()].filter((d) => d.docType === 'story');
    assert.equal(stories.filter((s) => /^US\d{4}-/.test(s.docId)).length, 12);
    assert.equal(stories.filter((s) => /^US-[0-9A-Z]{8}-/.test(s.docId)).length, 4);
    const archived = docs.get('stories/archive/US0000-import-bookings-from-spreadsheet.md')!;
    assert.equal(archived.status, 'Superseded');
    assert.ok(isTerminal('story', archived.status));
  });

  it('spreads the stories across the lifecycle, with the config\'s custom status', () => {
    assert.deepEqual(config.status_vocab, { story: ['Needs Design'] });
    assert.equal(config.schema_version, '3');
    const statuses = new Set([...docs.values()].filter((d) => d.docType === 'story').map((d) => d.status));
    for (const s of ['Draft', 'Ready', 'Planned', 'In Progress', 'Review', 'Blocked', 'Done', "Won't Implement", 'Superseded', 'Needs Design', null]) {
      assert.ok(statuses.has(s), `a story with status ${s}`);
    }
  });

  it('every document has a title and a real body (no EMPTY_CONTENT), and no header leaks into content', () => {
    for (const [rel, d] of docs) {
      assert.notEqual(d.title, d.docId, rel);
      assert.ok(d.content.trim().length >= 50, `${rel} body is ${d.content.trim().length} chars`);
      assert.ok(!d.content.includes('> **Status:**'), rel);
    }
  });

  it('reads the header below a multi-line <!-- Template --> comment', () => {
    const rel = 'stories/US-01KZH5A2-badge-in-to-confirm-a-booking.md';
    assert.match(readFileSync(join(SAMPLE, rel), 'utf8'), /^<!--\nTemplate: [^\n]+\n[^\n]+\n-->\n# US-01KZH5A2/);
    const d = docs.get(rel)!;
    assert.deepEqual([d.title, d.status, d.epic, d.owner, d.priority, d.storyPoints], [
      'US-01KZH5A2: Badge in at the room display to confirm a booking', 'Draft', 'EP01KZH4M7', 'Mira Okafor', 'High', 5,
    ]);
    assert.ok(d.content.startsWith('\n## User Story\n'));
  });

  it('cross-references resolve, except the one deliberate orphan', () => {
    const keys = new Set([...docs.values()].map(key));
    const refs = [...docs.values()].flatMap((d) => [d.epic, d.story, ...(d.dependsOn ?? [])].filter((r): r is string => !!r));
    assert.ok(refs.length >= 30, `${refs.length} references`);
    assert.deepEqual(refs.filter((r) => !keys.has(r)), ['US0099']);
    assert.deepEqual(docs.get('stories/US0007-weekly-repeating-bookings.md')!.dependsOn, ['US0005', 'US0006']);
    assert.deepEqual(docs.get('stories/US-01KZH5C8-release-no-show-rooms.md')!.dependsOn, ['US01KZH5A2']);
  });

  it('trips exactly the deliberate health findings that sample/README.md lists', () => {
    const found = deliberateFindings([...docs.values()]);
    assert.deepEqual(found, readmeFindings());
    assert.deepEqual([...found.keys()].sort(), [
      'MISSING_STATUS', 'ORPHAN_REFERENCE', 'PLAN_NO_STORY', 'STATUS_MISMATCH', 'STORY_NO_EPIC', 'UNTRIAGED_INBOX',
    ]);
  });

  describe('synced by a real engine', () => {
    const t = sandboxPerTest();

    it('stores SAMPLE_DOCS rows with the parsed fields and the config\'s schema version', async () => {
      const o = await registerAndSync(t.engine, 'Harbor', t.sb.corpus('harbor', SAMPLE));
      assert.deepEqual([o.sync_status, o.added, o.errors, o.document_count], ['synced', SAMPLE_DOCS, 0, SAMPLE_DOCS]);
      const p = t.engine.getProject('harbor');
      assert.deepEqual([p.sync_status, p.document_count, p.schema_version], ['synced', SAMPLE_DOCS, '3']);
      // read back through a second engine over the same data folder: what was stored, not what was returned
      await t.engine.close();
      const again = await t.sb.engine();
      const stored = again.documentSummaries('harbor');
      assert.equal(stored.length, SAMPLE_DOCS);
      const byPath = new Map(stored.map((d) => [d.file_path, d.status]));
      assert.equal(byPath.get('stories/US0010-two-way-calendar-sync.md'), 'Needs Design');
      assert.equal(byPath.get('bugs/BG-01KZH7D2-photo-carousel-skips-the-last-photo.md'), 'inbox');
      assert.equal(byPath.get('stories/US-01KZH5K9-accessibility-notes-per-room.md'), null);
    });
  });
});
