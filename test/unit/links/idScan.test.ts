// The id scanner behind the editor's links and the engine's references: both id forms
// (documents.md §5.2), extractRefId's rule (§5.3), exact offsets, line/column mapping.
import assert from 'node:assert/strict';
import { LineIndex, scanIds, writtenForms } from '../../../src/core/idScan';
import { extractRefId, normId } from '../../../src/core/parse/ids';

const found = (text: string) => scanIds(text).map((m) => [m.text, m.ref, text.slice(m.start, m.end)]);

describe('id scanner (documents.md §5)', () => {
  it('finds sequential and short-ULID ids, with and without the hyphen, at their exact offsets', () => {
    const text = 'See US0001, CR-0003 and EP-01KXCCA4; also RETRO0002 (RFC-0012) and BG-01KX8B82.';
    assert.deepEqual(found(text), [
      ['US0001', 'US0001', 'US0001'],
      ['CR-0003', 'CR0003', 'CR-0003'],
      ['EP-01KXCCA4', 'EP01KXCCA4', 'EP-01KXCCA4'],
      ['RETRO0002', 'RETRO0002', 'RETRO0002'],
      ['RFC-0012', 'RFC0012', 'RFC-0012'],
      ['BG-01KX8B82', 'BG01KX8B82', 'BG-01KX8B82'],
    ]);
  });

  it('finds ids inside markdown links, wiki links and file names', () => {
    const text = '> **Epic:** [EP0007: Title](../epics/EP0007-x.md) and [[CR-0496]]';
    assert.deepEqual(
      found(text).map((f) => f[0]),
      ['EP0007', 'EP0007', 'CR-0496'],
    );
  });

  it('skips what is not an id: lowercase prefixes, ids inside words, hyphenated words, ULIDs without hyphen, unknown prefixes', () => {
    for (const text of ['us0001', 'XUS0001', 'US0001a', 'PL-answered', 'TS-standby', 'US01KXCB7V', 'ZZ0001', 'US001', '_US0001', 'EP-overview']) {
      assert.deepEqual(found(text), [], text);
    }
  });

  it('agrees with extractRefId on the first id of every reference value', () => {
    for (const v of ['[EP0007: Title](../epics/EP0007-x.md)', 'US0163: Container status', '[[CR-0496]]', 'EP-01KXCCA4', 'BG-01234567 x', 'x US00012']) {
      const first = scanIds(v)[0];
      assert.equal(first?.text, extractRefId(v) ?? undefined, v);
      assert.equal(first?.ref, normId(extractRefId(v)) ?? undefined, v);
    }
  });

  it('takes every digit of a long sequential id (US00012 is not US0001)', () => {
    assert.deepEqual(found('US00012'), [['US00012', 'US00012', 'US00012']]);
  });

  it('scans a large hostile text in one pass with the right count', () => {
    const unit = 'US-EPEPEPEPEPEPEPEPEPEP US0001 CR-';
    const text = unit.repeat(20_000);
    const ids = scanIds(text);
    assert.equal(ids.length, 20_000);
    assert.ok(ids.every((m) => m.ref === 'US0001'));
  });

  it('writtenForms gives both spellings of a normalised id', () => {
    assert.deepEqual(writtenForms('CR0003'), ['CR0003', 'CR-0003']);
    assert.deepEqual(writtenForms('EP01KXCCA4'), ['EP01KXCCA4', 'EP-01KXCCA4']);
    assert.deepEqual(writtenForms('RETRO0001'), ['RETRO0001', 'RETRO-0001']);
  });

  it('LineIndex maps offsets to zero-based lines and characters', () => {
    const text = 'a\nbc US0001\n\nUS0002';
    const lines = new LineIndex(text);
    const [a, b] = scanIds(text);
    assert.deepEqual(lines.position(a!.start), { line: 1, character: 3 });
    assert.deepEqual(lines.position(b!.start), { line: 3, character: 0 });
    assert.deepEqual(lines.position(0), { line: 0, character: 0 });
  });
});
