// Holds a sync run open on a real condition: when the run has listed its files and is about to
// read them (its first 'collecting' progress report), one listed file is swapped for a FIFO. The
// run's read of that file then blocks in the kernel until the test writes the original bytes into
// the FIFO (release). No timing is involved: the run cannot end before release() is called.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LensEngine, StartSyncOptions } from '../../../src/core/engine-api';
import type { SyncProgress } from '../../../src/core/types';

export interface Hold {
  /** Pass as StartSyncOptions.onProgress (or use wrap()). Arms once, on the first run that reports. */
  onProgress(p: SyncProgress): void;
  /** Proxies an engine so every startSync gets this hold's onProgress (for the API harness). */
  wrap(engine: LensEngine): LensEngine;
  /** Resolves once the run is blocked on the FIFO. */
  held: Promise<void>;
  /** Feeds the original bytes through the FIFO (the run then reads them) and restores the file. */
  release(): Promise<void>;
}

export function holdOnFile(sdlcDir: string, rel: string): Hold {
  const file = path.join(sdlcDir, ...rel.split('/'));
  const original = fs.readFileSync(file);
  let armed = false;
  let released = false;
  let onHeld!: () => void;
  const held = new Promise<void>((r) => (onHeld = r));
  const onProgress = (p: SyncProgress): void => {
    if (armed || p.phase !== 'collecting' || p.seen !== 0) return;
    armed = true;
    fs.rmSync(file);
    execFileSync('mkfifo', [file]);
    onHeld();
  };
  return {
    onProgress,
    held,
    wrap(engine) {
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
      await fs.promises.writeFile(file, original); // opens the FIFO's write end: the blocked read gets the bytes, then EOF
      fs.rmSync(file);
      fs.writeFileSync(file, original);
    },
  };
}
