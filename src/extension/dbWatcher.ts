// Several VS Code windows share one database in globalStorage: when another window (or the CLI)
// rewrites it, reload. The engine writes atomically (temp + rename), so watch the folder, not the file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { isLensError, messageOf } from '../core/errors';
import type { AsyncLensEngine } from '../core/worker/protocol';
import type { ExtensionLog } from './log';

/**
 * Watches `files` (all in one folder: the database image and its change log) and refreshes the engine.
 * When a newer SDLC Lens has rewritten the folder (DATABASE_TOO_NEW: the engine keeps the last state
 * it could read and refuses every write), `refused` is told once per refusal, not at every change.
 */
export function watchDatabase(
  files: readonly string[],
  engine: Pick<AsyncLensEngine, 'catchUp'>,
  log: ExtensionLog,
  refused: (message: string) => void,
  debounceMs = 300,
): vscode.Disposable {
  const dir = path.dirname(files[0]);
  const names = new Set(files.map((f) => path.basename(f)));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watcher: fs.FSWatcher | undefined;
  let shown: string | undefined; // the refusal last told
  try {
    watcher = fs.watch(dir, { persistent: false }, (_event, file) => {
      if (file && !names.has(file.toString())) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        engine.catchUp().then(
          (reloaded) => {
            shown = undefined;
            if (reloaded) log.info('Database changed on disk (another window or the CLI): reloaded');
          },
          (e) => {
            const message = messageOf(e);
            if (!isLensError(e) || e.code !== 'DATABASE_TOO_NEW') return log.warn(`Could not reload the database: ${message}`);
            if (shown === message) return;
            shown = message;
            log.error(`Could not reload the database: ${message}`);
            refused(message);
          },
        );
      }, debounceMs);
    });
    watcher.on('error', (e) => log.warn(`Database watcher: ${messageOf(e)}`));
  } catch (e) {
    log.warn(`Cannot watch ${dir}: ${messageOf(e)}; changes made by other windows appear after "Refresh"`);
  }
  return {
    dispose() {
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}
