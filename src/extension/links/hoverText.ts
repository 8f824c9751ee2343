// The hover of a document id as Markdown text (no `vscode` import, unit-tested). Every document
// value is escaped, so a title like `<img src=x onerror=alert(1)>` shows as text; the only link is
// the command link to open the document, which the caller trusts for that one command.
import type { ResolvedRef } from '../../core/engine-api';
import { typeLabel } from '../../core/parse';
import { documentLabel, md } from '../tree/presentation';

/** The command the hover's link runs (the only command its MarkdownString trusts). */
export const OPEN_COMMAND = 'sdlcLens.openDocument';

/** `command:sdlcLens.openDocument?<args>` for a file URI given in its JSON form (vscode.Uri#toJSON). */
export function openCommandLink(uriJson: unknown): string {
  return `command:${OPEN_COMMAND}?${encodeURIComponent(JSON.stringify([uriJson]))}`;
}

/** Hover Markdown: label, type, status, epic, story, owner, project, then the open link (when a file exists). */
export function hoverMarkdown(ref: ResolvedRef, openLink: string | null): string {
  const rows: [string, string | null][] = [
    ['Type', typeLabel(ref.type)],
    ['Status', ref.status],
    ['Epic', ref.epic],
    ['Story', ref.story],
    ['Owner', ref.owner],
    ['Project', ref.project_name],
  ];
  const lines = [`**${md(documentLabel(ref))}**`, ''];
  for (const [k, v] of rows) if (v) lines.push(`${k}: ${md(v)}  `);
  lines.push('', `\`${ref.file_path.replace(/`/g, "'")}\``);
  if (openLink) lines.push('', `[Open document](${openLink})`);
  return lines.join('\n');
}
