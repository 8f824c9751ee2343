import assert from 'node:assert/strict';
import { displayId, extractRefId, idHead, normId } from '../../../src/core/parse';

describe('parse/ids (documents.md §5)', () => {
  describe('idHead', () => {
    const cases: [string, string | null][] = [
      ['US-01KXCB7V-make-x', 'US-01KXCB7V'],
      ['us0001-x', 'us0001'],
      ['audit-matrix', null],
      ['0001-framework', null],
      ['EP-overview', null],
      // §5.2 id forms
      ['US0001', 'US0001'],
      ['EP0012', 'EP0012'],
      ['CR-0003', 'CR-0003'],
      ['RETRO0001', 'RETRO0001'],
      ['US00012', 'US00012'],
      ['BG-01KX8B82', 'BG-01KX8B82'],
      ['US-01KXCB7V', 'US-01KXCB7V'],
      ['EP-01KXCCA4', 'EP-01KXCCA4'],
      // ULID alternative tried first
      ['BG-01234567', 'BG-01234567'],
      ['BG-01234567-x', 'BG-01234567'],
      // digit requirement
      ['PL-answered', null],
      ['TS-standby', null],
      // ULID needs the hyphen and 8+ chars; sequential needs 4+ digits
      ['US01KXCB7V', null],
      ['US-01KX', null],
      ['US123', null],
      ['CR-0003-x', 'CR-0003'],
      ['RFC-01KXARHK-incremental', 'RFC-01KXARHK'],
      ['RV0001-repository-review', 'RV0001'],
      ['WF0001-register', 'WF0001'],
      ['PL0001-x', 'PL0001'],
      ['TS0001-x', 'TS0001'],
      // (for this project) the skill's issue, charter and handoff prefixes (§5.1)
      ['IS0001-x', 'IS0001'],
      ['SC0001-run-3', 'SC0001'],
      ['HO-01KXCB7V-handoff', 'HO-01KXCB7V'],
      ['is0002', 'is0002'],
      // unknown prefixes
      ['LL0009', null],
      ['ABCDEFG0001', null],
      // Crockford excludes I, L, O, U
      ['US-1ABCDEFI', null],
      ['US-1ABCDEFL-x', null],
      ['US-1ABCDEFGH', 'US-1ABCDEFGH'],
      // …but the sequential alternative still reads the digits
      ['US-0000000I', 'US-0000000'],
      ['  US0042: Export  ', 'US0042'],
      ['', null],
    ];
    for (const [input, expected] of cases) {
      it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => assert.equal(idHead(input), expected));
    }
  });

  describe('normId', () => {
    const cases: [string | null | undefined, string | null][] = [
      ['CR-0003', 'CR0003'],
      ['[[CR-0496]]', 'CR0496'],
      ['US-01JQK3F8', 'US01JQK3F8'],
      ['us-01kxcb7v', 'US01KXCB7V'],
      ['---', null],
      ['', null],
      [null, null],
      [undefined, null],
    ];
    for (const [input, expected] of cases) {
      it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => assert.equal(normId(input), expected));
    }
  });

  describe('extractRefId', () => {
    const cases: [string | null | undefined, string | null][] = [
      ['[EP0007: Title](../epics/EP0007-x.md)', 'EP0007'],
      ['US0163: Container status', 'US0163'],
      ['[[CR-0496]]', 'CR-0496'],
      ['ep0007', null],
      ['US01KXCB7V', null],
      ['EP-01KXCCA4', 'EP-01KXCCA4'],
      ['-', null],
      ['--', null],
      ['—', null],
      ['–', null],
      ['  ', null],
      ['', null],
      [null, null],
      [undefined, null],
      ['Platform work', null],
      ['[No ID](path)', null],
      ['see RETRO0004 and US0001', 'RETRO0004'],
      ['RFC-01KXARHK', 'RFC-01KXARHK'],
      ['xUS0001', null],
      ['éUS0001', null],
      ['(US0001)', 'US0001'],
      ['PL-answered', null],
      // (for this project) IS, SC and HO are extracted too; uppercase only, Unicode word boundary
      ['[IS0003: Flaky sync](../issues/IS0003-flaky.md)', 'IS0003'],
      ['charter SC-01KXCB7V', 'SC-01KXCB7V'],
      ['HO0012', 'HO0012'],
      ['is0003', null],
      ['THIS0001', null],
      ['LL0009', null],
    ];
    for (const [input, expected] of cases) {
      it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => assert.equal(extractRefId(input), expected));
    }
    it('stored reference = normId(extractRefId(v))', () => {
      assert.equal(normId(extractRefId('EP-01KXCCA4')), 'EP01KXCCA4');
    });
  });

  describe('displayId', () => {
    it('uses idHead and never splits on the first hyphen (BG-01KX95CR)', () => {
      assert.equal(displayId('BG-01KX95CR-documentview-breadcrumb'), 'BG-01KX95CR');
      assert.equal(displayId('US0001-register-new-project'), 'US0001');
      assert.equal(displayId('prd'), 'prd');
      assert.equal(displayId('EP-overview'), 'EP-overview');
    });
  });
});
