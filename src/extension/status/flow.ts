// Set Status in the editor (writing.md §1–2): one flow for the tree, the palette, the header's
// CodeLens and the board. It never overwrites what the user has not seen:
// - a document open with unsaved changes gets the edit in its buffer (a WorkspaceEdit: undoable, left
//   for the user to save) when SDLC Lens's value-only writer would do it; when sdlc-studio's own
//   writer would, the dirty buffer is a conflict (save first), since that writer works on the file;
// - otherwise the engine writes, given the content hash of the file the user last saw (the stored
//   one); a file changed since is a CONFLICT and nothing changes.
// A refusal of the skill's gates (TRANSITION_BLOCKED) shows its reason and offers "Force…", which
// asks a second time before passing force. The engine re-syncs the file after a write, so the tree,
// board, hover and diagnostics follow.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SetStatusResult } from '../../core/engine-api';
import { isLensError, messageOf } from '../../core/errors';
import { displayId } from '../../core/parse/ids';
import { editStatusText } from '../../core/write/valueEdit';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import type { ExtensionLog } from '../log';

/** The document a status change is about. */
export interface StatusTarget {
  slug: string;
  type: string;
  doc_id: string;
  /** Relative to the project's folder, `/`-separated. */
  file_path: string;
  /** Its current status, as stored (null: none). */
  status: string | null;
}

export type StatusOutcome =
  /** The file was written (or, for `unchanged`, already had that status). */
  | { outcome: 'changed' | 'unchanged'; message: string; result: SetStatusResult }
  /** The edit went into the document's unsaved buffer. */
  | { outcome: 'buffer'; message: string }
  /** The skill's gates refused it: `message` is its reason. */
  | { outcome: 'refused'; message: string }
  /** Unsaved or unseen changes: nothing changed. */
  | { outcome: 'conflict'; message: string }
  /** Not a status of the type, an unknown document, or any other error. */
  | { outcome: 'error'; message: string }
  | { outcome: 'cancelled'; message: string };

export type StatusEngine = Pick<AsyncLensEngine, 'getProject' | 'getDocument' | 'setStatus'>;

export interface StatusOptions {
  /** Override the skill's gates without asking (the caller has asked twice already). */
  force?: boolean;
  /** When the skill refuses, offer "Force…" (default true; off for callers that cannot ask). */
  offerForce?: boolean;
}

const sameFile = (a: string, b: string) => (process.platform === 'win32' || process.platform === 'darwin' ? a.toLowerCase() === b.toLowerCase() : a === b);

/** The open editor buffer of a file, if any. */
export function openDocumentAt(absPath: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && sameFile(path.resolve(d.uri.fsPath), path.resolve(absPath)));
}

export class StatusFlow {
  constructor(
    private readonly engine: StatusEngine,
    private readonly log: Pick<ExtensionLog, 'info' | 'warn'>,
  ) {}

  /** Sets `status` on the target; shows what happened and returns it. Never throws. */
  async apply(target: StatusTarget, status: string, options: StatusOptions = {}): Promise<StatusOutcome> {
    const outcome = await this.run(target, status, options).catch((e): StatusOutcome => ({ outcome: 'error', message: `Set Status failed: ${messageOf(e)}` }));
    this.show(target, status, outcome, options);
    return outcome;
  }

  private async run(t: StatusTarget, status: string, options: StatusOptions): Promise<StatusOutcome> {
    const id = displayId(t.doc_id);
    // the hash the user last saw: the stored one (the file as last synced); asked at once with the project
    const [project, detail] = await Promise.all([this.engine.getProject(t.slug), this.engine.getDocument(t.slug, t.type, t.doc_id).catch(() => null)]);
    if (!project.sdlc_path) return { outcome: 'error', message: `${id}: the project has no folder.` };
    if (!detail) return { outcome: 'error', message: `${id} is no longer stored: sync the project.` };
    const abs = path.join(project.sdlc_path, ...t.file_path.split('/'));
    const req = { slug: t.slug, type: t.type, doc_id: t.doc_id, status };
    const open = openDocumentAt(abs);
    if (open?.isDirty) {
      // which writer would do it, and is the status allowed (a dry run changes nothing)
      const dry = await this.attempt(id, () => this.engine.setStatus({ ...req, dry_run: true, force: options.force }));
      // a refusal comes from the skill's gates: that writer works on the file, so save first either way
      const skill = 'outcome' in dry ? dry.outcome === 'refused' : dry.writer === 'sdlc-studio';
      if ('outcome' in dry && !skill) return dry;
      if (skill) {
        return { outcome: 'conflict', message: `${id} has unsaved changes. Save it first: sdlc-studio's writer changes the file on disk.` };
      }
      return this.editBuffer(open, id, status);
    }
    const res = await this.attempt(id, () => this.engine.setStatus({ ...req, expected_hash: detail.file_hash, force: options.force }));
    if ('outcome' in res) return res;
    this.log.info(`Set Status ${id}: ${res.from ?? 'no status'} → ${res.to} (writer: ${res.writer}${res.changed ? '' : ', unchanged'})`);
    const warning = res.warning ? ` ${res.warning}` : '';
    return res.changed
      ? { outcome: 'changed', message: `${id}: ${res.from ?? 'no status'} → ${res.to}.${warning}`, result: res }
      : { outcome: 'unchanged', message: `${id} already is ${res.to}.${warning}`, result: res };
  }

  /** The engine's answer, or the outcome its error stands for. */
  private async attempt(id: string, call: () => Promise<SetStatusResult>): Promise<SetStatusResult | StatusOutcome> {
    try {
      return await call();
    } catch (e) {
      if (!isLensError(e)) throw e;
      switch (e.code) {
        case 'TRANSITION_BLOCKED':
          return { outcome: 'refused', message: e.message };
        case 'CONFLICT':
          return { outcome: 'conflict', message: `${id} changed on disk since SDLC Lens last read it: nothing was written. Look at the file, then try again.` };
        case 'NOT_FOUND':
          return { outcome: 'error', message: `${id} is no longer stored: sync the project.` };
        default:
          return { outcome: 'error', message: e.message };
      }
    }
  }

  /** The value-only edit applied to the unsaved buffer (undoable; the user saves). */
  private async editBuffer(doc: vscode.TextDocument, id: string, status: string): Promise<StatusOutcome> {
    const edited = editStatusText(doc.getText(), status);
    if (!edited.changed) return { outcome: 'buffer', message: `${id} already is ${status} in its unsaved editor.` };
    const { start, end, newText } = edited.change;
    const we = new vscode.WorkspaceEdit();
    we.replace(doc.uri, new vscode.Range(doc.positionAt(start), doc.positionAt(end)), newText);
    if (!(await vscode.workspace.applyEdit(we))) return { outcome: 'conflict', message: `${id}: the editor refused the edit: nothing was changed.` };
    this.log.info(`Set Status ${id} → ${status} in its unsaved editor (writer: sdlc-lens, buffer)`);
    return { outcome: 'buffer', message: `${id} → ${status} in its unsaved editor: save it to keep the change.` };
  }

  private show(t: StatusTarget, status: string, o: StatusOutcome, options: StatusOptions): void {
    const id = displayId(t.doc_id);
    switch (o.outcome) {
      case 'changed':
      case 'unchanged':
      case 'buffer':
        vscode.window.setStatusBarMessage(`$(check) ${o.message}`, 5000);
        if (o.outcome === 'changed' && o.result.warning) void vscode.window.showWarningMessage(o.message);
        return;
      case 'cancelled':
        return;
      case 'refused':
        this.log.info(`Set Status ${id} → ${status} refused by sdlc-studio: ${o.message}`);
        if (options.offerForce === false) {
          void vscode.window.showWarningMessage(`sdlc-studio refused ${id} → ${status}: ${o.message}`);
          return;
        }
        void vscode.window.showWarningMessage(`sdlc-studio refused ${id} → ${status}: ${o.message}`, 'Force…').then((c) => {
          if (c === 'Force…') void this.confirmForce(t, status);
        });
        return;
      case 'conflict':
      case 'error':
        this.log.warn(`Set Status ${id} → ${status}: ${o.message}`);
        void vscode.window.showErrorMessage(o.message);
        return;
    }
  }

  /** The second confirmation before overriding the skill's gates. */
  private async confirmForce(t: StatusTarget, status: string): Promise<StatusOutcome | undefined> {
    const id = displayId(t.doc_id);
    const sure = await vscode.window.showWarningMessage(
      `Override sdlc-studio's gates and set ${id} to ${status} anyway?`,
      { modal: true, detail: "sdlc-studio's writer will make the change with --force." },
      'Force',
    );
    if (sure !== 'Force') return undefined;
    return this.apply(t, status, { force: true, offerForce: false });
  }
}
