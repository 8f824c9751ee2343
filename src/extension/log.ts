// The "SDLC Lens" LogOutputChannel and the core Logger that writes to it.
import * as vscode from 'vscode';
import type { Logger } from '../core/types';

export interface ExtensionLog extends Logger, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  /** The last lines written (newest last); lets tests check a real line went through. */
  readonly recent: readonly string[];
  show(): void;
}

const KEEP = 200;

export function createLog(): ExtensionLog {
  const channel = vscode.window.createOutputChannel('SDLC Lens', { log: true });
  const recent: string[] = [];
  const keep = (level: string, message: string) => {
    recent.push(`[${level}] ${message}`);
    if (recent.length > KEEP) recent.splice(0, recent.length - KEEP);
  };
  return {
    channel,
    recent,
    info(message) {
      keep('info', message);
      channel.info(message);
    },
    warn(message) {
      keep('warn', message);
      channel.warn(message);
    },
    error(message) {
      keep('error', message);
      channel.error(message);
    },
    show() {
      channel.show(true);
    },
    dispose() {
      channel.dispose();
    },
  };
}
