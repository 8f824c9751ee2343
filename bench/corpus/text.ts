// Deterministic text for the synthetic corpus: a seeded PRNG and builders for the prose, tables,
// acceptance criteria and code blocks real sdlc-studio documents are made of. No dependencies.

/** mulberry32: small, fast, good enough for benchmark data; same seed → same sequence. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = (seed ^ 0x9e3779b9) >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Log-normal with the given median and 90th percentile, clamped. */
  lognormal(median: number, p90: number, min: number, max: number): number {
    const u1 = Math.max(this.next(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * this.next());
    const sigma = Math.log(Math.max(p90, median + 1) / median) / 1.2816;
    return Math.round(Math.min(max, Math.max(min, median * Math.exp(sigma * z))));
  }
}

export const NOUNS = [
  'project', 'sync', 'document', 'parser', 'header', 'status', 'epic', 'story', 'index', 'search', 'query',
  'snippet', 'token', 'database', 'image', 'tree', 'view', 'extension', 'window', 'command', 'setting',
  'watcher', 'folder', 'file', 'path', 'hash', 'owner', 'priority', 'estimate', 'dashboard', 'chart',
  'endpoint', 'request', 'response', 'schema', 'migration', 'worker', 'thread', 'queue', 'lock', 'log',
  'record', 'cache', 'page', 'filter', 'badge', 'reviewer', 'persona', 'release', 'pipeline', 'deploy',
  'container', 'proxy', 'route', 'handler', 'error', 'message', 'timeout', 'retry', 'budget', 'metric',
  'report', 'template', 'vocabulary', 'lifecycle', 'artefact', 'workflow', 'handoff', 'charter', 'issue',
  'review', 'verdict', 'critic', 'baseline', 'fixture', 'harness', 'runner', 'token_store', 'sync_status',
  'café', 'naïve', 'résumé', 'Zürich', 'connection', 'credential', 'repository', 'branch', 'commit',
];
export const VERBS = [
  'registers', 'syncs', 'parses', 'stores', 'indexes', 'renders', 'validates', 'rejects', 'retries',
  'reports', 'updates', 'deletes', 'skips', 'resolves', 'links', 'groups', 'sorts', 'pages', 'caches',
  'locks', 'exports', 'imports', 'watches', 'debounces', 'cancels', 'records', 'migrates', 'checks',
];
const ADJ = [
  'stale', 'fresh', 'unchanged', 'large', 'small', 'nested', 'archived', 'legacy', 'incremental', 'atomic',
  'concurrent', 'cold', 'warm', 'partial', 'empty', 'missing', 'duplicate', 'canonical', 'terminal', 'local',
];
const PEOPLE = ['Darren', 'Priya Nair', 'Elena Foss', 'Tomas Reinholt', 'Sam', 'Alex Kim', 'Jordan Lee', 'Mina Okafor', 'Ravi Shah', 'Lena Berg'];
export const PERSONAS = ['elena-foss', 'priya-nair', 'tomas-reinholt', 'sam-ortiz', 'alex-kim', 'jordan-lee', 'mina-okafor'];
export const TITLE_WORDS = [...NOUNS.filter((w) => !/[^a-z]/.test(w)), ...ADJ, 'add', 'fix', 'show', 'make', 'keep', 'handle', 'support', 'move'];

export function person(r: Rng): string {
  return r.pick(PEOPLE);
}

export function date(r: Rng): string {
  return `2026-${String(1 + r.int(12)).padStart(2, '0')}-${String(1 + r.int(28)).padStart(2, '0')}`;
}

export function sentence(r: Rng): string {
  const n1 = r.pick(NOUNS);
  const n2 = r.pick(NOUNS);
  switch (r.int(6)) {
    case 0:
      return `The ${n1} ${r.pick(VERBS)} the ${r.pick(ADJ)} ${n2} before the ${r.pick(NOUNS)} is shown.`;
    case 1:
      return `When a ${r.pick(ADJ)} ${n1} arrives, the ${n2} ${r.pick(VERBS)} it and ${r.pick(VERBS)} the ${r.pick(NOUNS)}.`;
    case 2:
      return `A ${n1} that ${r.pick(VERBS)} every ${n2} must never leave the ${r.pick(NOUNS)} ${r.pick(ADJ)}.`;
    case 3:
      return `Users expect the ${n1} to stay ${r.pick(ADJ)} while the ${n2} ${r.pick(VERBS)} in the background.`;
    case 4:
      return `See \`${n1}_${r.int(10000)}\` for how the ${n2} ${r.pick(VERBS)} a ${r.pick(ADJ)} ${r.pick(NOUNS)}.`;
    default:
      return `This keeps the ${n1} and the ${n2} consistent (${r.pick(ADJ)} case ${1 + r.int(40)}).`;
  }
}

export function paragraph(r: Rng, sentences = 2 + r.int(4)): string {
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) out.push(sentence(r));
  return out.join(' ');
}

export function table(r: Rng, header: readonly string[], rows: number): string {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (let i = 0; i < rows; i++) {
    lines.push(`| ${header.map((_, c) => (c === 0 ? `${header[0].slice(0, 2).toUpperCase()}${i + 1}` : `${r.pick(ADJ)} ${r.pick(NOUNS)}`)).join(' | ')} |`);
  }
  return lines.join('\n');
}

export function codeBlock(r: Rng): string {
  const n = r.pick(NOUNS).replace(/[^a-z_]/g, 'x');
  switch (r.int(3)) {
    case 0:
      return ['```ts', `export function ${n}Of(input: string): number {`, `  const parts = input.split('/');`, `  return parts.length * ${1 + r.int(9)};`, '}', '```'].join('\n');
    case 1:
      return ['```sh', `sdlc-lens sync ./sdlc-studio --json`, `curl -s http://127.0.0.1:7878/api/v1/projects/${n}`, '```'].join('\n');
    default:
      return ['```json', `{ "${n}": ${r.int(1000)}, "status": "${r.pick(ADJ)}", "items": [] }`, '```'].join('\n');
  }
}

export function acceptanceCriteria(r: Rng, count: number): string {
  const out: string[] = ['## Acceptance Criteria', ''];
  for (let i = 1; i <= count; i++) {
    const n = r.pick(NOUNS);
    out.push(
      `### AC${i}: ${n} ${r.pick(VERBS)} ${r.pick(ADJ)} ${r.pick(NOUNS)}`,
      '',
      `- **Given** a ${r.pick(ADJ)} ${n}`,
      `- **When** the user ${r.pick(VERBS).replace(/s$/, '')}s the ${r.pick(NOUNS)}`,
      `- **Then** the ${r.pick(NOUNS)} ${r.pick(VERBS)} the ${r.pick(NOUNS)}`,
      '',
    );
  }
  return out.join('\n');
}

export function checklist(r: Rng, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(`- [${r.chance(0.6) ? 'x' : ' '}] ${sentence(r)}`);
  return out.join('\n');
}

/** A filler section of roughly 300-900 bytes, one of the shapes real documents use. */
export function fillerSection(r: Rng): string {
  const heading = `## ${r.pick(['Context', 'Technical Notes', 'Edge Cases', 'Risks', 'Scope', 'Out of Scope', 'Open Questions', 'Test Notes', 'Implementation Notes', 'Dependencies', 'Revision History'])}`;
  switch (r.int(5)) {
    case 0:
      return `${heading}\n\n${paragraph(r)}\n\n${paragraph(r)}`;
    case 1:
      return `${heading}\n\n${table(r, ['Case', 'Input', 'Expected'], 3 + r.int(5))}`;
    case 2:
      return `${heading}\n\n${paragraph(r, 2)}\n\n${codeBlock(r)}`;
    case 3:
      return `${heading}\n\n${checklist(r, 3 + r.int(4))}`;
    default:
      return `${heading}\n\n${paragraph(r, 3)}\n\n> Note: ${sentence(r)}`;
  }
}
