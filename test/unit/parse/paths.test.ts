import assert from 'node:assert/strict';
import { classifyPath, isCandidateFileName, isSkippedDirName } from '../../../src/core/parse';

describe('parse/paths (documents.md §2, §5.4)', () => {
  describe('classifyPath — every row of the §5.4 table', () => {
    const rows: [string, string, string][] = [
      ['epics/EP0001-project-management.md', 'epic', 'EP0001-project-management'],
      ['stories/EP0001.md', 'epic', 'EP0001'],
      ['change-requests/CR-0003-x.md', 'cr', 'CR-0003-x'],
      ['bugs/BG-01KX8B82-path-traversal.md', 'bug', 'BG-01KX8B82-path-traversal'],
      ['epics/archive/EP0001-old.md', 'epic', 'EP0001-old'],
      ['epics/EP-overview.md', 'epic', 'EP-overview'],
      ['PRD.md', 'prd', 'prd'],
      ['brand-guide.md', 'brand-guide', 'brand-guide'],
      ['personas/seats/elena.md', 'persona', 'elena'],
      ['reviews/critic-verdicts.md', 'review', 'critic-verdicts'],
      // (for this project) record folders beat the id prefix; the original typed these bug / epic
      ['decisions/BG0074.md', 'decision', 'BG0074'],
      ['reviews/EP0004-remediation-review.md', 'review', 'EP0004-remediation-review'],
      ['decisions/0001-framework.md', 'decision', '0001-framework'],
      // (for this project) issue and charter; the original typed these other
      ['issues/IS0001-x.md', 'issue', 'IS0001-x'],
      ['charters/SC0001-run-3.md', 'charter', 'SC0001-run-3'],
      ['readme.md', 'other', 'readme'],
    ];
    for (const [path, docType, docId] of rows) {
      it(`${path} → ${docType} / ${docId}`, () => assert.deepEqual(classifyPath(path), { docType, docId }));
    }
  });

  describe('classifyPath — further rules', () => {
    it('_index.md is not a document, at any depth', () => {
      assert.equal(classifyPath('_index.md'), null);
      assert.equal(classifyPath('stories/_index.md'), null);
    });
    it('empty file name → null', () => assert.equal(classifyPath('stories/'), null));
    it('singletons at any depth, lowercased', () => {
      assert.deepEqual(classifyPath('docs/old/TRD.md'), { docType: 'trd', docId: 'trd' });
      assert.deepEqual(classifyPath('Personas.md'), { docType: 'personas', docId: 'personas' });
      assert.deepEqual(classifyPath('decisions.md'), { docType: 'decisions', docId: 'decisions' });
      assert.deepEqual(classifyPath('constitution.md'), { docType: 'constitution', docId: 'constitution' });
      assert.deepEqual(classifyPath('tsd.md'), { docType: 'tsd', docId: 'tsd' });
      assert.deepEqual(classifyPath('pvd.md'), { docType: 'pvd', docId: 'pvd' });
    });
    it('outermost type folder wins', () => {
      assert.deepEqual(classifyPath('epics/stories/notes.md'), { docType: 'epic', docId: 'notes' });
      assert.deepEqual(classifyPath('x/bugs/plans/n.md'), { docType: 'bug', docId: 'n' });
    });
    it('product/ → pvd, workflows/ → workflow, rfcs/ → rfc, retros/ → retro', () => {
      assert.deepEqual(classifyPath('product/vision.md'), { docType: 'pvd', docId: 'vision' });
      assert.deepEqual(classifyPath('workflows/state.md'), { docType: 'workflow', docId: 'state' });
      assert.deepEqual(classifyPath('rfcs/idea.md'), { docType: 'rfc', docId: 'idea' });
      assert.deepEqual(classifyPath('retros/x.md'), { docType: 'retro', docId: 'x' });
      assert.deepEqual(classifyPath('test-specs/x.md'), { docType: 'test-spec', docId: 'x' });
      assert.deepEqual(classifyPath('plans/x.md'), { docType: 'plan', docId: 'x' });
    });
    it('prefix types: RETRO, RV, WF, PL, TS, US, RFC (lowercase prefix too)', () => {
      assert.deepEqual(classifyPath('RETRO0001-a.md'), { docType: 'retro', docId: 'RETRO0001-a' });
      assert.deepEqual(classifyPath('x/RV0002-b.md'), { docType: 'review', docId: 'RV0002-b' });
      assert.deepEqual(classifyPath('WF0001.md'), { docType: 'workflow', docId: 'WF0001' });
      assert.deepEqual(classifyPath('PL0001-x.md'), { docType: 'plan', docId: 'PL0001-x' });
      assert.deepEqual(classifyPath('TS0001-x.md'), { docType: 'test-spec', docId: 'TS0001-x' });
      assert.deepEqual(classifyPath('us0001-x.md'), { docType: 'story', docId: 'us0001-x' });
      assert.deepEqual(classifyPath('RFC-01KXARHK-x.md'), { docType: 'rfc', docId: 'RFC-01KXARHK-x' });
    });
    it('hidden files are documents; stem drops only the last extension', () => {
      assert.deepEqual(classifyPath('stories/.draft.md'), { docType: 'story', docId: '.draft' });
      assert.deepEqual(classifyPath('stories/a.b.md'), { docType: 'story', docId: 'a.b' });
      assert.deepEqual(classifyPath('stories/US0001-x.MD'), { docType: 'story', docId: 'US0001-x' });
    });
    it('ULID hyphenated words are not ids (folder decides)', () => {
      assert.deepEqual(classifyPath('plans/PL-answered.md'), { docType: 'plan', docId: 'PL-answered' });
      assert.deepEqual(classifyPath('notes/TS-standby.md'), { docType: 'other', docId: 'TS-standby' });
    });
  });

  describe('isSkippedDirName', () => {
    for (const n of ['.local', '.git', '.venv', '.hg', '.svn', '.tox', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.eggs', '.anything', '__pycache__', 'node_modules', 'dist', 'build']) {
      it(`skips ${n}`, () => assert.equal(isSkippedDirName(n), true));
    }
    for (const n of ['stories', 'archive', 'Build', 'dist2', 'seats', '_archive']) {
      it(`walks ${n}`, () => assert.equal(isSkippedDirName(n), false));
    }
  });

  describe('isCandidateFileName', () => {
    for (const n of ['US0001-x.md', 'prd.md', '.draft.md', 'README.MD', 'notes.Md', '_Index.md', 'x_index.md']) {
      it(`includes ${n}`, () => assert.equal(isCandidateFileName(n), true));
    }
    for (const n of ['_index.md', '.config.yaml', '.version', 'notes.txt', 'md', 'x.markdown', 'x.md.bak']) {
      it(`excludes ${n}`, () => assert.equal(isCandidateFileName(n), false));
    }
  });
});
