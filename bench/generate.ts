// Deterministic synthetic sdlc-studio corpus: the real layout and size mix (bench/corpus/profile.ts),
// every type folder, root singletons, both id forms, realistic headers and bodies, cross-references,
// `_index.md` registries, archive/ folders, template comments, `.config.yaml`, `.version` and a
// `.local/` state folder. Same (documents, seed) → byte-identical files. No dependencies.
//
//   import { generateCorpus } from '../bench/generate';
//   const c = generateCorpus('/tmp/x/sdlc-studio', { documents: 10_000, seed: 1 });
//
//   npx tsx bench/generate.ts <dir> <documents> [seed]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderDocument, type Slot } from './corpus/documents';
import { ARCHIVE_SHARE, SEQUENTIAL_SHARE, SINGLETONS, TYPES, type TypeProfile } from './corpus/profile';
import { fillerSection, paragraph, PERSONAS, Rng, TITLE_WORDS } from './corpus/text';

export interface GenerateOptions {
  /** Documents a sync will ingest (singletons included; `_index.md` and `.local/` not counted). */
  documents: number;
  seed?: number;
}

export interface GeneratedCorpus {
  /** The sdlc-studio folder (what a project registers). */
  root: string;
  documents: number;
  /** Bytes of the ingested markdown. */
  bytes: number;
  byType: Record<string, number>;
  /** Relative paths (`/`-separated) of every ingested document, in generation order. */
  files: string[];
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(n: number, width: number): string {
  let s = '';
  for (let i = 0; i < width; i++) {
    s = CROCKFORD[n % 32] + s;
    n = Math.floor(n / 32);
  }
  return s;
}

/** Splits `total` over the weights, largest remainder first, so the counts add up exactly. */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0, left = total - counts.reduce((a, b) => a + b, 0); k < left; k++) counts[order[k % order.length][1]]++;
  return counts;
}

function titleWords(r: Rng): string[] {
  const words: string[] = [];
  for (let i = 0, n = 3 + r.int(5); i < n; i++) words.push(r.pick(TITLE_WORDS));
  return words;
}

const kebab = (words: readonly string[]): string => words.join('-').replace(/_/g, '-');
const sentenceCase = (words: readonly string[]): string => {
  const s = words.join(' ').replace(/_/g, ' ');
  return s[0].toUpperCase() + s.slice(1);
};

function idFor(p: TypeProfile, index: number, count: number, seed: number): string | null {
  if (!p.prefix) return null;
  if (index <= Math.ceil(count * SEQUENTIAL_SHARE)) return `${p.prefix}${p.hyphenSeq ? '-' : ''}${String(index).padStart(4, '0')}`;
  // short-ULID: 8 Crockford characters, starting with digits like real ones (01KX…)
  return `${p.prefix}-01K${base32((index * 7919 + seed * 104729) % 32 ** 5, 5)}`;
}

/** Lays out every document: type, id, file name, title, status, archive placement. */
function allocate(n: number, seed: number): Slot[] {
  const r = new Rng(seed);
  const slots: Slot[] = [];
  const typed = Math.max(0, n - SINGLETONS.length);
  const counts = apportion(typed, TYPES.map((t) => t.weight));
  const bugSeq = Math.ceil(counts[TYPES.findIndex((t) => t.type === 'bug')] * SEQUENTIAL_SHARE);
  const epicSeq = Math.ceil(counts[TYPES.findIndex((t) => t.type === 'epic')] * SEQUENTIAL_SHARE);
  TYPES.forEach((p, ti) => {
    for (let index = 1; index <= counts[ti]; index++) {
      const id = idFor(p, index, counts[ti], seed);
      const words = titleWords(r);
      let stem: string;
      let title: string;
      let sub = '';
      if (p.type === 'decision') {
        // decision ledgers named after the bug they decide (documents.md §5.4: the folder wins)
        const named = index <= bugSeq && r.chance(0.15) ? `BG${String(index).padStart(4, '0')}` : null;
        stem = named ?? `${String(index).padStart(4, '0')}-${kebab(words)}`;
        title = named ? `Decision ledger: ${named}` : `ADR ${String(index).padStart(4, '0')}: ${sentenceCase(words)}`;
      } else if (p.type === 'persona') {
        const name = PERSONAS[(index - 1) % PERSONAS.length];
        stem = index <= PERSONAS.length ? name : `${name}-${index}`;
        title = `Persona: ${name.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ')}`;
        sub = r.chance(0.7) ? 'seats/' : '';
      } else if (p.type === 'review' && index <= epicSeq && r.chance(0.15)) {
        stem = `EP${String(index).padStart(4, '0')}-remediation-review`;
        title = `Remediation review of EP${String(index).padStart(4, '0')}`;
      } else {
        stem = `${id}-${kebab(words)}`;
        title = `${id}: ${sentenceCase(words)}`;
      }
      let status: string | null = null;
      let archived = false;
      if (p.statuses.length) {
        // older (sequential) artefacts are mostly finished, newer ones spread over the lifecycle
        const old = index <= counts[ti] * SEQUENTIAL_SHARE;
        status = old && r.chance(0.7) ? r.pick(p.terminal) : r.pick(p.statuses);
        archived = p.terminal.includes(status) && r.chance(ARCHIVE_SHARE);
      }
      const rel = `${p.folder}/${archived ? 'archive/' : ''}${sub}${stem}.md`;
      slots.push({ profile: p, index, id, stem, rel, title, status });
    }
  });
  return slots;
}

function indexFile(folder: string, docs: readonly Slot[]): string {
  const lines = [
    `# ${folder[0].toUpperCase()}${folder.slice(1)} Index`,
    '',
    '> Derived registry. Regenerated by sdlc-studio; not a source of truth.',
    '',
    '| ID | Title | Status |',
    '|----|-------|--------|',
  ];
  for (const d of docs) lines.push(`| [${d.id ?? d.stem}](${d.rel.slice(folder.length + 1)}) | ${d.title} | ${d.status ?? '-'} |`);
  return lines.join('\n') + '\n';
}

function singleton(stem: string, title: string, size: number, r: Rng, slots: readonly Slot[]): string {
  const parts = [`# ${title}`, `> **Status:** Approved\n> **Owner:** Darren\n> **Version:** 1.${r.int(9)}\n> **Created:** 2026-02-17`];
  const epics = slots.filter((s) => s.profile.type === 'epic').slice(0, 40);
  if (stem === 'prd' && epics.length) parts.push(`## Feature Inventory\n\n${epics.map((e) => `- [${e.title}](${e.rel})`).join('\n')}`);
  let length = parts.reduce((a, p) => a + p.length + 2, 0);
  const fillers = new Rng(r.int(2 ** 31));
  while (length < size) {
    const s = `## ${sentenceCase(titleWords(fillers))}\n\n${paragraph(fillers)}\n\n${fillerSection(fillers).replace(/^## /, '### ')}`;
    parts.push(s);
    length += s.length + 2;
  }
  return parts.join('\n\n') + '\n';
}

const CONFIG_YAML = `schema_version: 3
profile: full

# Extra status tokens some projects add (documents.md §3)
status_vocab:
  story: [Gated]
  bug: [Needs Info]

provenance:
  enforce: false
  adopt_after: 39
`;

/**
 * Writes a synthetic sdlc-studio folder at `dir` (created; must not exist or be empty).
 * Deterministic: the same `documents` and `seed` give byte-identical files.
 */
export function generateCorpus(dir: string, options: GenerateOptions): GeneratedCorpus {
  const n = Math.floor(options.documents);
  const seed = Math.floor(options.seed ?? 1);
  if (!Number.isFinite(n) || n < 1) throw new Error(`generateCorpus: documents must be a positive integer, got ${options.documents}`);
  const root = path.resolve(dir);
  if (fs.existsSync(root) && fs.readdirSync(root).length) throw new Error(`generateCorpus: ${root} is not empty`);
  const slots = allocate(n, seed);
  const byType = new Map<string, Slot[]>();
  for (const s of slots) {
    const xs = byType.get(s.profile.type) ?? [];
    xs.push(s);
    byType.set(s.profile.type, xs);
  }
  const dirs = new Set<string>([root, path.join(root, '.local')]);
  for (const s of slots) dirs.add(path.dirname(path.join(root, s.rel)));
  for (const d of [...dirs].sort()) fs.mkdirSync(d, { recursive: true });

  let bytes = 0;
  const files: string[] = [];
  const counts: Record<string, number> = {};
  const write = (rel: string, text: string, type: string | null): void => {
    const buf = Buffer.from(text, 'utf8');
    fs.writeFileSync(path.join(root, rel), buf);
    if (type) {
      bytes += buf.length;
      files.push(rel);
      counts[type] = (counts[type] ?? 0) + 1;
    }
  };

  const singles = SINGLETONS.slice(0, Math.min(n, SINGLETONS.length));
  singles.forEach((s, i) => write(`${s.stem}.md`, singleton(s.stem, s.title, s.size, new Rng(seed * 1000003 + i), slots), s.stem));
  slots.forEach((slot, k) => {
    // one generator per document: its bytes depend only on (seed, position), never on the others
    const r = new Rng((seed * 2654435761 + (k + 1) * 40503) >>> 0);
    const p = slot.profile;
    write(slot.rel, renderDocument(slot, byType, r, r.lognormal(p.median, p.p90, p.min, p.max)), p.type);
  });

  for (const p of TYPES) {
    const docs = (byType.get(p.type) ?? []).filter((s) => !s.rel.includes('/archive/'));
    if (docs.length) write(`${p.folder}/_index.md`, indexFile(p.folder, docs), null);
  }
  write('.config.yaml', CONFIG_YAML, null);
  write('.version', '# SDLC Studio Project Version\nschema_version: 3\nupgraded_from: 2\nupgraded_at: 2026-07-11\nskill_version: "4.0.0"\n', null);
  write('.local/review-state.json', JSON.stringify({ seed, documents: n, reviewed: slots.slice(0, 20).map((s) => s.id) }, null, 2), null);
  write('.local/telemetry.jsonl', slots.slice(0, 50).map((s, i) => JSON.stringify({ i, event: 'touch', path: s.rel })).join('\n') + '\n', null);
  write('.local/allocation.lock', '', null);
  return { root, documents: files.length, bytes, byType: counts, files };
}

if (require.main === module) {
  const [dir, count, seed] = process.argv.slice(2);
  if (!dir || !count || !/^\d+$/.test(count) || (seed !== undefined && !/^\d+$/.test(seed))) {
    console.error('usage: tsx bench/generate.ts <dir> <documents> [seed]');
    process.exit(2);
  }
  try {
    const t = performance.now();
    const c = generateCorpus(dir, { documents: Number(count), seed: seed === undefined ? 1 : Number(seed) });
    const ms = performance.now() - t;
    console.log(`${c.documents} documents, ${(c.bytes / 2 ** 20).toFixed(1)} MiB in ${c.root} (${ms.toFixed(0)} ms)`);
    console.log(Object.entries(c.byType).map(([k, v]) => `${k} ${v}`).join(', '));
  } catch (e) {
    console.error(`generate: ${(e as Error).message}`);
    process.exit(1);
  }
}
