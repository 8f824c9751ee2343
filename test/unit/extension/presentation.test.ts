import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DocumentSummary } from '../../../src/core/engine-api';
import type { Project } from '../../../src/core/types';
import { findSdlcFolders, samePath } from '../../../src/extension/detect';
import { defaultProjectName, uniqueName, validateProjectName } from '../../../src/extension/names';
import {
  compareDocuments,
  sortDocuments,
  documentIcon,
  documentLabel,
  documentRow,
  isArchiveIndex,
  metadataKeyLabel,
  documentTooltip,
  groupLabel,
  PROJECT_ICONS,
  projectDescription,
  projectTooltip,
  relativeTime,
} from '../../../src/extension/tree/presentation';
import { isRelevantChange } from '../../../src/extension/watcher';

const project = (over: Partial<Project> = {}): Project => ({
  slug: 'lens',
  name: 'Lens',
  sdlc_path: '/w/sdlc-studio',
  source_type: 'local',
  sync_status: 'synced',
  sync_error: null,
  schema_version: null,
  profile: null,
  last_synced_at: '2026-03-01T10:00:00Z',
  document_count: 48,
  created_at: '2026-03-01T09:00:00Z',
  ...over,
});
const doc = (over: Partial<DocumentSummary> = {}): DocumentSummary => ({
  doc_id: 'US0001-create-widget',
  type: 'story',
  title: 'Create Widget',
  status: 'Done',
  owner: 'Darren',
  priority: null,
  story_points: 3,
  epic: 'EP0001',
  story: null,
  updated_at: '2026-03-01T10:00:00Z',
  file_path: 'stories/US0001-create-widget.md',
  ref_id: 'US0001',
  metadata: { Reviewer: 'Ann', Status: 'Done' },
  ...over,
});

describe('tree presentation', () => {
  const now = new Date('2026-03-01T10:05:00Z');

  it('describes projects per sync status', () => {
    assert.equal(projectDescription(project(), now), '48 docs · 5 min ago');
    assert.equal(projectDescription(project({ sync_status: 'never_synced', document_count: 0 }), now), 'never synced');
    assert.equal(projectDescription(project({ sync_status: 'error', document_count: 1 }), now), '1 doc · sync failed');
    assert.equal(projectDescription(project({ sync_status: 'syncing' }), now), '48 docs · syncing…');
  });

  it('uses the agreed project icons', () => {
    assert.deepEqual(PROJECT_ICONS, {
      never_synced: { id: 'circle-outline' },
      syncing: { id: 'sync~spin' },
      synced: { id: 'check', color: 'testing.iconPassed' },
      error: { id: 'error', color: 'errorForeground' },
    });
  });

  it('puts path, status, error and last sync in the project tooltip', () => {
    const t = projectTooltip(project({ sync_status: 'error', sync_error: 'sdlc-studio path not found' }), now);
    assert.match(t, /\/w\/sdlc-studio/);
    assert.match(t, /Status: Error/);
    assert.match(t, /path not found/);
    assert.match(t, /Last sync: 5 min ago/);
  });

  it('formats relative times', () => {
    assert.equal(relativeTime(null, now), 'never');
    assert.equal(relativeTime('2026-03-01T10:04:50Z', now), 'just now');
    assert.equal(relativeTime('2026-03-01T07:00:00Z', now), '3 h ago');
    assert.equal(relativeTime('2026-02-28T09:00:00Z', now), 'yesterday');
    assert.equal(relativeTime('2026-02-20T10:00:00Z', now), '9 days ago');
    assert.equal(relativeTime('2025-01-01T00:00:00Z', now), '2025-01-01');
  });

  it('labels documents "US0001 · Title" and groups in the plural', () => {
    assert.equal(documentLabel(doc()), 'US0001 · Create Widget');
    assert.equal(documentLabel(doc({ doc_id: 'prd', title: 'prd' })), 'prd');
    assert.equal(documentLabel(doc({ title: 'US0001: Create Widget' })), 'US0001 · Create Widget');
    assert.equal(documentLabel(doc({ title: 'US0001 - Create Widget' })), 'US0001 · Create Widget');
    assert.equal(documentLabel(doc({ title: 'US0001' })), 'US0001');
    assert.equal(documentLabel(doc({ title: 'US00012 other' })), 'US0001 · US00012 other');
    assert.equal(groupLabel('story'), 'Stories');
    assert.equal(groupLabel('epic'), 'Epics');
    assert.equal(groupLabel('prd'), 'PRD');
  });

  it('picks document icons by status group', () => {
    assert.deepEqual(documentIcon('Done'), { id: 'pass', color: 'testing.iconPassed' });
    assert.deepEqual(documentIcon('In Progress'), { id: 'sync', color: 'charts.blue' });
    assert.deepEqual(documentIcon('Review'), { id: 'circle-filled', color: 'charts.blue' });
    assert.deepEqual(documentIcon('Blocked'), { id: 'circle-slash', color: 'errorForeground' });
    assert.deepEqual(documentIcon('Draft'), { id: 'circle-outline' });
    assert.deepEqual(documentIcon(null), { id: 'file' });
    assert.deepEqual(documentIcon('Gated'), { id: 'file' });
  });

  it('lists the metadata in the document tooltip without repeating fields', () => {
    const t = documentTooltip(doc());
    assert.match(t, /Status: Done/);
    assert.match(t, /Owner: Darren/);
    assert.match(t, /Reviewer: Ann/);
    assert.equal(t.match(/Status:/g)?.length, 1);
    assert.match(t, /stories\/US0001-create-widget\.md/);
  });
});

describe('tree rows', () => {
  it('puts the status first in a document row\'s description, the id as its label', () => {
    assert.deepEqual(documentRow(doc()), { label: 'US0001', description: 'Done · Create Widget' });
    assert.deepEqual(documentRow(doc({ status: null })), { label: 'US0001', description: 'Create Widget' });
    assert.deepEqual(documentRow(doc({ doc_id: 'prd', title: 'Product Requirements', status: 'Draft', file_path: 'prd.md' })), {
      label: 'Product Requirements',
      description: 'Draft',
    });
  });

  it('labels archive index files as such', () => {
    assert.equal(isArchiveIndex('stories/archive/_index-v3.4.0.md'), true);
    assert.equal(isArchiveIndex('stories/archive/US0000-old.md'), false);
    assert.equal(isArchiveIndex('stories/index.md'), false);
    const row = documentRow(doc({ doc_id: '_index-v3.4.0', title: 'archive - v3.4.0', status: null, file_path: 'stories/archive/_index-v3.4.0.md' }));
    assert.deepEqual(row, { label: 'Archive index', description: 'stories/archive' });
  });

  it('orders sequential ids before ULID ids, numerically', () => {
    const list = ['US-01KXCB7V', 'US0010', 'prd', 'US0002', 'US-01KXAAAA', 'US0001'].map((id) => ({ doc_id: id, file_path: `${id}.md` }));
    assert.deepEqual(list.sort(compareDocuments).map((d) => d.doc_id), ['US0001', 'US0002', 'US0010', 'US-01KXAAAA', 'US-01KXCB7V', 'prd']);
  });

  it('sortDocuments orders exactly as compareDocuments (ids of every form, duplicates, same id in two files)', () => {
    let seed = 5;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    const ids = ['US0001', 'US0002', 'US0010', 'US-01KXAAAA', 'us-01kxcb7v', 'prd', 'EP0003', 'BG-0012', 'README', '_index', 'US0002a', 'CR-01KX'];
    for (let round = 0; round < 200; round++) {
      const list = Array.from({ length: 1 + next(60) }, (_, i) => ({ doc_id: ids[next(ids.length)]!, file_path: `f${next(9)}/${i}.md` }));
      assert.deepEqual(sortDocuments([...list]), [...list].sort(compareDocuments));
    }
  });

  it('title-cases every metadata key in the tooltip', () => {
    assert.equal(metadataKeyLabel('raised-by'), 'Raised By');
    assert.equal(metadataKeyLabel('story_points'), 'Story Points');
    const text = documentTooltip(doc({ metadata: { 'raised-by': 'Mira', Owner: 'Darren', created: '2026-01-01' } }));
    assert.match(text, /Raised By: Mira/);
    assert.match(text, /Created: 2026\\-01\\-01/);
    assert.doesNotMatch(text, /raised-by/);
    assert.equal(text.match(/Owner:/g)?.length, 1, 'a known field is not repeated from the metadata');
  });
});

describe('project names', () => {
  it('defaults to the parent folder of sdlc-studio', () => {
    assert.equal(defaultProjectName('/home/me/homelab/sdlc-studio'), 'homelab');
    assert.equal(defaultProjectName('/home/me/docs'), 'docs');
  });

  it('appends " (2)" on a duplicate name or slug', () => {
    assert.equal(uniqueName('lens', ['Other']), 'lens');
    assert.equal(uniqueName('lens', ['Lens']), 'lens (2)');
    assert.equal(uniqueName('my proj', ['my-proj', 'my proj (2)']), 'my proj (3)');
  });

  it('validates names against the engine rules and existing projects', () => {
    const projects = [project()];
    assert.equal(validateProjectName('  ', projects), 'Enter a name.');
    assert.match(validateProjectName('!!!', projects) ?? '', /letter or digit/);
    assert.match(validateProjectName('LENS', projects) ?? '', /already exists/);
    assert.equal(validateProjectName('LENS', projects, 'lens'), undefined, 'renaming a project to itself');
    assert.equal(validateProjectName('Other', projects), undefined);
    assert.match(validateProjectName('x'.repeat(201), projects) ?? '', /200/);
  });
});

describe('detect', () => {
  it('finds sdlc-studio folders within the depth limit, skipping node_modules and hidden folders', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-detect-'));
    try {
      for (const d of ['sdlc-studio/stories', 'a/sdlc-studio', 'a/b/c/d/sdlc-studio', 'node_modules/x/sdlc-studio', '.hidden/sdlc-studio', 'a/b/sdlc-studio']) {
        fs.mkdirSync(path.join(root, d), { recursive: true });
      }
      const found = (await findSdlcFolders([root], 4)).map((f) => path.relative(root, f));
      assert.deepEqual(found, [path.join('a', 'b', 'sdlc-studio'), path.join('a', 'sdlc-studio'), 'sdlc-studio']);
      assert.ok(samePath(path.join(root, 'a', '..', 'sdlc-studio'), path.join(root, 'sdlc-studio')));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('auto-sync relevance', () => {
  const root = path.join(path.sep, 'w', 'sdlc-studio');
  it('reacts to markdown, config and folder changes, not to hidden tool state', () => {
    assert.equal(isRelevantChange(root, path.join(root, 'stories', 'US0001.md'), false), true);
    assert.equal(isRelevantChange(root, path.join(root, '.config.yaml'), false), true);
    assert.equal(isRelevantChange(root, path.join(root, 'stories'), true), true);
    assert.equal(isRelevantChange(root, root, true), true);
    assert.equal(isRelevantChange(root, path.join(root, '.local', 'state.md'), false), false);
    assert.equal(isRelevantChange(root, path.join(root, 'stories', 'notes.txt'), false), false);
    assert.equal(isRelevantChange(root, path.join(path.sep, 'w', 'other.md'), false), false);
  });

  it('follows core\'s file rule: hidden .md files count, _index.md, .markdown and skipped folders do not', () => {
    assert.equal(isRelevantChange(root, path.join(root, 'stories', '.draft.md'), false), true);
    assert.equal(isRelevantChange(root, path.join(root, 'stories', 'README.MD'), false), true);
    assert.equal(isRelevantChange(root, path.join(root, 'stories', '_index.md'), false), false);
    assert.equal(isRelevantChange(root, path.join(root, 'stories', 'US0002.markdown'), false), false);
    assert.equal(isRelevantChange(root, path.join(root, 'node_modules', 'x.md'), false), false);
    assert.equal(isRelevantChange(root, path.join(root, '.git'), true), false);
    assert.equal(isRelevantChange(root, path.join(root, '.version'), false), true);
  });
});
