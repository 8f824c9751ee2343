// Small helpers for the reliability tests, independent of the engine tests' helpers: writable
// copies of the shipped sample project, direct sql.js reads of the database file, engines over
// temp data folders with their log lines captured.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine, type EngineOptions } from '../../../src/core/engine';
import type { Logger } from '../../../src/core/types';
import { SAMPLE, SAMPLE_DOCS } from '../../support/corpora';

export { SAMPLE, SAMPLE_DOCS };
export const NOBODY = { uid: 65534, gid: 65534 };

/** Makes every folder 0755 and every file 0644 below `dir`. */
export function makeWritable(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    if (e.isDirectory()) makeWritable(p);
    else fs.chmodSync(p, 0o644);
  }
}

// The database as stored (image + change log), read and modified without an engine: the engine
// tests' definitions, so the storage format is known in one place.
export { dbModify, dbRows } from '../engine/helpers';

/** A temp root with a data folder, engines opened over it and every log line they wrote. */
export class Lab {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-rel-'));
  readonly dataDir = path.join(this.root, 'data');
  readonly logged: { level: string; message: string }[] = [];
  private readonly engines: Engine[] = [];

  /** A writable copy of the sample project at <root>/<name>/sdlc-studio. */
  sample(name: string): string {
    const dest = path.join(this.root, name, 'sdlc-studio');
    fs.cpSync(SAMPLE, dest, { recursive: true });
    makeWritable(dest);
    return dest;
  }

  private readonly waiters: { re: RegExp; resolve: () => void }[] = [];

  logger(): Logger {
    const log = (level: string) => (message: string) => {
      this.logged.push({ level, message });
      for (const w of this.waiters.filter((x) => x.re.test(message))) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    };
    return { info: log('info'), warn: log('warn'), error: log('error') };
  }

  /** Resolves when a log line matching `re` has been written (at once if one already was). */
  whenLogged(re: RegExp): Promise<void> {
    if (this.logged.some((l) => re.test(l.message))) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ re, resolve }));
  }

  async engine(opts: Partial<EngineOptions> = {}): Promise<Engine> {
    const e = await Engine.open({ dataDir: this.dataDir, logger: this.logger(), ...opts });
    this.engines.push(e);
    return e;
  }

  get dbPath(): string {
    return path.join(this.dataDir, 'sdlc-lens.db');
  }

  async dispose(): Promise<void> {
    for (const e of this.engines.splice(0)) await e.close();
    for (const dir of walkDirs(this.root)) fs.chmodSync(dir, 0o755);
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

function walkDirs(dir: string): string[] {
  const out = [dir];
  try {
    fs.chmodSync(dir, 0o755);
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) out.push(...walkDirs(path.join(dir, e.name)));
  } catch {
    // gone or not ours
  }
  return out;
}
