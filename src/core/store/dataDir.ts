// The data folder that holds the database: created on first use, one level at a time.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The database image in a data folder (its change log and lock file sit beside it). */
export const DB_FILE = 'sdlc-lens.db';

/** The data folder's write lock (store/filelock.ts). */
export const lockFileOf = (dataDir: string): string => path.join(dataDir, `${DB_FILE}.lock`);

/**
 * Creates the data folder and its missing parents one level at a time. Node's recursive mkdir can
 * spin forever on some paths (e.g. under /proc); this fails with the folder's name instead.
 */
export async function ensureDir(dir: string): Promise<void> {
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
