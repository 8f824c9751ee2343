// Every way opening the database can fail, classified (issue 17, RELIABILITY.md): damaged files are
// set aside and rebuilt with every registration; a newer schema or a log record this version
// cannot decode is refused with every byte left in place; a read that fails is an error, never a
// reset. Oracles: the bytes and listing of the data folder, the registrations as registered.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { encodeRecord, HEADER_BYTES } from '../../../src/core/store/changeLog';
import { readSnapshot } from '../../../src/core/store/image';
import { REGISTRY_FILE } from '../../../src/core/store/registry';
import { makeRng } from '../reliability/rng';
import { dbModify, rejectsWith, registerAndSync, Sandbox, SAMPLE_DOCS, syncNow } from '../engine/helpers';
import { SCHEMA_VERSION } from '../../../src/core/store/schema';

/** A schema this build does not know: what a newer SDLC Lens writes. */
const NEWER = SCHEMA_VERSION + 1;

let sql: Promise<SqlJsStatic> | undefined;
const SQL = (): Promise<SqlJsStatic> =>
  (sql ??= initSqlJs({ wasmBinary: fs.readFileSync(require.resolve('sql.js/dist/sql-wasm.wasm')) as unknown as ArrayBuffer }));

const crc32 = (b: Uint8Array): number => (zlib as unknown as { crc32(b: Uint8Array): number }).crc32(b) >>> 0;

/** Every file of the data folder and its bytes (the oracle of "left in place"). */
function folderBytes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir).sort()) out[f] = fs.readFileSync(path.join(dir, f)).toString('base64');
  return out;
}

/** The seq of the last committed change as stored. */
async function storedSeq(dbPath: string): Promise<number> {
  const snap = readSnapshot(await SQL(), dbPath);
  snap.db.close();
  return snap.seq;
}

/** A record with a valid checksum around an arbitrary payload. */
function rawRecord(seq: number, payload: Buffer): Buffer {
  const out = Buffer.alloc(16 + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeBigUInt64LE(BigInt(seq), 8);
  payload.copy(out, 16);
  out.writeUInt32LE(crc32(out.subarray(8)), 4);
  return out;
}

const REGISTERED = [
  { name: 'Alpha', slug: 'alpha' },
  { name: 'Beta Two', slug: 'beta-two' },
];

describe('store: every open failure classified', () => {
  let sb: Sandbox;
  beforeEach(() => (sb = new Sandbox()));
  afterEach(() => sb.dispose());

  /** Two registered, synced projects; closed (folded), so the image holds everything. */
  async function twoProjects(): Promise<Record<string, string>> {
    const e = await sb.engine();
    const paths: Record<string, string> = {};
    for (const p of REGISTERED) {
      paths[p.slug] = sb.corpus(p.slug);
      await registerAndSync(e, p.name, paths[p.slug]!);
    }
    await e.close();
    return paths;
  }

  it('the registrations file follows every registration change (register, rename, delete)', async () => {
    const e = await sb.engine();
    const file = path.join(sb.dataDir, REGISTRY_FILE);
    await e.registerProject({ name: 'One', sdlc_path: sb.corpus('one') });
    await e.registerProject({ name: 'Two', sdlc_path: sb.corpus('two') });
    await e.updateProject('one', { name: 'One Renamed' });
    await e.deleteProject('two');
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { format: number; projects: { slug: string; name: string }[] };
    assert.equal(saved.format, 1);
    assert.deepEqual(saved.projects.map((p) => [p.slug, p.name]), [['one', 'One Renamed']]);
    await e.close();
  });

  it('a database from before the registrations file gets one when opened', async () => {
    await twoProjects();
    fs.rmSync(path.join(sb.dataDir, REGISTRY_FILE));
    const e = await sb.engine();
    const saved = JSON.parse(fs.readFileSync(path.join(sb.dataDir, REGISTRY_FILE), 'utf8')) as { projects: { slug: string }[] };
    assert.deepEqual(saved.projects.map((p) => p.slug), ['alpha', 'beta-two']);
    await e.close();
  });

  it('a file that is not SQLite: set aside, the projects are listed again, a sync rebuilds their documents', async () => {
    const paths = await twoProjects();
    const garbage = Buffer.from('not a database '.repeat(500));
    fs.writeFileSync(sb.dbPath, garbage);
    const e = await sb.engine();
    assert.match(e.warnings[0] ?? '', /not an SQLite database.*\(kept\).*registered projects/);
    assert.deepEqual(
      e.listProjects().map((p) => [p.slug, p.name, p.sdlc_path, p.sync_status]),
      REGISTERED.map((p) => [p.slug, p.name, paths[p.slug], 'never_synced']),
    );
    for (const p of REGISTERED) assert.equal((await syncNow(e, p.slug)).added, SAMPLE_DOCS);
    const aside = fs.readdirSync(sb.dataDir).filter((f) => /^sdlc-lens\.db\.corrupt-[^.]+Z$/.test(f));
    assert.equal(aside.length, 1);
    assert.deepEqual(fs.readFileSync(path.join(sb.dataDir, aside[0]!)), garbage);
    await e.close();
  });

  it('a randomly damaged image (20 seeds): the projects are still listed and a sync rebuilds their documents', async function () {
    this.timeout(240_000);
    await twoProjects();
    const good = fs.readFileSync(sb.dbPath);
    const goodDir = folderBytes(sb.dataDir);
    const pageSize = good.readUInt16BE(16);
    const pages = good.length / pageSize;
    let setAside = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const rng = makeRng(seed);
      const rnd = (): number => rng.next();
      // restore the intact folder, then damage one page past the header page: zeros or random bytes
      for (const f of fs.readdirSync(sb.dataDir)) fs.rmSync(path.join(sb.dataDir, f), { recursive: true });
      for (const [f, b] of Object.entries(goodDir)) fs.writeFileSync(path.join(sb.dataDir, f), Buffer.from(b, 'base64'));
      const bad = Buffer.from(good);
      const page = 1 + Math.floor(rnd() * (pages - 1));
      for (let i = 0; i < pageSize; i++) bad[page * pageSize + i] = seed % 2 ? 0 : Math.floor(rnd() * 256);
      fs.writeFileSync(sb.dbPath, bad);
      const e = await sb.engine();
      try {
        if (e.warnings.length > 0) setAside++;
        assert.deepEqual(e.listProjects().map((p) => p.slug), ['alpha', 'beta-two'], `seed ${seed}, page ${page}`);
        for (const p of REGISTERED) {
          const o = await syncNow(e, p.slug);
          assert.equal(o.sync_status, 'synced', `seed ${seed}: ${o.sync_error}`);
          assert.equal(e.getProject(p.slug).document_count, SAMPLE_DOCS, `seed ${seed}`);
        }
        assert.ok(e.search({ q: 'booking' }).total > 0, `seed ${seed}: search works`);
      } finally {
        await e.close();
      }
    }
    assert.ok(setAside >= 10, `most damaged pages are detected (${setAside} of 20)`);
    if (process.env.LENS_FAULT_FIGURES) console.log(`      damaged image: ${setAside} of 20 set aside and rebuilt, 20 of 20 listed, re-synced, searchable`);
  });

  it('a newer schema (a newer SDLC Lens): refused with DATABASE_TOO_NEW, every byte left in place', async () => {
    await twoProjects();
    await dbModify(sb.dbPath, (db) => db.exec(`PRAGMA user_version = ${NEWER}`));
    const before = folderBytes(sb.dataDir);
    await rejectsWith(sb.engine(), 'DATABASE_TOO_NEW', new RegExp(`has schema ${NEWER} \\(this version reads up to ${SCHEMA_VERSION}\\).*newer SDLC Lens\\. Update SDLC Lens`));
    await rejectsWith(sb.engine(), 'DATABASE_TOO_NEW'); // and again: nothing changed by the first refusal
    assert.deepEqual(folderBytes(sb.dataDir), before);
  });

  it('a newer SDLC Lens replaces the image under a running engine: every write refused with DATABASE_TOO_NEW, close folds nothing, every byte left in place', async () => {
    const paths = await twoProjects();
    const e = await sb.engine();
    fs.writeFileSync(path.join(paths.alpha!, 'prd.md'), '# PRD\n\n> **Status:** Draft\n\nchanged while the newer one runs\n');
    await dbModify(sb.dbPath, (db) => db.exec(`PRAGMA user_version = ${NEWER}`));
    const before = folderBytes(sb.dataDir);
    const tooNew = new RegExp(`has schema ${NEWER} \\(this version reads up to ${SCHEMA_VERSION}\\).*newer SDLC Lens\\. Update SDLC Lens`);
    await rejectsWith(e.catchUp(), 'DATABASE_TOO_NEW', tooNew);
    await rejectsWith(e.updateProject('alpha', { name: 'Renamed' }), 'DATABASE_TOO_NEW', tooNew);
    await rejectsWith(e.registerProject({ name: 'Gamma', sdlc_path: sb.corpus('gamma') }), 'DATABASE_TOO_NEW', tooNew);
    await rejectsWith(syncNow(e, 'alpha'), 'DATABASE_TOO_NEW', tooNew);
    // reads answer from the last state this version could read; nothing is left "syncing"
    assert.deepEqual(e.listProjects().map((p) => [p.slug, p.name, p.sync_status]), [['alpha', 'Alpha', 'synced'], ['beta-two', 'Beta Two', 'synced']]);
    await e.close();
    assert.deepEqual(folderBytes(sb.dataDir), before, 'every file of the data folder byte-identical');
  });

  it('a log record in a format this version does not know: DATABASE_TOO_NEW, nothing cut or moved', async () => {
    await twoProjects();
    const seq = await storedSeq(sb.dbPath);
    fs.appendFileSync(`${sb.dbPath}.log`, rawRecord(seq + 1, Buffer.from([0x03, 1, 2, 3, 4])));
    const before = folderBytes(sb.dataDir);
    await rejectsWith(sb.engine(), 'DATABASE_TOO_NEW', /record format 3.*Update SDLC Lens/);
    assert.deepEqual(folderBytes(sb.dataDir), before);
  });

  it('a log of a later format (header LENSLOG2): DATABASE_TOO_NEW, never replaced', async () => {
    await twoProjects();
    const log = fs.readFileSync(`${sb.dbPath}.log`);
    log.write('LENSLOG2', 0, 'latin1');
    fs.writeFileSync(`${sb.dbPath}.log`, log);
    const before = folderBytes(sb.dataDir);
    await rejectsWith(sb.engine(), 'DATABASE_TOO_NEW', /later log format/);
    assert.deepEqual(folderBytes(sb.dataDir), before);
  });

  for (const [what, damage] of [
    ['a valid checksum around a payload that does not decode', (seq: number) => rawRecord(seq, Buffer.from([0x02, 9, 9, 9]))],
    ['a record whose statement fails to replay', (seq: number) => encodeRecord(seq, [{ k: 'run', sql: 'INSERT INTO no_such_table VALUES (1)' }])],
    ['a gap in the sequence numbers', (seq: number) => encodeRecord(seq + 5, [{ k: 'run', sql: "UPDATE projects SET name = 'Gap' WHERE slug = 'alpha'" }])],
  ] as const) {
    it(`${what}: the whole log is set aside (not cut), the records before it and every registration kept`, async () => {
      await twoProjects();
      const e0 = await sb.engine();
      await e0.updateProject('alpha', { name: 'Alpha Before' }); // a record before the damage
      const seq = await storedSeq(sb.dbPath);
      fs.appendFileSync(`${sb.dbPath}.log`, damage(seq + 1));
      // a good-looking record after it: must not be applied past the damage
      fs.appendFileSync(`${sb.dbPath}.log`, encodeRecord(seq + 2, [{ k: 'run', sql: "UPDATE projects SET name = 'After' WHERE slug = 'beta-two'" }]));
      const log = fs.readFileSync(`${sb.dbPath}.log`);
      await e0.close().catch(() => undefined);
      const e = await sb.engine();
      assert.match(e.warnings[0] ?? '', /change log .*\(kept\).*registered projects/);
      assert.deepEqual(e.listProjects().map((p) => [p.slug, p.name, p.document_count]), [
        ['alpha', 'Alpha Before', SAMPLE_DOCS],
        ['beta-two', 'Beta Two', SAMPLE_DOCS],
      ]);
      const aside = fs.readdirSync(sb.dataDir).find((f) => f.endsWith('.log') && f.includes('.corrupt-'))!;
      assert.deepEqual(fs.readFileSync(path.join(sb.dataDir, aside)), log, 'the damaged log is kept whole');
      await e.close();
    });
  }

  it('a checksum failure with records after it is damage, not a torn tail: nothing is cut', async () => {
    await twoProjects();
    const e0 = await sb.engine();
    await e0.updateProject('alpha', { name: 'A1' });
    await e0.updateProject('alpha', { name: 'A2' });
    await e0.close();
    // close folded nothing (a small log): flip one byte inside the first of the two records
    const logFile = `${sb.dbPath}.log`;
    const log = fs.readFileSync(logFile);
    assert.ok(log.length > HEADER_BYTES + 40, 'two records in the log');
    log[HEADER_BYTES + 20] ^= 0xff;
    fs.writeFileSync(logFile, log);
    const e = await sb.engine();
    assert.match(e.warnings[0] ?? '', /damaged record .*checksum mismatch, records follow it/);
    const aside = fs.readdirSync(sb.dataDir).find((f) => f.endsWith('.log') && f.includes('.corrupt-'))!;
    assert.deepEqual(fs.readFileSync(path.join(sb.dataDir, aside)), log);
    assert.deepEqual(e.listProjects().map((p) => p.slug), ['alpha', 'beta-two']);
    await e.close();
  });

  it('a record that fails to replay in a running process: every later write fails clearly, reads work, nothing applied twice', async () => {
    await twoProjects();
    const e = await sb.engine();
    const seq = await storedSeq(sb.dbPath);
    // another process appends a good record, then one that cannot be replayed
    fs.appendFileSync(`${sb.dbPath}.log`, encodeRecord(seq + 1, [{ k: 'run', sql: "UPDATE projects SET name = name || '+' WHERE slug = 'alpha'" }]));
    fs.appendFileSync(`${sb.dbPath}.log`, encodeRecord(seq + 2, [{ k: 'run', sql: 'INSERT INTO no_such_table VALUES (1)' }]));
    const log = fs.readFileSync(`${sb.dbPath}.log`);
    for (let i = 0; i < 3; i++) {
      await rejectsWith(e.updateProject('beta-two', { name: `B${i}` }), 'DATABASE_UNAVAILABLE', /record \d+ could not be applied .*nothing was cut/);
    }
    assert.equal(e.getProject('alpha').name, 'Alpha+', 'the good record applied exactly once');
    assert.deepEqual(fs.readFileSync(`${sb.dbPath}.log`), log, 'nothing cut');
    await e.close();
  });

  it('an image that cannot be read (a folder in its place): DATABASE_UNAVAILABLE, nothing moved or reset', async () => {
    await twoProjects();
    fs.renameSync(sb.dbPath, `${sb.dbPath}.real`);
    fs.mkdirSync(sb.dbPath);
    const before = fs.readdirSync(sb.dataDir).sort();
    await rejectsWith(sb.engine(), 'DATABASE_UNAVAILABLE', /could not be read \(EISDIR.*Nothing was changed or reset/);
    assert.deepEqual(fs.readdirSync(sb.dataDir).sort(), before);
    fs.rmdirSync(sb.dbPath);
    fs.renameSync(`${sb.dbPath}.real`, sb.dbPath);
    const e = await sb.engine(); // the cause gone, the same data opens
    assert.deepEqual(e.listProjects().map((p) => p.document_count), [SAMPLE_DOCS, SAMPLE_DOCS]);
    await e.close();
  });
});
