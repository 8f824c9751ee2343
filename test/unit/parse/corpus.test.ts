import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  isCandidateFileName,
  isSkippedDirName,
  parseDocument,
  readSourceConfig,
  type ParsedDocument,
} from '../../../src/core/parse';
import { describeShared, FIXTURES, LENS } from '../../support/corpora';

/** Sorted recursive walk with the §2 rules; returns '/'-separated relative paths. */
function walk(root: string, rel = ''): string[] {
  const out: string[] = [];
  const entries = readdirSync(join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!isSkippedDirName(e.name)) out.push(...walk(root, r));
    } else if (e.isFile() && isCandidateFileName(e.name)) {
      out.push(r);
    }
  }
  return out;
}

function parseAll(root: string): Map<string, ParsedDocument> {
  const cfg = readSourceConfig(null, null);
  const docs = new Map<string, ParsedDocument>();
  for (const rel of walk(root)) {
    const r = parseDocument(rel, readFileSync(join(root, rel)), cfg.status_vocab);
    assert.ok(r.ok, `${rel} failed to parse`);
    docs.set(rel, r.doc);
  }
  return docs;
}

interface Expect {
  docType: string;
  docId: string;
  refId: string | null;
  title: string;
  status: string | null;
  owner?: string | null;
  priority?: string | null;
  storyPoints?: number | null;
  epic?: string | null;
  story?: string | null;
  dependsOn?: string[] | null;
  metadata: Record<string, string> | null;
  /** text that must (not) appear in content */
  contentStarts?: string;
  notInContent?: string[];
  inContent?: string[];
}

function check(docs: Map<string, ParsedDocument>, rel: string, e: Expect): void {
  const d = docs.get(rel);
  assert.ok(d, `${rel} not found`);
  assert.equal(d.docType, e.docType, 'docType');
  assert.equal(d.docId, e.docId, 'docId');
  assert.equal(d.refId, e.refId, 'refId');
  assert.equal(d.title, e.title, 'title');
  assert.equal(d.status, e.status, 'status');
  assert.equal(d.owner, e.owner ?? null, 'owner');
  assert.equal(d.priority, e.priority ?? null, 'priority');
  assert.equal(d.storyPoints, e.storyPoints ?? null, 'storyPoints');
  assert.equal(d.epic, e.epic ?? null, 'epic');
  assert.equal(d.story, e.story ?? null, 'story');
  assert.deepEqual(d.dependsOn, e.dependsOn ?? null, 'dependsOn');
  assert.equal(d.aliases, null, 'aliases');
  assert.deepEqual(d.metadata, e.metadata, 'metadata');
  if (e.contentStarts !== undefined) assert.ok(d.content.startsWith(e.contentStarts), `content starts ${JSON.stringify(d.content.slice(0, 40))}`);
  for (const s of e.notInContent ?? []) assert.ok(!d.content.includes(s), `content must not contain ${s}`);
  for (const s of e.inContent ?? []) assert.ok(d.content.includes(s), `content must contain ${s}`);
}

describeShared('parse/corpus: lens (real sdlc-studio folder)', () => {
  let docs: Map<string, ParsedDocument>;
  before(() => {
    docs = parseAll(LENS);
  });

  it('walks exactly 193 documents, none failing, none under .local/ and no _index.md', () => {
    assert.equal(docs.size, 193);
    for (const rel of docs.keys()) {
      assert.ok(!rel.startsWith('.local/') && !rel.endsWith('/_index.md') && rel !== '_index.md', rel);
    }
  });

  it('type counts', () => {
    const counts: Record<string, number> = {};
    for (const d of docs.values()) counts[d.docType] = (counts[d.docType] ?? 0) + 1;
    assert.deepEqual(counts, {
      'brand-guide': 1, bug: 16, cr: 22, epic: 12, persona: 3, personas: 1, plan: 36, prd: 1, retro: 8,
      review: 4, rfc: 2, story: 48, 'test-spec': 36, trd: 1, tsd: 1, workflow: 1,
    });
  });

  it('every document: well-formed, title set, header never in content', () => {
    for (const [rel, d] of docs) {
      assert.ok(d.title.length > 0, rel);
      assert.ok(!d.content.startsWith('> **Status:**'), rel);
      if (d.refId !== null) assert.match(d.refId, /^[A-Z0-9]+$/, rel);
    }
    // Every status in this corpus is a vocabulary token once canonicalised.
    const statuses = new Set([...docs.values()].map((d) => d.status));
    assert.deepEqual([...statuses].sort(), ['Accepted', 'Complete', 'Done', 'Draft', 'Fixed', 'Superseded', null].sort());
  });

  it('classic story US0001', () => {
    check(docs, 'stories/US0001-register-new-project.md', {
      docType: 'story', docId: 'US0001-register-new-project', refId: 'US0001', title: 'US0001: Register a New Project',
      status: 'Done', owner: 'Darren', epic: 'EP0001',
      metadata: { 'raised-by': 'Darren; human; v1 (inferred)', reviewer: '-', created: '2026-02-17' },
      contentStarts: '\n## User Story\n', notInContent: ['> **Status:**', '# US0001: Register a New Project', '> **Epic:**'],
    });
  });

  it('ULID story US-01KXCB7V', () => {
    check(docs, 'stories/US-01KXCB7V-make-the-review-index-and-the-lint-baseline.md', {
      docType: 'story', docId: 'US-01KXCB7V-make-the-review-index-and-the-lint-baseline', refId: 'US01KXCB7V',
      title: 'US-01KXCB7V: Make the review index and the lint baseline tell the truth',
      status: 'Done', priority: 'Medium', storyPoints: 1, epic: 'EP01KXCBC9',
      metadata: {
        created: '2026-07-13', 'created-by': 'sdlc-studio new', 'raised-by': 'Tomas Reinholt; persona; v3',
        'triaged-by': 'Darren; human; v3',
        change_request: '[CR-01KXCA1Q](../change-requests/CR-01KXCA1Q-wire-ci-to-push-and-pr-and-settle.md)',
        persona: 'Tomas Reinholt (QA amigo)',
      },
      contentStarts: '\n## User Story\n', notInContent: ['**Story Points:**', '> **Status:**'],
    });
  });

  it('ULID story with a dependency', () => {
    const d = docs.get('stories/US-01KXCCTV-fetch-only-changed-blobs-via-trees-and-blobs.md')!;
    assert.deepEqual(d.dependsOn, ['US01KXCCMH']);
    assert.equal(d.epic, 'EP01KXCCA4');
    assert.equal(d.storyPoints, 5);
  });

  it('classic epic EP0001', () => {
    check(docs, 'epics/EP0001-project-management.md', {
      docType: 'epic', docId: 'EP0001-project-management', refId: 'EP0001', title: 'EP0001: Project Management',
      status: 'Done', owner: 'Darren', storyPoints: 16,
      metadata: { 'raised-by': 'Darren; human; v1 (inferred)', created: '2026-02-17', target_release: 'Phase 1 (Foundation)' },
      contentStarts: '\n## Summary\n', notInContent: ['**Target Release:**'],
    });
  });

  it('ULID epic EP-01KXCBC9', () => {
    check(docs, 'epics/EP-01KXCBC9-ci-safety-net-run-the-tests-on-every.md', {
      docType: 'epic', docId: 'EP-01KXCBC9-ci-safety-net-run-the-tests-on-every', refId: 'EP01KXCBC9',
      title: 'EP-01KXCBC9: CI safety net: run the tests on every change, and stop counting a suite that cannot run',
      status: 'Done', priority: 'High',
      metadata: {
        created: '2026-07-13', 'created-by': 'sdlc-studio new', 'raised-by': 'Tomas Reinholt; persona; v3',
        'triaged-by': 'Darren; human; v3',
        change_request: '[CR-01KXCA1Q](../change-requests/CR-01KXCA1Q-wire-ci-to-push-and-pr-and-settle.md)',
      },
      contentStarts: '\n## Summary\n',
    });
    assert.deepEqual(docs.get('epics/EP-01KXCCA4-incremental-github-sync-fetch-only-what-changed-without.md')!.dependsOn, ['EP01KXCBC9']);
  });

  it('prd singleton (fallback header; a quoted note deep in the body stays content)', () => {
    check(docs, 'prd.md', {
      docType: 'prd', docId: 'prd', refId: null, title: 'Product Requirements Document', status: 'Complete',
      metadata: { project: 'SDLC Studio Lens', version: '1.3.0', last_updated: '2026-02-19', trd_reference: '[TRD](trd.md)' },
      contentStarts: '# Product Requirements Document\n\n**Project:** SDLC Studio Lens',
      inContent: ['## 1. Project Overview', '> Not applicable for v1.0.'],
    });
  });

  it('trd singleton', () => {
    check(docs, 'trd.md', {
      docType: 'trd', docId: 'trd', refId: null, title: 'Technical Requirements Document', status: 'Complete',
      metadata: { project: 'SDLC Studio Lens', version: '1.3.0', last_updated: '2026-02-19', prd_reference: '[PRD](prd.md)' },
      contentStarts: '# Technical Requirements Document\n', inContent: ['## 1. Executive Summary', '> **Note:** The document tree view'],
    });
  });

  it('tsd singleton with a blockquote header', () => {
    check(docs, 'tsd.md', {
      docType: 'tsd', docId: 'tsd', refId: null, title: 'Test Strategy Document', status: null, owner: 'Darren',
      metadata: { project: 'SDLC Studio Lens', version: '1.3.0', last_updated: '2026-02-19' },
      contentStarts: '\n---\n\n## Overview\n', notInContent: ['# Test Strategy Document\n'], inContent: ['> **Why 90%?**'],
    });
  });

  it('bug BG-01KX8B82', () => {
    check(docs, 'bugs/BG-01KX8B82-path-traversal-in-spa-fallback-route-serves-arbitrary.md', {
      docType: 'bug', docId: 'BG-01KX8B82-path-traversal-in-spa-fallback-route-serves-arbitrary', refId: 'BG01KX8B82',
      title: 'BG-01KX8B82: Path traversal in SPA fallback route serves arbitrary files', status: 'Fixed',
      metadata: {
        'triaged-by': 'Darren; human; v3', severity: 'High', verification_depth: 'functional', created: '2026-07-11',
        'created-by': 'sdlc-studio file', 'raised-by': 'Priya Nair; persona; v3',
      },
      contentStarts: '\n## Summary\n', notInContent: ['**Severity:**'],
    });
    assert.deepEqual(docs.get('bugs/BG-01KX8B04-failed-sync-can-leave-a-project-permanently-stuck.md')!.dependsOn, ['BG01KX8BFP']);
  });

  it('change request CR-01KX8Y0M', () => {
    check(docs, 'change-requests/CR-01KX8Y0M-status-vocabulary-v3-and-canonicalisation.md', {
      docType: 'cr', docId: 'CR-01KX8Y0M-status-vocabulary-v3-and-canonicalisation', refId: 'CR01KX8Y0M',
      title: 'CR-01KX8Y0M: Status vocabulary v3 and canonicalisation', status: 'Complete', priority: 'Medium',
      dependsOn: ['CR01KX8Y2G'],
      metadata: {
        'triaged-by': 'Darren; human; v3', created: '2026-07-11', 'created-by': 'sdlc-studio new',
        'raised-by': 'Tomas Reinholt; persona; v3', type: 'Improvement',
      },
      contentStarts: '\n## Summary\n',
    });
    assert.deepEqual(docs.get('change-requests/CR-01KX95WV-low-severity-crs-consolidated.md')!.dependsOn, ['BG01KX95DB', 'BG01KX95QP', 'CR01KX95FH']);
  });

  it('retro RETRO0001 (no status; a two-field line without · stays one value)', () => {
    check(docs, 'retros/RETRO0001-rv-0001-backlog-sprint-6-bugs-4-crs.md', {
      docType: 'retro', docId: 'RETRO0001-rv-0001-backlog-sprint-6-bugs-4-crs', refId: 'RETRO0001',
      title: 'RETRO-0001: RV-0001 backlog sprint - 6 bugs + 4 CRs delivered', status: null,
      metadata: {
        date: '2026-07-11', batch: 'bugs Open + crs Proposed (RV-0001 review backlog)', goal: 'done',
        delivered: '10 / 10   **Blocked:** 0', 'raised-by': 'Priya Nair; persona; v3',
      },
      contentStarts: '\n## Delivered\n',
    });
  });

  it('review RV0001 and folder-typed reviews', () => {
    check(docs, 'reviews/RV0001-repository-review-architecture-code-quality-defensive-security.md', {
      docType: 'review', docId: 'RV0001-repository-review-architecture-code-quality-defensive-security', refId: 'RV0001',
      title: 'RV-0001: Repository review - architecture, code quality, defensive security', status: null,
      metadata: { date: '2026-07-11', 'created-by': 'sdlc-studio new', 'raised-by': 'Priya Nair; persona; v3', type: 'review generate (repository on-ramp)' },
      contentStarts: '\n## Scope\n',
    });
    // A note blockquote right under the H1 is the header block: no keys, so no metadata, and it leaves content.
    check(docs, 'reviews/critic-verdicts.md', {
      docType: 'review', docId: 'critic-verdicts', refId: null, title: 'Critic Verdicts', status: null, metadata: null,
      contentStarts: '\n| Unit | Verdict |', notInContent: ['Append-only'],
    });
  });

  it('plan PL0001', () => {
    check(docs, 'plans/PL0001-register-new-project.md', {
      docType: 'plan', docId: 'PL0001-register-new-project', refId: 'PL0001',
      title: 'PL0001: Register a New Project - Implementation Plan', status: 'Complete', epic: 'EP0001', story: 'US0001',
      metadata: { 'raised-by': 'Darren; human; v1 (inferred)', created: '2026-02-17', language: 'Python' },
      contentStarts: '\n## Overview\n', notInContent: ['**Language:**'],
    });
  });

  it('test spec TS0001', () => {
    check(docs, 'test-specs/TS0001-register-new-project.md', {
      docType: 'test-spec', docId: 'TS0001-register-new-project', refId: 'TS0001', title: 'TS0001: Register a New Project',
      status: 'Draft', epic: 'EP0001',
      metadata: { 'raised-by': 'Darren; human; v1 (inferred)', created: '2026-02-17', last_updated: '2026-02-17' },
      contentStarts: '\n## Overview\n',
    });
  });

  it('rfc and workflow', () => {
    const rfc = docs.get('rfcs/RFC-01KXARHK-incremental-github-sync-near-realtime-without-re-downloading.md')!;
    assert.equal(rfc.docType, 'rfc');
    assert.equal(rfc.refId, 'RFC01KXARHK');
    assert.equal(rfc.status, 'Accepted');
    assert.equal(rfc.metadata?.related, 'BG-01KXARHJ (stale reparse), CR-01KX95FH (tarball bounds), CR-01KX95WV (github config)');
    const wf = docs.get('workflows/WF0001-register-new-project.md')!;
    assert.equal(wf.docType, 'workflow');
    assert.equal(wf.story, 'US0001');
    assert.equal(wf.metadata?.plan, '[PL0001: Register a New Project](../plans/PL0001-register-new-project.md)');
  });

  it('persona under personas/seats/ (HTML comments above the H1: the note quote under it is the header block)', () => {
    // Corrected spec (documents.md §4.2, parser epoch 2): comments above the header are prelude. The
    // quote has no **Key:** line, so there is no metadata; it and everything above it leave content.
    check(docs, 'personas/seats/elena-foss.md', {
      docType: 'persona', docId: 'elena-foss', refId: null, title: 'Elena Foss - Product amigo', status: null, metadata: null,
      contentStarts: '\n## Who They Are\n', notInContent: ['<!--', 'role: product', 'A specific, skilled person, not a role label.'],
    });
  });

  it('brand-guide singleton (fallback scan runs on past --- and headings: spec quirk)', () => {
    check(docs, 'brand-guide.md', {
      docType: 'brand-guide', docId: 'brand-guide', refId: null, title: 'SDLC Studio Lens: Brand Identity & Design System',
      status: 'Draft',
      metadata: { version: '1.0.0', date: 'February 2026', 'your_sdlc_artefacts,_at_a_glance.': '' },
      contentStarts: '# SDLC Studio Lens: Brand Identity & Design System\n',
    });
  });

  it('personas.md singleton', () => {
    check(docs, 'personas.md', {
      docType: 'personas', docId: 'personas', refId: null, title: 'User Personas', status: null,
      metadata: { project: 'SDLC Studio Lens', last_updated: '2026-02-17', role: 'Developer managing multiple projects with sdlc-studio', category: 'Primary user' },
      contentStarts: '# User Personas\n',
    });
  });

  it('parses the whole corpus fast', () => {
    const files = walk(LENS).map((rel) => [rel, readFileSync(join(LENS, rel))] as const);
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) for (const [rel, b] of files) parseDocument(rel, b, { story: ['Gated'] });
    const ms = performance.now() - t0;
    assert.ok(ms < 2500, `1930 parses took ${ms.toFixed(0)} ms`);
  });
});

describeShared('parse/corpus: fixtures', () => {
  let docs: Map<string, ParsedDocument>;
  before(() => {
    docs = parseAll(FIXTURES);
  });

  it('walks all 10 documents', () => {
    assert.deepEqual([...docs.keys()], [
      'epics/EP0001-alpha-feature.md', 'epics/EP0002-beta-feature.md', 'plans/PL0001-create-widget-plan.md', 'prd.md',
      'stories/US0001-create-widget.md', 'stories/US0002-update-widget.md', 'stories/US0003-widget-api.md',
      'stories/US0004-widget-tests.md', 'test-specs/TS0001-create-widget-tests.md', 'trd.md',
    ]);
  });

  it('story US0001-create-widget', () => {
    check(docs, 'stories/US0001-create-widget.md', {
      docType: 'story', docId: 'US0001-create-widget', refId: 'US0001', title: 'US0001: Create Widget', status: 'Done',
      owner: 'Alice', priority: 'High', storyPoints: 5, epic: 'EP0001', metadata: { created: '2026-01-10' },
      contentStarts: '\n## User Story\n',
    });
  });

  it('epic EP0001-alpha-feature', () => {
    check(docs, 'epics/EP0001-alpha-feature.md', {
      docType: 'epic', docId: 'EP0001-alpha-feature', refId: 'EP0001', title: 'EP0001: Alpha Feature', status: 'Done',
      owner: 'Alice', storyPoints: 13, metadata: { created: '2026-01-10', target_release: 'Phase 1' }, contentStarts: '\n## Summary\n',
    });
  });

  it('prd fixture', () => {
    check(docs, 'prd.md', {
      docType: 'prd', docId: 'prd', refId: null, title: 'Product Requirements Document', status: 'Complete',
      metadata: { project: 'Widget Platform', version: '1.0.0', last_updated: '2026-01-15' },
      contentStarts: '# Product Requirements Document\n',
    });
  });

  it('every fixture has a status and a title', () => {
    for (const [rel, d] of docs) {
      assert.notEqual(d.status, null, rel);
      assert.notEqual(d.title, d.docId, rel);
    }
  });
});
