// "Set Status…" above the header's Status line (or the title, when the document has none) of every
// stored document whose type has a lifecycle. Finding the line is a scan of the file's first lines;
// which document it is comes from the worker (one locate call).
import * as vscode from 'vscode';
import { findField, titleSpan } from '../../core/health/text';
import { STATUS_VOCAB } from '../../core/parse/doctypes';
import type { AsyncLensEngine } from '../../core/worker/protocol';

/** Lines looked at for the header (a header lies near the top). */
const HEAD_LINES = 80;

/** The line the lens goes on: the Status field's, else the title's. */
export function statusLensLine(text: string): number {
  const lines = text.split(/\r?\n/, HEAD_LINES);
  return findField(lines, 'Status')?.key.line ?? titleSpan(lines).line;
}

export class StatusCodeLens implements vscode.CodeLensProvider {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;

  constructor(private readonly engine: Pick<AsyncLensEngine, 'locate'>) {}

  /** Documents were added or removed: lenses may appear or go. */
  refresh(): void {
    this.emitter.fire();
  }

  dispose(): void {
    this.emitter.dispose();
  }

  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (doc.uri.scheme !== 'file') return [];
    const at = await this.engine.locate(doc.uri.fsPath).catch(() => null);
    if (token.isCancellationRequested || !at?.doc_id || !at.type || !STATUS_VOCAB[at.type]) return [];
    const line = statusLensLine(doc.getText(new vscode.Range(0, 0, HEAD_LINES, 0)));
    return [
      new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
        title: 'Set Status…',
        tooltip: 'Change the status of this document (SDLC Lens)',
        command: 'sdlcLens.setStatus',
        arguments: [doc.uri],
      }),
    ];
  }
}
