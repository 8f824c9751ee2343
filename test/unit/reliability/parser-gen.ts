// Seeded generators of hostile markdown documents for the parser fuzz test and its stress variant.
import * as v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseDocument } from '../../../src/core/parse';
import { makeRng, type Rng } from './rng';

const enc = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const BOM = '\ufeff';
const EOLS = ['\n', '\r\n', '\r', '\n\r', '\u2028'];
const PATHS = [
  'stories/US0001-x.md', 'epics/EP0001-e.md', 'bugs/BG01KX95CRQW-u.md', 'prd.md', 'trd.md', 'plans/PL0001-p.md',
  'change-requests/CR0001-c.md', 'x/y/z/unknown.md', 'stories/US0001-x.markdown', 'test-specs/TS0001.md',
  'stories/-.md', 'stories/🚀.md', 'rfcs/RFC-0001-a.md', '.md',
];
const NOISE = [
  '> **Status:** ', '> **Epic:** EP', '> **Story:** [US0001](../stories/US0001-x.md)', '**Owner:** ', '| Field | Value |',
  '|---|---|', '| **Status** | Done |', '---', 'status: Done', '# ', '## ', '<!--', '-->', '```', '> ', '>>', '- [ ] ',
  '**Story Points:** ', 'Depends on: US', '[EP0007](', '](', '\\', '\u0000', '\t', ' - ', 'EP01KX95CRQWXYZ', '# US0001: ',
  '**Priority:** P', '> **Status:** Complete (81/88 — ok)', 'title: "', "'", '{{', '<script>alert(1)</script>', '&amp;',
];

function piece(r: Rng): string {
  switch (r.int(12)) {
    case 0: return r.pick(NOISE) + r.word(r.int(12));
    case 1: return '>'.repeat(r.int(200)) + ' ' + r.pick(NOISE) + r.word(5);
    case 2: return '<!--' + r.word(r.int(300));
    case 3: return '---\n' + `${r.word(4)}: ${r.word(6)}\n`.repeat(r.int(20));
    case 4: return '\u0000'.repeat(r.int(40));
    case 5: return BOM + r.word(r.int(10));
    case 6: return String.fromCodePoint(...Array.from({ length: r.int(30) }, () => r.int(0x2ffff)).filter((c) => c < 0xd800 || c > 0xdfff));
    case 7: return `| ${r.word(5)} | ${r.word(9)} |`;
    case 8: return '#'.repeat(1 + r.int(8)) + ' ' + r.word(r.int(40));
    case 9: return `> **${r.word(r.int(20))}:** ${r.word(r.int(50))}`;
    case 10: return ' '.repeat(r.int(100)) + '`'.repeat(r.int(10));
    default: return r.word(r.int(200));
  }
}

function textDoc(r: Rng): string {
  const lines: string[] = [];
  const n = r.int(r.chance(0.05) ? 2000 : 60);
  for (let i = 0; i < n; i++) lines.push(piece(r));
  const out: string[] = [];
  for (const l of lines) out.push(l, r.chance(0.7) ? '\n' : r.pick(EOLS));
  return (r.chance(0.1) ? BOM : '') + out.join('');
}

function randomBytes(r: Rng): Uint8Array {
  const b = new Uint8Array(r.int(r.chance(0.05) ? 100_000 : 2_000));
  for (let i = 0; i < b.length; i++) b[i] = r.int(256);
  return b;
}

/** Mostly valid-UTF-8 hostile text, some raw random bytes, some text with a few bytes flipped. */
export function* fuzzDocuments(seed: number, count: number): Generator<{ relPath: string; bytes: Uint8Array }> {
  const r = makeRng(seed);
  for (let i = 0; i < count; i++) {
    const relPath = r.pick(PATHS);
    const kind = r.int(10);
    if (kind === 0) {
      yield { relPath, bytes: randomBytes(r) };
    } else if (kind === 1) {
      const b = enc(textDoc(r));
      for (let k = 0; k < 3 && b.length; k++) b[r.int(b.length)] = 0x80 + r.int(0x80);
      yield { relPath, bytes: b };
    } else {
      yield { relPath, bytes: enc(textDoc(r)) };
    }
  }
  // the big ones, once each
  yield { relPath: 'stories/US0001-x.md', bytes: enc('x'.repeat(5_000_000)) };
  yield { relPath: 'stories/US0001-x.md', bytes: enc('> **Status:** ' + 'a'.repeat(5_000_000)) };
}

const fill = (unit: string, size: number): Uint8Array => enc(unit.repeat(Math.ceil(size / Buffer.byteLength(unit))));

export interface Shape {
  name: string;
  make(size: number): Uint8Array;
  runs?: number;
}

/** Shapes that trip naive regexes and line scanners; each scales to any size. */
export function adversarialShapes(): Shape[] {
  return [
    { name: 'one single line', make: (n) => fill('a', n) },
    { name: 'NUL bytes', make: (n) => fill('\u0000', n) },
    { name: 'deep blockquote (>>>>… on one line)', make: (n) => fill('>', n) },
    { name: 'blockquote header-like lines', make: (n) => fill('> **Status:** Done\n', n) },
    { name: 'unclosed HTML comment', make: (n) => enc('<!--' + 'x'.repeat(n)) },
    { name: 'many unclosed comment openers', make: (n) => fill('<!-- ', n) },
    { name: 'frontmatter without end', make: (n) => enc('---\n' + 'key: value\n'.repeat(Math.ceil(n / 11))) },
    { name: 'mixed line endings', make: (n) => fill('a\r\nb\rc\n\r', n) },
    { name: 'header-like noise: "**" runs', make: (n) => fill('**:', n) },
    { name: 'table rows', make: (n) => fill('| **Status** | Done |\n', n) },
    { name: 'spaces then a colon', make: (n) => enc(' '.repeat(n) + ':') },
    { name: 'BOM-prefixed # lines', make: (n) => enc('\ufeff' + '# a\n'.repeat(Math.ceil(n / 4))) },
    { name: 'reference-like ids', make: (n) => fill('EP0001 US0002 [x](../y.md) ', n) },
  ];
}

/** Minimum over `runs` parses, in ms (the minimum strips GC and scheduling noise). */
/** A full GC between samples (V8's gc(), made callable without a command-line flag). */
const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

export function timeParse(bytes: Uint8Array, runs: number): number {
  // CPU time of this process (not wall time), so other work on the machine does not count.
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    collectGarbage(); // a collection left over from the previous sample must not land in this one
    // repeat fast parses until ≥ 20 ms of CPU have passed, so small times are not clock granularity
    let n = 0;
    const t0 = cpuMs();
    let elapsed = 0;
    do {
      parseDocument('stories/US0001-x.md', bytes, null);
      n++;
      elapsed = cpuMs() - t0;
    } while (elapsed < 20);
    best = Math.min(best, elapsed / n);
  }
  return best;
}
