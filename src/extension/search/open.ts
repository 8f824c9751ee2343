// Opening a document the engine knows by (project, type, doc_id): its file is the project's
// sdlc-studio folder + the stored file_path. Shared by search, open-by-id and the Related view.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import type { AsyncLensEngine } from '../../core/worker/protocol';

export interface DocRef {
  slug: string;
  type: string;
  doc_id: string;
}

/** The command that opens a DocRef (hidden from the palette; tree items and quick picks use it). */
export const OPEN_REF_COMMAND = 'sdlcLens.openDocumentRef';

/** The file of a document, or undefined (with a message) when it is gone or its project has no folder. */
export async function fileOf(engine: AsyncLensEngine, ref: DocRef): Promise<vscode.Uri | undefined> {
  try {
    const [project, doc] = await Promise.all([engine.getProject(ref.slug), engine.getDocument(ref.slug, ref.type, ref.doc_id)]);
    if (!project.sdlc_path) throw new Error(`project "${project.name}" has no folder`);
    return vscode.Uri.file(path.join(project.sdlc_path, ...doc.file_path.split('/')));
  } catch (e) {
    void vscode.window.showErrorMessage(`SDLC Lens: cannot open ${ref.doc_id}: ${messageOf(e)}`);
    return undefined;
  }
}

/** Opens the document in the active editor group, or beside it. */
export async function openDocRef(engine: AsyncLensEngine, ref: DocRef, side = false): Promise<vscode.TextEditor | undefined> {
  const uri = await fileOf(engine, ref);
  if (!uri) return undefined;
  return vscode.window.showTextDocument(uri, side ? { viewColumn: vscode.ViewColumn.Beside, preview: true } : { preview: true });
}

/** The argument check of the command: a DocRef from a tree item, a quick pick, or a test. */
export function isDocRef(v: unknown): v is DocRef {
  const o = v as Partial<DocRef> | null;
  return !!o && typeof o.slug === 'string' && typeof o.type === 'string' && typeof o.doc_id === 'string';
}
