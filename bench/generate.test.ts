// The synthetic corpus: deterministic, the real layout, and every generated document is one the
// engine ingests (a real sync into a real database file). Run: npx mocha bench/generate.test.ts
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../src/core/engine';
import { TYPES } from './corpus/profile';
import { generateCorpus } from './generate';

function digest(root: string): string {
  const h = createHash('sha256');
  for (const f of (fs.readdirSync(root, { recursive: true }) as string[]).sort()) {
    const p = path.join(root, f);
    if (fs.statSync(p).isFile()) h.update(f).update('\0').update(fs.readFileSync(p));
  }
  return h.digest('hex');
}

describe('bench/generate: synthetic sdlc-studio corpus', () => {
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-gen-test-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('gives byte-identical files for the same (documents, seed) and different ones for another seed', () => {
    const a = generateCorpus(path.join(tmp, 'a'), { documents: 400, seed: 7 });
    const b = generateCorpus(path.join(tmp, 'b'), { documents: 400, seed: 7 });
    const c = generateCorpus(path.join(tmp, 'c'), { documents: 400, seed: 8 });
    assert.equal(digest(a.root), digest(b.root));
    assert.notEqual(digest(a.root), digest(c.root));
    assert.equal(a.documents, 400);
  });

  it('has every type folder, the singletons, both id forms, _index.md, archive/ and .config.yaml', () => {
    const c = generateCorpus(path.join(tmp, 's'), { documents: 2000, seed: 1 });
    for (const t of TYPES) assert.ok(fs.existsSync(path.join(c.root, t.folder)), t.folder);
    for (const s of ['prd.md', 'trd.md', 'tsd.md', 'personas.md', '.config.yaml', 'stories/_index.md']) assert.ok(fs.existsSync(path.join(c.root, s)), s);
    assert.ok(c.files.some((f) => /^stories\/US\d{4}-/.test(f)));
    assert.ok(c.files.some((f) => /^stories\/US-01K[0-9A-HJKMNP-TV-Z]{5}-/.test(f)));
    assert.ok(c.files.some((f) => f.includes('/archive/')));
    assert.ok(c.files.some((f) => /^decisions\/BG\d{4}\.md$/.test(f)), 'a decision ledger named after a bug');
    const withComment = c.files.filter((f) => fs.readFileSync(path.join(c.root, f), 'utf8').startsWith('<!--'));
    assert.ok(withComment.length > 100, 'template comments above titles');
  });

  it('refuses a folder that is not empty', () => {
    fs.writeFileSync(path.join(tmp, 'x.md'), '# x\n');
    assert.throws(() => generateCorpus(tmp, { documents: 10 }), /not empty/);
  });

  it('is ingested document for document by a real sync', async () => {
    const c = generateCorpus(path.join(tmp, 'sdlc-studio'), { documents: 300, seed: 3 });
    const engine = await Engine.open({ dataDir: path.join(tmp, 'data') });
    try {
      const p = await engine.registerProject({ name: 'Gen', sdlc_path: c.root });
      const o = await (await engine.startSync(p.slug)).done;
      assert.equal(o.sync_status, 'synced');
      assert.equal(o.document_count, 300);
      const stored = await engine.exportDocuments(p.slug);
      assert.deepEqual(stored.map((d) => d.file_path).sort(), [...c.files].sort());
      const story = stored.find((d) => d.type === 'story' && d.epic);
      assert.ok(story, 'stories carry their epic reference');
    } finally {
      await engine.close();
    }
  });
});
