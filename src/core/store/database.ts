// The sql.js database image on disk: loaded at start, written atomically after each batch of
// changes, shared safely between processes through a lock file and a generation check.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Database as SqlDatabase, SqlJsStatic, SqlValue } from 'sql.js';
import { acquireLock } from './filelock';
import { migrate, SCHEMA_VERSION, schemaVersionOf, hasFtsTable, rebuildFts } from './schema';
import { loadSqlJs } from './sqljs';
import type { Logger } from '../types';

export const DB_FILE = 'sdlc-lens.db';

type Row = Record<string, SqlValue>;

/** Identity of the file's current image: a rename gives a new inode, so any writer changes it. */
function generationOf(file: string): string | null {
  try {
    const st = fs.statSync(file);
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return null;
  }
}

/**
 * Creates the data folder and its missing parents one level at a time. Node's recursive mkdir can
 * spin forever on some paths (e.g. under /proc); this fails with the folder's name instead.
 */
async function ensureDir(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      if ((await fs.promises.stat(d)).isDirectory()) break;
      throw new Error(`${d} is not a folder`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(d) === d) {
        throw new Error(`cannot use the data folder ${dir}: ${(e as Error).message}`);
      }
      missing.unshift(d);
    }
  }
  for (const d of missing) {
    try {
      await fs.promises.mkdir(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new Error(`cannot create the data folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
  }
}

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

export class Store {
  private db: SqlDatabase | null = null;
  private generation: string | null = null;
  /** Serialises this process's writers so the lock file is taken once at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  readonly warnings: string[] = [];

  private constructor(
    private readonly SQL: SqlJsStatic,
    readonly file: string,
    private readonly logger: Logger,
  ) {}

  static async open(dataDir: string, logger: Logger, wasmPath?: string): Promise<Store> {
    const SQL = await loadSqlJs(wasmPath);
    await ensureDir(dataDir);
    const store = new Store(SQL, path.join(dataDir, DB_FILE), logger);
    await store.withLock(async () => {
      store.loadFromDisk(true);
      if (store.db && schemaVersionOf(store.db) === SCHEMA_VERSION && hasFtsTable(store.db)) return;
      // Fresh, older or index-less image: migrate (or repair) and write it back.
      store.transaction((db) => {
        migrate(db);
        if (!hasFtsTable(db)) rebuildFts(db);
      });
      store.persist();
    });
    return store;
  }

  get isOpen(): boolean {
    return this.db !== null;
  }

  /** The live connection. Throws when closed. */
  get connection(): SqlDatabase {
    if (!this.db) throw new Error('database is closed');
    return this.db;
  }

  all(sql: string, params: SqlValue[] = []): Row[] {
    const stmt = this.connection.prepare(sql);
    try {
      stmt.bind(params);
      const rows: Row[] = [];
      while (stmt.step()) rows.push(stmt.getAsObject());
      return rows;
    } finally {
      stmt.free();
    }
  }

  get(sql: string, params: SqlValue[] = []): Row | undefined {
    return this.all(sql, params)[0];
  }

  run(sql: string, params: SqlValue[] = []): number {
    this.connection.run(sql, params);
    return this.connection.getRowsModified();
  }

  /** Reloads the image when another process has written it since we last loaded or wrote it. */
  async refresh(): Promise<boolean> {
    if (!this.db) return false;
    if (generationOf(this.file) === this.generation) return false;
    return this.withLock(async () => this.reloadIfChanged());
  }

  /**
   * Runs `fn` as one transaction on the latest image and writes the result atomically, all under
   * the cross-process lock. A throw rolls everything back (memory and disk stay as they were).
   */
  mutate<T>(fn: (db: SqlDatabase) => T): Promise<{ value: T; reloaded: boolean }> {
    return this.withLock(async () => {
      const reloaded = this.reloadIfChanged();
      const value = this.transaction(fn);
      try {
        this.persist();
      } catch (e) {
        // The write failed: drop the in-memory change so memory never runs ahead of disk.
        this.loadFromDisk(false);
        throw e;
      }
      return { value, reloaded };
    });
  }

  /**
   * Runs `fn` as one transaction in memory only, without the lock or a write. For derived data
   * that is safe to lose (the search index queue): a reload from disk simply brings the work back.
   */
  applyInMemory<T>(fn: (db: SqlDatabase) => T): T {
    return this.transaction(fn);
  }

  close(): void {
    this.db?.close();
    this.db = null;
  }

  private withLock<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      const release = await acquireLock(this.file + '.lock');
      try {
        return await fn();
      } finally {
        release();
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private reloadIfChanged(): boolean {
    if (this.db && generationOf(this.file) === this.generation) return false;
    this.loadFromDisk(false);
    return true;
  }

  private transaction<T>(fn: (db: SqlDatabase) => T): T {
    const db = this.connection;
    db.exec('BEGIN IMMEDIATE');
    try {
      const value = fn(db);
      db.exec('COMMIT');
      return value;
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
  }

  /** Loads the on-disk image. At start-up a corrupt or unreadable file is moved aside, never deleted. */
  private loadFromDisk(startup: boolean): void {
    const generation = generationOf(this.file);
    let bytes: Uint8Array | null = null;
    if (generation !== null) {
      try {
        bytes = fs.readFileSync(this.file);
      } catch (e) {
        if (!startup) throw e;
        this.setAside(`could not be read (${(e as Error).message})`);
      }
    }
    let db: SqlDatabase | null = null;
    if (bytes && bytes.length > 0) {
      try {
        db = new this.SQL.Database(bytes);
        db.exec('SELECT count(*) FROM sqlite_master');
        if (schemaVersionOf(db) > SCHEMA_VERSION) {
          throw new Error(`it was written by a newer SDLC Lens (schema ${schemaVersionOf(db)})`);
        }
      } catch (e) {
        db?.close();
        db = null;
        if (!startup) throw e;
        this.setAside(`is not a database this version can open (${(e as Error).message})`);
      }
    }
    this.db?.close();
    this.db = db ?? new this.SQL.Database();
    this.applyPragmas();
    this.generation = generationOf(this.file);
  }

  private setAside(reason: string): void {
    const aside = `${this.file}.corrupt-${timestamp()}`;
    fs.renameSync(this.file, aside);
    const message = `The SDLC Lens database ${reason}; it was moved to ${aside} and a fresh database was started. Register and sync your projects again.`;
    this.warnings.push(message);
    this.logger.warn(message);
  }

  private applyPragmas(): void {
    // The image lives in memory; durability comes from the atomic file write, so a rollback
    // journal on sql.js's in-memory file system would only add copying.
    this.connection.exec('PRAGMA foreign_keys = ON; PRAGMA journal_mode = MEMORY; PRAGMA temp_store = MEMORY;');
  }

  /** Temp file, fsync, rename, fsync the folder: a crash leaves the old image or the new one. */
  private persist(): void {
    const image = this.connection.export(); // sql.js closes and reopens the connection here
    this.applyPragmas();
    const tmp = `${this.file}.tmp-${process.pid}`;
    try {
      const fd = fs.openSync(tmp, 'w');
      try {
        fs.writeSync(fd, image);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, this.file);
    } catch (e) {
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        // cleaning up must not hide why the write failed
      }
      throw e;
    }
    try {
      const dirFd = fs.openSync(path.dirname(this.file), 'r');
      try {
        fs.fsyncSync(dirFd);
      } finally {
        fs.closeSync(dirFd);
      }
    } catch {
      // not every platform can fsync a folder (Windows); the rename itself is atomic
    }
    this.generation = generationOf(this.file);
  }
}
