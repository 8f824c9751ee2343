// A large sdlc-studio project for the extension-host tests: every common type, both id forms,
// realistic headers (status, epic/story links, owner, priority, points) and bodies of 1–4 KB.
// Deterministic (a seeded generator), so the same size always gives the same files.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Share of each type, by folder and id prefix; stories dominate as in real projects. */
const MIX: { dir: string; prefix: string; share: number; statuses: string[] }[] = [
  { dir: 'epics', prefix: 'EP', share: 0.05, statuses: ['Draft', 'Ready', 'In Progress', 'Done'] },
  { dir: 'stories', prefix: 'US', share: 0.3, statuses: ['Draft', 'Ready', 'Planned', 'In Progress', 'Review', 'Done', 'Blocked'] },
  { dir: 'plans', prefix: 'PL', share: 0.15, statuses: ['Draft', 'In Progress', 'Complete'] },
  { dir: 'test-specs', prefix: 'TS', share: 0.15, statuses: ['Draft', 'Ready', 'Complete'] },
  { dir: 'bugs', prefix: 'BG', share: 0.2, statuses: ['Open', 'In Progress', 'Fixed', 'Verified', "Won't Fix"] },
  { dir: 'change-requests', prefix: 'CR', share: 0.1, statuses: ['Proposed', 'Accepted', 'Rejected'] },
  { dir: 'rfcs', prefix: 'RFC', share: 0.05, statuses: ['Draft', 'Accepted'] },
];

const WORDS = 'widget api sync project status tree index search owner export import cache retry queue token worker thread store folder header story epic plan test bug change request review release deploy metric alert schema migration'.split(' ');

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface GeneratedProject {
  /** The `sdlc-studio/` folder. */
  dir: string;
  /** Documents a full sync stores, per folder. */
  counts: Record<string, number>;
  total: number;
}

/** Writes `total` documents (plus prd.md and trd.md) into `<tmp>/<name>/sdlc-studio`. */
export function generateProject(total: number, name = 'large', seed = 42): GeneratedProject {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const title = () => words(2 + Math.floor(rand() * 4)).replace(/^\w/, (c) => c.toUpperCase());
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lens-gen-')));
  const dir = path.join(root, name, 'sdlc-studio');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'prd.md'), `# Product Requirements\n\n> **Status:** Approved\n\n${words(300)}\n`);
  fs.writeFileSync(path.join(dir, 'trd.md'), `# Technical Requirements\n\n> **Status:** Draft\n\n${words(300)}\n`);
  const counts: Record<string, number> = {};
  let written = 0;
  const rest = total - 2;
  MIX.forEach((t, i) => {
    const n = i === MIX.length - 1 ? rest - written : Math.round(rest * t.share);
    fs.mkdirSync(path.join(dir, t.dir));
    for (let k = 1; k <= n; k++) {
      const id = `${t.prefix}${String(k).padStart(4, '0')}`;
      const heading = title();
      const slug = heading.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      const epic = `EP${String(1 + Math.floor(rand() * Math.max(1, Math.round(rest * MIX[0].share)))).padStart(4, '0')}`;
      const header = [
        `# ${id}: ${heading}`,
        '',
        `> **Status:** ${pick(t.statuses)}`,
        t.prefix === 'EP' ? null : `> **Epic:** [${epic}](../epics/${epic}.md)`,
        `> **Owner:** ${pick(['Alice', 'Bob', 'Chen', 'Dana', 'Eve'])}`,
        `> **Priority:** ${pick(['Low', 'Medium', 'High', 'Critical'])}`,
        t.prefix === 'US' ? `> **Story Points:** ${pick([1, 2, 3, 5, 8, 13])}` : null,
        `> **Created:** 2026-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`,
      ].filter((l) => l !== null);
      const sections = Array.from({ length: 2 + Math.floor(rand() * 4) }, (_, j) => `## Section ${j + 1}\n\n${words(60 + Math.floor(rand() * 120))}\n\n- ${words(8)}\n- ${words(8)}\n`);
      fs.writeFileSync(path.join(dir, t.dir, `${id}-${slug}.md`), `${header.join('\n')}\n\n${sections.join('\n')}`);
    }
    counts[t.dir] = n;
    written += n;
  });
  return { dir, counts, total: written + 2 };
}
