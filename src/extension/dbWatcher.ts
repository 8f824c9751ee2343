// Several VS Code windows share one database in globalStorage: when another window (or the CLI)
// rewrites it, reload. The engine writes atomically (temp + rename), so watch the folder, not the file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { messageOf } from '../core/errors';
import type { AsyncLensEngine } from '../core/worker/protocol';
import type { ExtensionLog } from './log';

/** Watches `files` (all in one folder: the database image and its change log) and refreshes the engine. */
export function watchDatabase(files: readonly string[], engine: Pick<AsyncLensEngine, 'catchUp'>, log: ExtensionLog, debounceMs = 300): vscode.Disposable {
  const dir = path.dirname(files[0]);
  const names = new Set(files.map((f) => path.basename(f)));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watcher: fs.FSWatcher | undefined;
  try {
    watcher = fs.watch(dir, { persistent: false }, (_event, file) => {
      if (file && !names.has(file.toString())) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        engine.catchUp().then(
          (reloaded) => reloaded && log.info('Database changed on disk (another window or the CLI): reloaded'),
          (e) => log.warn(`Could not reload the database: ${messageOf(e)}`),
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
