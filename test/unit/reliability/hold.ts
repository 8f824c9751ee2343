// Holds a sync run open on a real condition: when the run has planned its changes and is about to
// write them (its 'applying' progress report), the data folder's write lock is taken in the run's
// place (the lock file naming this live process, as another writer would). The run's write then
// waits in the engine's lock loop until the test releases the lock. No timing is involved: the run
// cannot write its result before release() is called (the lock gives up only after 60 s).
//
// (An earlier version swapped a listed file for a FIFO and let the run's read block on it; the
// engine now reads files synchronously in the sync's own thread, so a blocked read would block the
// test too. A FIFO is still the way to hold a run in *another* process.)
import * as fs from 'node:fs';
import type { LensEngine, StartSyncOptions } from '../../../src/core/engine-api';
import { selfIdentity } from '../../../src/core/store/processIdentity';
import type { SyncProgress } from '../../../src/core/types';

export interface Hold {
  /** Pass as StartSyncOptions.onProgress (or use wrap()). Arms once, on the first run that reports. */
  onProgress(p: SyncProgress): void;
  /** Proxies an engine so every startSync gets this hold's onProgress (for the API harness). */
  wrap(engine: LensEngine): LensEngine;
  /** Resolves once the run has planned and its write is locked out. */
  held: Promise<void>;
  /** Gives the lock back; the run's write (and any other write waiting meanwhile) goes ahead. */
  release(): Promise<void>;
}

/**
 * A hold on the run that syncs into the database file `dbPath` (`<dataDir>/sdlc-lens.db`); without
 * it, the database of the engine given to wrap().
 */
export function holdWrites(dbPath?: string): Hold {
  let lock = dbPath === undefined ? undefined : `${dbPath}.lock`;
  let armed = false;
  let released = false;
  let onHeld!: () => void;
  const held = new Promise<void>((r) => (onHeld = r));
  const onProgress = (p: SyncProgress): void => {
    if (armed || p.phase !== 'applying') return;
    if (lock === undefined) throw new Error('holdWrites: no database path (pass one, or use wrap())');
    armed = true;
    fs.writeFileSync(lock, JSON.stringify({ ...selfIdentity(), at: Date.now() }), { flag: 'wx' });
    onHeld();
  };
  return {
    onProgress,
    held,
    wrap(engine) {
      lock ??= `${engine.dbPath}.lock`;
      return new Proxy(engine, {
        get(target, key) {
          if (key === 'startSync') {
            return (slug: string, options: StartSyncOptions = {}) =>
              target.startSync(slug, {
                ...options,
                onProgress: (p) => {
                  onProgress(p);
                  options.onProgress?.(p);
                },
              });
          }
          const value = Reflect.get(target, key, target) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    },
    async release() {
      if (!armed || released) return;
      released = true;
      try {
        fs.rmSync(lock!);
      } catch {
        released = false; // not there now (its folder moved away): a later release() removes it
      }
    },
  };
}
