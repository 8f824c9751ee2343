// imageSum.ts: a process skips the start-up page check only for the exact bytes a fold wrote (or a
// passing check saw); any other image (damaged, replaced, no record) is page-checked as before.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { imageSumMatches, sumFileOf } from '../../../src/core/store/imageSum';
import { bigCorpus, foldNow, registerAndSync, Sandbox } from '../engine/helpers';

describe('store: the image checksum that spares a new process the page check (issue 18)', () => {
  let sb: Sandbox;
  beforeEach(() => (sb = new Sandbox()));
  afterEach(() => sb.dispose());

  it('a fold records the image it wrote; a changed byte, a truncation or a missing record does not match', async () => {
    const e = await sb.engine();
    await registerAndSync(e, 'Sum', sb.corpus('sum'));
    await e.close();
    const image = fs.readFileSync(sb.dbPath);
    assert.equal(imageSumMatches(sb.dbPath, image), true, 'the record names the image on disk');
    const flipped = Buffer.from(image);
    flipped[Math.floor(flipped.length / 2)] ^= 0x01;
    assert.equal(imageSumMatches(sb.dbPath, flipped), false, 'one bit changed');
    assert.equal(imageSumMatches(sb.dbPath, image.subarray(0, image.length - 4096)), false, 'a page cut off');
    fs.rmSync(sumFileOf(sb.dbPath));
    assert.equal(imageSumMatches(sb.dbPath, image), false, 'no record');
  });

  it('a new process whose image is the very file the record names (unwritten since) does not read it whole; one written since is read and checked', async () => {
    // bytes this process reads through read(2), all files (Linux: /proc/self/io rchar)
    const readBytes = () => Number(/rchar: (\d+)/.exec(fs.readFileSync('/proc/self/io', 'utf8'))![1]);
    const e = await sb.engine();
    await registerAndSync(e, 'Sum', bigCorpus(sb, 'sum', 30));
    await foldNow(e); // everything in the image, the log empty
    await e.close();
    const size = fs.statSync(sb.dbPath).size;
    assert.ok(size > 2 ** 20, `image ${size} bytes`);
    assert.match(fs.readFileSync(sumFileOf(sb.dbPath), 'utf8'), /^\d+ \d+ \d+:\d+:\d+:\d+\n$/, 'the record names the file');
    let before = readBytes();
    const same = await sb.engine();
    const untouched = readBytes() - before;
    assert.equal(same.listProjects().length, 1);
    await same.close();
    assert.ok(untouched < size / 4, `read ${untouched} of ${size} bytes opening the file the record names`);
    // written since (same bytes, but the file was rewritten): read whole for its checksum, still trusted
    fs.writeFileSync(sb.dbPath, fs.readFileSync(sb.dbPath));
    before = readBytes();
    const rewritten = await sb.engine();
    const read = readBytes() - before;
    assert.equal(rewritten.listProjects().length, 1);
    assert.equal(rewritten.warnings.length, 0, rewritten.warnings.join('\n'));
    await rewritten.close();
    assert.ok(read >= size, `read ${read} of ${size} bytes opening a rewritten file`);
  });

  it('a damaged image whose record is stale is still found damaged (page-checked) and set aside', async () => {
    const e = await sb.engine();
    await registerAndSync(e, 'Sum', sb.corpus('sum'));
    await e.close();
    const image = fs.readFileSync(sb.dbPath);
    // damage four whole pages in the middle (not the header): only the page check can tell
    const pageSize = image.readUInt16BE(16) === 1 ? 65536 : image.readUInt16BE(16);
    const page = Math.floor(image.length / pageSize / 2);
    image.fill(0xa5, page * pageSize, (page + 4) * pageSize);
    fs.writeFileSync(sb.dbPath, image);
    const reopened = await sb.engine();
    assert.ok(fs.readdirSync(sb.dataDir).some((f) => f.includes('.corrupt-')), `set aside: ${fs.readdirSync(sb.dataDir).join(', ')}`);
    assert.ok(reopened.warnings.some((w) => /integrity check|damaged/.test(w)), reopened.warnings.join('\n'));
  });
});
