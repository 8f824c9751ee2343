// The editor's health parts that need no VS Code: severity mapping, where findings sit in a file,
// and the quick fixes' text edits (applied to real text, read back).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HEALTH_RULES, RULE_IDS, runHealthCheck, type HealthDoc } from '../../../src/core/health';
import { diagnosticMessage, editorSeverity, orphanOf, placements, projectFileOf, ruleDocUrl } from '../../../src/extension/health/placement';
import {
  applyEdits,
  closestCandidates,
  editDistance,
  fieldOrTitleSpan,
  findField,
  headerLayout,
  insertStatusEdit,
  replaceReferenceEdit,
  splitLines,
} from '../../../src/extension/health/text';
import { REPO_ROOT, SAMPLE } from '../../support/corpora';
import { SETTINGS } from '../../support/manifest';
import { DEFAULT_DIAGNOSTICS_SCOPE, DIAGNOSTICS_SCOPES, diagnosticsScopeOf } from '../../../src/extension/health/scopeSetting';


function doc(p: Partial<HealthDoc> & Pick<HealthDoc, 'doc_id' | 'doc_type' | 'file_path'>): HealthDoc {
  return {
    title: p.doc_id,
    status: 'Draft',
    owner: 'Ann',
    priority: 'High',
    story_points: 3,
    epic: null,
    story: null,
    synced_at: '2026-03-01T00:00:00Z',
    content_length: 500,
    body_epic: null,
    ...p,
  };
}

describe('health in the editor: severity mapping and settings', () => {
  it('maps critical and high to Error, medium to Warning, low to Information', () => {
    assert.deepEqual(
      ['critical', 'high', 'medium', 'low'].map((s) => editorSeverity(s as 'low')),
      ['Error', 'Error', 'Warning', 'Information'],
    );
  });

  it('offers exactly the rule ids, in rule order, for sdlcLens.health.disabledRules (resource scope)', () => {
    const setting = SETTINGS['sdlcLens.health.disabledRules'];
    assert.equal(setting.scope, 'resource');
    assert.deepEqual(setting.items.enum, RULE_IDS);
    assert.equal(setting.items.enumDescriptions.length, RULE_IDS.length);
    HEALTH_RULES.forEach((r, i) => assert.ok(setting.items.enumDescriptions[i].includes(r.title), r.id));
  });

  it('sdlcLens.health.diagnostics: openFiles by default; the old booleans still read (true → workspace, false → off)', () => {
    const setting = SETTINGS['sdlcLens.health.diagnostics'];
    assert.equal(setting.default, DEFAULT_DIAGNOSTICS_SCOPE);
    assert.deepEqual(setting.enum, [...DIAGNOSTICS_SCOPES]);
    assert.deepEqual(
      [undefined, 'openFiles', 'workspace', 'off', true, false, 'everything', 3].map(diagnosticsScopeOf),
      ['openFiles', 'openFiles', 'workspace', 'off', 'workspace', 'off', 'openFiles', 'openFiles'],
    );
    assert.deepEqual(SETTINGS['sdlcLens.health.minimumSeverity'].enum, ['critical', 'high', 'medium', 'low']);
    assert.equal(SETTINGS['sdlcLens.health.minimumSeverity'].default, 'low');
  });

  it('links each rule code to its entry in docs/health-rules.md, which has that entry and the severity table', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'health-rules.md'), 'utf8');
    for (const id of RULE_IDS) {
      const anchor = ruleDocUrl(id).split('#')[1]!;
      assert.equal(anchor, `rule-${id.toLowerCase()}`);
      assert.ok(readme.includes(`<a id="${anchor}"></a>`), `docs/health-rules.md anchor for ${id}`);
    }
    assert.match(readme, /\| `critical`, `high` \| Error \|/);
  });
});

describe('health in the editor: where findings are shown', () => {
  const docs = [
    doc({ doc_id: 'EP0001-rooms', doc_type: 'epic', file_path: 'epics/EP0001-rooms.md' }),
    doc({ doc_id: 'US0001-browse', doc_type: 'story', file_path: 'stories/US0001-browse.md', epic: 'EP0001' }),
    doc({ doc_id: 'BG0001-x', doc_type: 'bug', file_path: 'bugs/BG0001-x.md', story: 'US0099' }),
    doc({ doc_id: 'US0002-nostatus', doc_type: 'story', file_path: 'stories/US0002-nostatus.md', epic: 'EP0001', status: null }),
    doc({ doc_id: 'trd', doc_type: 'trd', file_path: 'trd.md', status: null }),
  ];
  const report = runHealthCheck({ project_slug: 'p', documents: docs, now: '2026-03-02T00:00:00Z', disabledRules: ['MISSING_PLAN', 'MISSING_TEST_SPEC'] });
  const sdlc = path.join(path.sep, 'ws', 'proj', 'sdlc-studio');

  it('reads the field and id of a real ORPHAN_REFERENCE finding', () => {
    const f = report.findings.find((x) => x.rule_id === 'ORPHAN_REFERENCE');
    assert.ok(f);
    assert.deepEqual(orphanOf(f), { field: 'Story', ref: 'US0099' });
    assert.deepEqual(orphanOf({ rule_id: 'ORPHAN_REFERENCE', message: diagnosticMessage(f) }), { field: 'Story', ref: 'US0099' });
    assert.equal(orphanOf({ rule_id: 'MISSING_STATUS', message: f.message }), null);
  });

  it('puts document findings on their files and project-level ones on the TRD when there is no PRD', () => {
    const projectFile = projectFileOf(docs.map((d) => ({ type: d.doc_type, file_path: d.file_path })));
    assert.equal(projectFile, 'trd.md');
    const places = placements(report, sdlc, projectFile);
    const prd = places.find((p) => p.finding.rule_id === 'MISSING_PRD')!;
    assert.equal(prd.absPath, path.join(sdlc, 'trd.md'));
    assert.equal(prd.doc, null);
    const orphan = places.find((p) => p.finding.rule_id === 'ORPHAN_REFERENCE')!;
    assert.equal(orphan.absPath, path.join(sdlc, 'bugs', 'BG0001-x.md'));
    assert.equal(orphan.field, 'Story');
    const missing = places.find((p) => p.finding.rule_id === 'MISSING_STATUS')!;
    assert.equal(missing.absPath, path.join(sdlc, 'stories', 'US0002-nostatus.md'));
    assert.equal(missing.field, null);
    const folder = placements(report, sdlc, null).find((p) => p.finding.rule_id === 'MISSING_PRD')!;
    assert.equal(folder.folder, true);
    assert.equal(folder.absPath, sdlc);
  });

  it('prefers the PRD, then the TRD, then the first document by path', () => {
    assert.equal(projectFileOf([{ type: 'story', file_path: 'a.md' }, { type: 'trd', file_path: 'trd.md' }, { type: 'prd', file_path: 'prd.md' }]), 'prd.md');
    assert.equal(projectFileOf([{ type: 'story', file_path: 'z.md' }, { type: 'bug', file_path: 'b.md' }]), 'b.md');
    assert.equal(projectFileOf([]), null);
  });

  it('highlights the Story line of the sample bug with a broken reference, and the title otherwise', () => {
    const lines = splitLines(fs.readFileSync(path.join(SAMPLE, 'bugs', 'BG-01KZH7G5-reminder-email-links-to-the-wrong-booking.md'), 'utf8'));
    const span = fieldOrTitleSpan(lines, 'Story');
    assert.equal(lines[span.line], '> **Story:** US0099');
    assert.equal(lines[span.line]!.slice(span.start, span.end), '**Story:** US0099');
    assert.equal(fieldOrTitleSpan(lines, null).line, 0);
    assert.equal(fieldOrTitleSpan(lines, 'Epic').line, 0, 'absent field → title');
  });

  it('finds inline fields and "Story Points", and the header of plain **Key:** files', () => {
    const lines = ['# T', '', '> **Epic:** EP0001 · **Story:** [US0001](../stories/US0001.md)', '> **Story Points:** 3', '', 'Body'];
    const story = findField(lines, 'story')!;
    assert.equal(lines[2]!.slice(story.value.start, story.value.end).trim(), '[US0001](../stories/US0001.md)');
    const epic = findField(lines, 'Epic')!;
    assert.equal(lines[2]!.slice(epic.value.start, epic.value.end).trim(), 'EP0001');
    assert.equal(findField(lines, 'Story Points')!.key.line, 3);
    const prd = splitLines(fs.readFileSync(path.join(SAMPLE, 'prd.md'), 'utf8'));
    const h = headerLayout(prd);
    assert.equal(h.style, 'plain');
    assert.equal(prd[findField(prd, 'Status')!.key.line], '**Status:** Complete');
  });
});

describe('health in the editor: quick-fix edits', () => {
  it('MISSING_STATUS: adds a quoted Status line after the header, keeping CRLF', () => {
    const text = '# US0002: No status\r\n\r\n> **Epic:** EP0001\r\n> **Owner:** Ann\r\n\r\n## Story\r\nBody\r\n';
    const out = applyEdits(text, [insertStatusEdit(text)]);
    assert.equal(out, '# US0002: No status\r\n\r\n> **Epic:** EP0001\r\n> **Owner:** Ann\r\n> **Status:** Draft\r\n\r\n## Story\r\nBody\r\n');
  });

  it('MISSING_STATUS: plain **Key:** headers get a plain line; no header gets a new one under the title', () => {
    const plain = '# PRD\n\n**Project:** X\n**Version:** 1\n\nText\n';
    assert.equal(applyEdits(plain, [insertStatusEdit(plain)]), '# PRD\n\n**Project:** X\n**Version:** 1\n**Status:** Draft\n\nText\n');
    const none = '# Title\n\nBody text\n';
    assert.equal(applyEdits(none, [insertStatusEdit(none)]), '# Title\n\n> **Status:** Draft\n\nBody text\n');
    const tight = '# Title\nBody text\n';
    assert.equal(applyEdits(tight, [insertStatusEdit(tight)]), '# Title\n\n> **Status:** Draft\n\nBody text\n', 'a blank line keeps the body out of the quote');
  });

  it('MISSING_STATUS on the sample story without a status: the header then parses a Draft status', () => {
    const file = path.join(SAMPLE, 'stories', 'US-01KZH5K9-accessibility-notes-per-room.md');
    const text = fs.readFileSync(file, 'utf8');
    const out = applyEdits(text, [insertStatusEdit(text)]);
    const lines = splitLines(out);
    assert.equal(lines[findField(lines, 'Status')!.key.line], '> **Status:** Draft');
    assert.equal(out.replace('> **Status:** Draft\n', ''), text, 'only the one line is added');
  });

  it('ORPHAN_REFERENCE: replaces the id (and a link target) in the field, nothing else', () => {
    const text = '# BG1\n\n> **Status:** Open\n> **Story:** [US0099](../stories/US0099-old.md) · **Epic:** EP0001\n\nMentions US0099 in the body.\n';
    const e = replaceReferenceEdit(text, 'Story', 'US0009', '../stories/US0009-export.md')!;
    assert.equal(
      applyEdits(text, [e]),
      '# BG1\n\n> **Status:** Open\n> **Story:** [US0009](../stories/US0009-export.md) · **Epic:** EP0001\n\nMentions US0099 in the body.\n',
    );
    const plain = '# X\n\n> **Story:** US0099\n';
    assert.equal(applyEdits(plain, [replaceReferenceEdit(plain, 'story', 'US0009')!]), '# X\n\n> **Story:** US0009\n');
    assert.equal(replaceReferenceEdit(plain, 'Epic', 'EP0001'), null);
    // a stale diagnostic (the id was already changed, no sync since) offers no edit
    assert.equal(applyEdits(plain, [replaceReferenceEdit(plain, 'Story', 'US0009', undefined, 'us-0099')!]), '# X\n\n> **Story:** US0009\n');
    const fixed = '# X\n\n> **Story:** US0009\n';
    assert.equal(replaceReferenceEdit(fixed, 'Story', 'US0000', undefined, 'US0099'), null);
  });

  it('ranks candidates by edit distance within the field type, skipping archived documents', () => {
    assert.equal(editDistance('US0099', 'US0009'), 1);
    assert.equal(editDistance('', 'abc'), 3);
    const docs = [
      { doc_id: 'US0009-export', type: 'story', title: 'Export', file_path: 'stories/US0009-export.md' },
      { doc_id: 'US0001-browse', type: 'story', title: 'Browse', file_path: 'stories/US0001-browse.md' },
      { doc_id: 'US0090-x', type: 'story', title: 'X', file_path: 'stories/US0090-x.md' },
      { doc_id: '_US0099-old', type: 'story', title: 'Old', file_path: 'stories/archive/_US0099-old.md' },
      { doc_id: 'EP0099-epic', type: 'epic', title: 'Epic', file_path: 'epics/EP0099-epic.md' },
      { doc_id: 'US-01KZH5A2-badge', type: 'story', title: 'Badge', file_path: 'stories/US-01KZH5A2-badge.md' },
    ];
    const c = closestCandidates('US0099', docs, 'story', 3);
    assert.deepEqual(c.map((x) => x.id), ['US0009', 'US0090', 'US0001']);
    assert.equal(c[0]!.file_path, 'stories/US0009-export.md');
    assert.deepEqual(closestCandidates('US-01KZH5A3', docs, 'story', 1).map((x) => x.id), ['US-01KZH5A2']);
  });
});
