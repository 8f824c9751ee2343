// Ids of one markdown document and what they resolve to, cached per document version. The scan
// runs here (one linear pass); the resolution is one engine call in its worker for all the ids.
import * as vscode from 'vscode';
import type { ResolvedRef } from '../../core/engine-api';
import { scanIds, type IdMatch } from '../../core/idScan';
import type { AsyncLensEngine } from '../../core/worker/protocol';

export interface DocumentIds {
  matches: IdMatch[];
  resolved: Record<string, ResolvedRef>;
}

interface Entry {
  version: number;
  value: Promise<DocumentIds>;
}

/** Most documents whose answers are kept (oldest dropped first). */
const KEEP = 50;

export class LinkResolver implements vscode.Disposable {
  private readonly cache = new Map<string, Entry>();
  private readonly offChange: () => void;

  constructor(private readonly engine: AsyncLensEngine) {
    // Any stored change may add, remove or rename documents: answer afresh.
    this.offChange = engine.onDidChange(() => this.cache.clear());
  }

  /** The ids of `doc` and their documents (shared by links, hover, definition, references). */
  forDocument(doc: vscode.TextDocument): Promise<DocumentIds> {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.value;
    const matches = scanIds(doc.getText());
    const fromPath = doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
    const value = (matches.length ? this.engine.resolveRefs([...new Set(matches.map((m) => m.ref))], fromPath, { candidates: true }) : Promise.resolve({})).then(
      (resolved) => ({ matches, resolved }),
    );
    value.catch(() => this.cache.delete(key)); // a failed answer is not kept
    this.cache.delete(key);
    this.cache.set(key, { version: doc.version, value });
    if (this.cache.size > KEEP) this.cache.delete(this.cache.keys().next().value!);
    return value;
  }

  /** The id under `position` and its document, if it resolves. */
  async at(doc: vscode.TextDocument, position: vscode.Position): Promise<{ match: IdMatch; ref: ResolvedRef; range: vscode.Range } | undefined> {
    const { matches, resolved } = await this.forDocument(doc);
    const offset = doc.offsetAt(position);
    const match = matches.find((m) => m.start <= offset && offset <= m.end);
    const ref = match && resolved[match.ref];
    if (!match || !ref) return undefined;
    return { match, ref, range: new vscode.Range(doc.positionAt(match.start), doc.positionAt(match.end)) };
  }

  forget(doc: vscode.TextDocument): void {
    this.cache.delete(doc.uri.toString());
  }

  dispose(): void {
    this.offChange();
    this.cache.clear();
  }
}
