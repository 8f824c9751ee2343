// Fault injection on every store write path (issue 17): a layer under the store's file calls
// (store/fsio.ts) writes short, or fails with ENOSPC (every later write fails too: the disk is
// full) or EIO (every later call fails: the disk is gone) at byte N of what an operation writes —
// the change-log append, the registrations file, the image fold and the new log after it. After
// each fault: a reopen by a fresh engine and a full comparison of every stored row with the state
// before and after the operation (taken from a run without faults). Nothing in between is allowed.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { realStoreFs, setStoreFs, type StoreFs } from '../../../src/core/store/fsio';
import { readSnapshot } from '../../../src/core/store/image';
import { readRegistry, REGISTRY_FILE } from '../../../src/core/store/registry';
import type { Engine } from '../../../src/core/engine';
import { makeRng } from '../reliability/rng';
import { registerAndSync, Sandbox } from '../engine/helpers';

let sql: Promise<SqlJsStatic> | undefined;
const SQL = (): Promise<SqlJsStatic> =>
  (sql ??= initSqlJs({ wasmBinary: fs.readFileSync(require.resolve('sql.js/dist/sql-wasm.wasm')) as unknown as ArrayBuffer }));

type Mode = 'count' | 'short' | 'ENOSPC' | 'EIO';

const errno = (code: string): Error => Object.assign(new Error(`${code}: injected`), { code });

/** Counts the bytes written; from byte `at` on, fails the way `mode` says. */
class FaultLayer implements StoreFs {
  written = 0;
  failed = false;
  constructor(
    private readonly mode: Mode,
    private readonly at = Infinity,
  ) {}

  private dead(): void {
    if (this.failed && this.mode === 'EIO') throw errno('EIO');
  }

  openSync(file: string, flags: string): number {
    this.dead();
    return realStoreFs.openSync(file, flags);
  }
  /** How much of a `length`-byte write goes through (throws once byte N is reached). */
  private allowed(length: number): number {
    this.dead();
    let n = length;
    if (this.mode === 'short') n = Math.min(length, 1 + (this.written % 7));
    else if (this.mode !== 'count' && this.written + length > this.at) {
      n = this.at - this.written; // a short write up to byte N, then the failure
      if (n <= 0) {
        this.failed = true;
        throw errno(this.mode);
      }
    }
    return n;
  }
  writeSync(fd: number, data: Uint8Array, offset: number, length: number, position: number | null): number {
    const w = realStoreFs.writeSync(fd, data, offset, this.allowed(length), position);
    this.written += w;
    return w;
  }
  async write(fd: number, data: Uint8Array, offset: number, length: number, position: number | null): Promise<number> {
    const w = await realStoreFs.write(fd, data, offset, this.allowed(length), position);
    this.written += w;
    return w;
  }
  fsyncSync(fd: number): void {
    this.dead();
    realStoreFs.fsyncSync(fd);
  }
  async fsync(fd: number): Promise<void> {
    this.dead();
    await realStoreFs.fsync(fd);
  }
  closeSync(fd: number): void {
    realStoreFs.closeSync(fd); // a descriptor is always closed, even on a dead disk
  }
  ftruncateSync(fd: number, len: number): void {
    this.dead();
    realStoreFs.ftruncateSync(fd, len);
  }
  renameSync(from: string, to: string): void {
    this.dead();
    realStoreFs.renameSync(from, to);
  }
}

/** A time stamped by the operation itself (e.g. a registration's created_at): equal in every run. */
let opStarted = '';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * Every stored row of every table that holds data, as read from the files by plain sql.js (time
 * stamps written by the operation under test shown as `<now>`, so runs compare).
 */
async function dump(dbPath: string): Promise<string> {
  const { db } = readSnapshot(await SQL(), dbPath);
  try {
    const out: Record<string, unknown> = {};
    for (const t of ['projects', 'documents']) out[t] = db.exec(`SELECT * FROM ${t} ORDER BY id`)[0]?.values ?? [];
    return JSON.stringify(out, (_k, v: unknown) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('base64') : typeof v === 'string' && ISO.test(v) && v >= opStarted ? '<now>' : v,
    );
  } finally {
    db.close();
  }
}

interface Op {
  name: string;
  run(e: Engine, root: string): Promise<unknown>;
  /** true when the operation is in the stored state (so it is not redone) */
  done(e: Engine): boolean;
}

const OPS: Op[] = [
  {
    name: 'a change-log append (rename a project)',
    run: (e) => e.updateProject('base', { name: 'Renamed Base' }),
    done: (e) => e.getProject('base').name === 'Renamed Base',
  },
  {
    name: 'a registration (log append + the registrations file)',
    run: (e, root) => e.registerProject({ name: 'Second', sdlc_path: path.join(root, 'second') }),
    done: (e) => e.listProjects().some((p) => p.slug === 'second'),
  },
  {
    name: 'a fold (new image, fsync, rename, new log)',
    run: (e) => (e as unknown as { store: { checkpoint(): Promise<void> } }).store.checkpoint(),
    done: () => true,
  },
];

describe('store: fault injection at byte N of every write path', function () {
  this.timeout(600_000);
  let template: Sandbox;
  let templateFiles: Map<string, Buffer>;
  const figures: string[] = [];

  before(async () => {
    template = new Sandbox();
    const e = await template.engine();
    await registerAndSync(e, 'Base', template.corpus('base'));
    fs.mkdirSync(path.join(template.root, 'second'), { recursive: true });
    await e.close();
    opStarted = new Date().toISOString();
    templateFiles = new Map(fs.readdirSync(template.dataDir).map((f) => [f, fs.readFileSync(path.join(template.dataDir, f))]));
  });
  after(async () => {
    await template.dispose();
    if (process.env.LENS_FAULT_FIGURES) console.log(figures.join('\n'));
  });
  afterEach(() => setStoreFs(null));

  /** A sandbox whose data folder holds the template's files (its projects stay in the template). */
  function fromTemplate(): Sandbox {
    const sb = new Sandbox();
    fs.mkdirSync(sb.dataDir);
    for (const [f, b] of templateFiles) fs.writeFileSync(path.join(sb.dataDir, f), b);
    return sb;
  }

  for (const op of OPS) {
    it(`${op.name}: a short write loops; ENOSPC and EIO at byte N leave the previous state or the new one, whole`, async () => {
      // the oracle: the states before and after the operation, from a run without faults
      const control = fromTemplate();
      const before = await dump(control.dbPath);
      let e = await control.engine();
      const counter = new FaultLayer('count');
      setStoreFs(counter);
      await op.run(e, template.root);
      setStoreFs(null);
      await e.close();
      const after = await dump(control.dbPath);
      const total = counter.written;
      await control.dispose();
      assert.ok(total > 0, 'the operation writes');

      const rng = makeRng(17);
      const points = [...new Set([0, 1, 4, 8, 15, 16, 17, 100, Math.floor(total / 2), total - 1, ...Array.from({ length: 6 }, () => rng.int(total))])]
        .filter((n) => n < total)
        .sort((a, b) => a - b);
      const cases: [Mode, number][] = [['short', Infinity], ...points.flatMap((n) => [['ENOSPC', n], ['EIO', n]] as [Mode, number][])];
      let failures = 0;
      for (const [mode, at] of cases) {
        const sb = fromTemplate();
        try {
          e = await sb.engine();
          const layer = new FaultLayer(mode, at);
          setStoreFs(layer);
          let threw: unknown = null;
          await op.run(e, template.root).catch((x: unknown) => (threw = x));
          setStoreFs(null);
          if (threw) failures++;
          const label = `${mode} at byte ${at} of ${total}${threw ? ` (${(threw as Error).message})` : ''}`;
          if (mode === 'short') assert.equal(threw, null, label);
          // what a fresh process reads: exactly one of the two states, and the same as this process sees
          const stored = await dump(sb.dbPath);
          if (!threw) assert.ok(stored === after, `${label}: succeeded, so the new state is stored`);
          else assert.ok(stored === before || stored === after, `${label}: neither the previous nor the new state`);
          const fresh = await sb.engine();
          assert.deepEqual(fresh.warnings, [], label);
          assert.deepEqual(fresh.listProjects(), e.listProjects(), `${label}: memory never runs ahead of (or behind) disk`);
          const registry = readRegistry(path.join(sb.dataDir, REGISTRY_FILE));
          assert.ok(registry, `${label}: the registrations file is whole`);
          assert.ok(fs.readdirSync(sb.dataDir).every((f) => !f.includes('.tmp-')), `${label}: no temp file left`);
          await fresh.close();
          // the disk is back: the same process carries on, nothing wedged
          if (!op.done(e)) await op.run(e, template.root);
          await e.close();
          assert.ok((await dump(sb.dbPath)) === after, `${label}: redone once the disk is back`);
          const names = readRegistry(path.join(sb.dataDir, REGISTRY_FILE))!.map((p) => p.name).sort();
          assert.deepEqual(names, JSON.parse(after).projects.map((p: unknown[]) => p[2]).sort(), `${label}: registrations file caught up`);
        } finally {
          setStoreFs(null);
          await sb.dispose();
        }
      }
      figures.push(`${op.name}: ${total} bytes written; ${cases.length} faults, ${failures} failed the operation, 0 lost`);
    });
  }
});
