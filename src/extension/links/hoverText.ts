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

/** The command an ambiguous id's link runs: a pick of its documents (arguments: ChoiceItem[]). */
export const CHOOSE_COMMAND = 'sdlcLens.openDocumentChoice';

/** One document an ambiguous id may mean, as the link's pick shows it. */
export interface ChoiceItem {
  label: string;
  description: string;
  /** The file's URI in its JSON form (vscode.Uri#toJSON). */
  uri: unknown;
}

/** The pick items of an ambiguous id's documents (those with a file). */
export function choiceItems(candidates: readonly ResolvedRef[], uriJson: (r: ResolvedRef) => unknown): ChoiceItem[] {
  return candidates
    .filter((c) => c.abs_path)
    .map((c) => ({ label: documentLabel(c), description: [typeLabel(c.type), c.status ?? 'no status', c.project_name].join(' · '), uri: uriJson(c) }));
}

/** `command:sdlcLens.openDocumentChoice?<args>` for the link of an id several projects have. */
export function chooseCommandLink(items: readonly ChoiceItem[]): string {
  return `command:${CHOOSE_COMMAND}?${encodeURIComponent(JSON.stringify([items]))}`;
}

/**
 * Hover Markdown for an id several projects have: a line, then each project's document (label,
 * type, status, project) with its own open link. Escaped like hoverMarkdown.
 */
export function ambiguousHoverMarkdown(candidates: readonly ResolvedRef[], openLink: (r: ResolvedRef) => string | null): string {
  const lines = [`**${md(candidates[0]?.ref ?? '')}** is in ${candidates.length} projects:`, ''];
  for (const c of candidates) {
    const link = openLink(c);
    const facts = [typeLabel(c.type), c.status ?? 'no status', c.project_name].map(md).join(' · ');
    lines.push(`- **${md(documentLabel(c))}** — ${facts}${link ? ` — [Open](${link})` : ''}`);
  }
  return lines.join('\n');
}
