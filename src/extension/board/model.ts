// The board's model (writing.md §3): one type's documents of one project as columns of cards. Pure
// (no vscode, no engine): the panel fetches the inputs from the worker and posts the model to the page.
import type { DocumentSummary } from '../../core/engine-api';
import { STATUS_VOCAB } from '../../core/parse/doctypes';
import { displayId } from '../../core/parse/ids';
import { typeLabel } from '../../core/parse/labels';
import { isTerminal } from '../../core/parse/status';
import type { Severity } from '../../core/health/rules';

/** The column of documents without a status (never a drop target: no status is not a status). */
export const NO_STATUS = '';

export interface BoardColumn {
  /** The status (NO_STATUS for "No status"). */
  key: string;
  label: string;
  /** A finished state of the type: "hide finished" collapses it. */
  terminal: boolean;
  /** In the type's lifecycle (false: a status found only in the project's documents). */
  lifecycle: boolean;
}

export interface CardHealth {
  /** The worst severity of the document's findings. */
  severity: Severity;
  count: number;
  /** The first few findings' messages (the marker's tooltip). */
  messages: string[];
}

export interface BoardCard {
  /** The document's file path (relative to the project's folder): the card's key. */
  key: string;
  doc_id: string;
  id: string;
  title: string;
  /** The column's key (the stored status, NO_STATUS when none). */
  status: string;
  epic: string | null;
  owner: string | null;
  priority: string | null;
  points: number | null;
  health: CardHealth | null;
}

export interface BoardType {
  type: string;
  label: string;
  count: number;
}

export interface BoardModel {
  slug: string;
  project: string;
  type: string;
  typeLabel: string;
  /** Types of the project with a lifecycle (the type switch), in the table's order. */
  types: BoardType[];
  columns: BoardColumn[];
  /** In file-path order. */
  cards: BoardCard[];
}

/** Per file path: the document's health findings. */
export type HealthByPath = ReadonlyMap<string, CardHealth>;

/** The types a board can show: those with a lifecycle that the project has documents of. */
export function boardTypes(counts: readonly { type: string; count: number }[]): BoardType[] {
  const n = new Map(counts.map((c) => [c.type, c.count]));
  return Object.keys(STATUS_VOCAB)
    .filter((t) => (n.get(t) ?? 0) > 0)
    .map((t) => ({ type: t, label: typeLabel(t, true), count: n.get(t)! }));
}

/** The type to show: the asked one when the board can show it, else stories, else the first there is. */
export function pickType(types: readonly BoardType[], wanted: string | undefined): string {
  if (wanted && types.some((t) => t.type === wanted)) return wanted;
  if (types.some((t) => t.type === 'story') || types.length === 0) return 'story';
  return types[0]!.type;
}

/**
 * Columns: the type's lifecycle (or `lifecycle`, the writer's allowed statuses in order, when given),
 * then every other status the documents use (first-seen order), then "No status" when a document
 * has none.
 */
export function boardColumns(type: string, docs: readonly Pick<DocumentSummary, 'status'>[], lifecycle?: readonly string[]): BoardColumn[] {
  const order = lifecycle ?? STATUS_VOCAB[type] ?? [];
  const vocab = new Set(STATUS_VOCAB[type] ?? []);
  const cols: BoardColumn[] = [];
  const seen = new Set<string>();
  const add = (s: string) => {
    if (seen.has(s)) return;
    seen.add(s);
    cols.push({ key: s, label: s, terminal: isTerminal(type, s), lifecycle: vocab.has(s) });
  };
  for (const s of order) add(s);
  let none = false;
  for (const d of docs) {
    if (d.status === null || d.status.trim() === '') none = true;
    else add(d.status);
  }
  if (none) cols.push({ key: NO_STATUS, label: 'No status', terminal: false, lifecycle: false });
  return cols;
}

export function toCard(d: DocumentSummary, health: HealthByPath): BoardCard {
  return {
    key: d.file_path,
    doc_id: d.doc_id,
    id: displayId(d.doc_id),
    title: d.title,
    status: d.status === null || d.status.trim() === '' ? NO_STATUS : d.status,
    epic: d.epic ? displayId(d.epic) : null,
    owner: d.owner,
    priority: d.priority,
    points: d.story_points,
    health: health.get(d.file_path) ?? null,
  };
}

export interface BoardInputs {
  slug: string;
  project: string;
  type: string;
  types: BoardType[];
  docs: readonly DocumentSummary[];
  health: HealthByPath;
  /** The writer's statuses for the type, lifecycle order (engine.statusChoices), when known. */
  lifecycle?: readonly string[];
}

export function buildBoard(i: BoardInputs): BoardModel {
  return {
    slug: i.slug,
    project: i.project,
    type: i.type,
    typeLabel: typeLabel(i.type, true),
    types: i.types,
    columns: boardColumns(i.type, i.docs, i.lifecycle),
    cards: i.docs.map((d) => toCard(d, i.health)),
  };
}

const RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/**
 * Folds placed health diagnostics (per absolute file) into per-card markers, keyed by the path
 * relative to the project's folder.
 */
export function healthByPath(
  files: readonly { absPath: string; folder: boolean; diagnostics: readonly { severity: Severity; message: string }[] }[],
  relative: (absPath: string) => string | null,
): Map<string, CardHealth> {
  const out = new Map<string, CardHealth>();
  for (const f of files) {
    if (f.folder || f.diagnostics.length === 0) continue;
    const rel = relative(f.absPath);
    if (rel === null) continue;
    let worst: Severity = 'low';
    for (const d of f.diagnostics) if (RANK[d.severity] < RANK[worst]) worst = d.severity;
    out.set(rel, { severity: worst, count: f.diagnostics.length, messages: f.diagnostics.slice(0, 3).map((d) => d.message) });
  }
  return out;
}

/** Where a card is, by key (the tests and the benchmark ask "is it in that column yet?"). */
export function columnOf(model: BoardModel, key: string): string | undefined {
  return model.cards.find((c) => c.key === key)?.status;
}
