// Both snippet paths (the ASCII one in snippetAscii.ts and the tokenising one) and the two-pointer
// window choice must give exactly what the first implementation gave (kept below as the reference:
// tokenise everything, try every occurrence's window, count every occurrence in it). Checked on
// thousands of generated texts built to hit the edge cases (matches at the very start and end,
// overlapping and adjacent occurrences, windows wider than the text, markup and entities, `_`
// inside words, accented words), and on every document of the sample and the real corpus.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { escapeHtml, makeSnippet, tokenize, type Token } from '../../../src/core/search';
import { leadingSnippet, tokenizedSnippet } from '../../../src/core/search/snippet';
import { asciiSnippet, findOccurrences, simpleFold } from '../../../src/core/search/snippetAscii';
import { describeShared, LENS, SAMPLE } from '../../support/corpora';

/** The first implementation of makeSnippet, verbatim in behaviour: the reference. */
function referenceSnippet(content: string, words: string[], width = 32): string {
  const tokens: Token[] = tokenize(content);
  if (!tokens.length) return '';
  const hits: number[] = [];
  outer: for (let i = 0; words.length && i + words.length <= tokens.length; i++) {
    for (let j = 0; j < words.length; j++) if (tokens[i + j].norm !== words[j]) continue outer;
    hits.push(i);
  }
  let start = 0;
  if (hits.length) {
    const lastStart = Math.max(0, tokens.length - width);
    let bestCount = -1;
    for (const h of hits) {
      const s = Math.min(lastStart, Math.max(0, h - Math.floor((width - words.length) / 2)));
      let count = 0;
      for (const o of hits) if (o >= s && o + words.length <= s + width) count++;
      if (count > bestCount) {
        start = s;
        bestCount = count;
      }
    }
  }
  const end = Math.min(tokens.length, start + width);
  const marked = new Set<number>();
  for (const h of hits) for (let i = h; i < h + words.length; i++) if (i >= start && i < end) marked.add(i);
  let out = start > 0 ? '...' : '';
  // issue 20: a snippet starts on a word boundary, with the punctuation glued to its first word
  // (`<script>`, not `script>`) when a space or the text's start comes before it
  const gap = content.slice(start > 0 ? tokens[start - 1].end : 0, tokens[start].start);
  const lead = /\S*$/.exec(gap)![0];
  const before = tokens[start].start - lead.length;
  if (before === 0 || /\s/.test(content[before - 1])) out += escapeHtml(lead);
  for (let i = start; i < end; i++) {
    const t = tokens[i];
    if (i > start) out += escapeHtml(content.slice(tokens[i - 1].end, t.start).replace(/\s+/g, ' '));
    const word = escapeHtml(content.slice(t.start, t.end));
    out += marked.has(i) ? `<mark>${word}</mark>` : word;
  }
  if (end < tokens.length) return out + '...';
  return out + escapeHtml(content.slice(tokens[end - 1].end).replace(/\s+/g, ' ').trimEnd());
}

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['api', 'API', 'Api', 'key', 'KEY', 'the', 'a', 'sync', 'sync_status', 'x2', '42', 'apiary', 'keys', '_'];
const ACCENTED = ['Café', 'CAFÉ', 'naïve', 'cafe\u0301', 'ΟΔΟΣ', 'οδος', 'İstanbul', 'istanbul', 'ﬁle', 'x²', '東京', '𝐀pi', 'Ærø'];
const GAPS = [' ', ' ', ' ', '  ', '\n', '\n\n', '. ', ', ', '-', ' <', '> ', ' & ', '"', "'", ' — ', '→', '\t', '|', '*'];
const QUERY_WORDS = ['api', 'key', 'the', 'a', 'sync', 'sync_status', 'x2', '42', 'apiary', 'status', 'nothing', 'café', 'naive', 'οδος', 'istanbul', 'ﬁle', 'x²', '東京', 'aero', 'ærø'];

function text(r: () => number): string {
  const n = Math.floor(r() * 90);
  const accented = r() < 0.25;
  let s = r() < 0.3 ? GAPS[Math.floor(r() * GAPS.length)] : '';
  for (let i = 0; i < n; i++) {
    const pool = accented && r() < 0.1 ? ACCENTED : WORDS;
    s += pool[Math.floor(r() * pool.length)] + GAPS[Math.floor(r() * GAPS.length)];
  }
  return r() < 0.5 ? s.trimEnd() : s;
}

const norms = (q: string): string[] => tokenize(q).map((t) => t.norm);

/** Every markdown file under `dir`: common, rare and absent phrases, and phrases cut from the text. */
function checkCorpus(dir: string): void {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.md')) files.push(p);
    }
  };
  walk(dir);
  const r = rng(3);
  let fast = 0;
  for (const f of files) {
    const t = fs.readFileSync(f, 'utf8');
    const tokens = tokenize(t);
    if (simpleFold(t) !== null) fast++;
    const queries = ['the', 'sync status', 'project', 'nosuchword'];
    for (let k = 0; k < 4 && tokens.length; k++) {
      const at = Math.floor(r() * tokens.length);
      queries.push(tokens.slice(at, at + 1 + Math.floor(r() * 3)).map((x) => x.norm).join(' '));
    }
    for (const q of queries) assert.equal(makeSnippet(t, norms(q)), referenceSnippet(t, norms(q)), `${f}: ${q}`);
  }
  assert.ok(files.length > 10 && fast > files.length / 2, `the fast path served ${fast} of ${files.length} documents`);
}

describe('search snippets: both paths equal the reference', () => {
  it('the fast path applies when the text folds one UTF-16 unit for one', () => {
    assert.equal(simpleFold('Plain TEXT — with → symbols… and “quotes” 😀'), 'plain text — with → symbols… and “quotes” 😀');
    assert.equal(simpleFold('Café NAÏVE x² 東京 ﬁle'), 'cafe naive x² 東京 ﬁle');
    for (const t of ['e\u0301', '𝐀', 'İstanbul', 'ΟΔΟΣ', '한']) assert.equal(simpleFold(`a ${t} b`), null, t);
  });

  it('finds whole-token, consecutive, case-folded occurrences (as token indexes), overlapping ones included', () => {
    const t = 'API key; apikey api-KEY api_key a a a';
    assert.deepEqual(findOccurrences(t, ['api', 'key']), [0, 3]);
    assert.deepEqual(findOccurrences(t, ['a', 'a']), [6, 7]);
    assert.deepEqual(findOccurrences(t, ['api_key']), [5]);
    assert.deepEqual(findOccurrences(t, ['cafe']), []);
    assert.deepEqual(findOccurrences('a Café', ['cafe']), [1], 'accents fold');
    assert.equal(findOccurrences('a cafe\u0301', ['cafe']), null, 'a combining mark: the general path');
  });

  it('agrees on 20,000 generated texts, queries and window widths', () => {
    const r = rng(9);
    let foldedFast = 0;
    let general = 0;
    for (let i = 0; i < 20_000; i++) {
      const t = text(r);
      const q = Array.from({ length: 1 + Math.floor(r() * 3) }, () => QUERY_WORDS[Math.floor(r() * QUERY_WORDS.length)]).join(' ');
      const width = [32, 32, 1, 2, 3, 5, 8][Math.floor(r() * 7)];
      const words = norms(q);
      assert.equal(makeSnippet(t, words, width), referenceSnippet(t, words, width), JSON.stringify({ t, q, width }));
      if (/[^\x00-\x7f]/.test(t.replace(/[—→…]/g, ''))) {
        if (simpleFold(t) === null) general++;
        else foldedFast++;
      }
    }
    assert.ok(foldedFast > 200 && general > 200, `accented texts: ${foldedFast} on the fast path, ${general} on the general one`);
  });

  it('nothing to mark (a filter-only search): the snippet from a head of the content equals the whole content\'s', () => {
    const r = rng(11);
    for (let i = 0; i < 20_000; i++) {
      // up to ~2,000 words, so heads of every size (16 × width and up) are cut inside and beyond the text
      const t = Array.from({ length: 1 + Math.floor(r() * (i % 10 === 0 ? 25 : 3)) }, () => text(r)).join(GAPS[Math.floor(r() * GAPS.length)]);
      const width = [32, 32, 1, 2, 3, 5, 8][Math.floor(r() * 7)];
      assert.equal(leadingSnippet(t, width), referenceSnippet(t, [], width), JSON.stringify({ t: t.slice(0, 200), width }));
      assert.equal(makeSnippet(t, [], width), referenceSnippet(t, [], width));
    }
    const long = 'word '.repeat(50_000);
    assert.equal(leadingSnippet(long), referenceSnippet(long, []));
    assert.equal(leadingSnippet('---- |||| '.repeat(500) + 'a b'), referenceSnippet('---- |||| '.repeat(500) + 'a b', []), 'a head of punctuation only');
  });

  it('agrees on every document of the sample project, for words taken from it', () => checkCorpus(SAMPLE));

  it('query-language terms (several terms, prefixes): the fast path equals the general one on 20,000 texts', () => {
    const r = rng(21);
    const pick = () => {
      const w = norms(QUERY_WORDS[Math.floor(r() * QUERY_WORDS.length)])[0];
      return r() < 0.4 && w.length > 2 ? `${w.slice(0, 2 + Math.floor(r() * (w.length - 2)))}*` : w;
    };
    let marked = 0;
    for (let i = 0; i < 20_000; i++) {
      const t = text(r);
      if (simpleFold(t) === null) continue;
      const terms = Array.from({ length: 1 + Math.floor(r() * 3) }, () => Array.from({ length: 1 + Math.floor(r() * 2) }, pick));
      const width = [32, 32, 1, 2, 3, 5, 8][Math.floor(r() * 7)];
      const fast = asciiSnippet(t, terms, width, { escape: escapeHtml, markOpen: '<mark>', markClose: '</mark>', ellipsis: '...' });
      if (fast === null) continue; // a phrase longer than the window: the general path alone
      assert.equal(fast, tokenizedSnippet(t, terms, width), JSON.stringify({ t, terms, width }));
      if (fast?.includes('<mark>')) marked++;
    }
    assert.ok(marked > 1000, `${marked} snippets had a mark`);
  });

  it('a prefix marks every token it starts; several terms are all marked; the snippet starts on a word boundary', () => {
    assert.equal(makeSnippet('Reconcile the reconciled RECONCILIATION now', [['reconc*']]), '<mark>Reconcile</mark> the <mark>reconciled</mark> <mark>RECONCILIATION</mark> now');
    assert.equal(makeSnippet('sync then the status', [['sync'], ['status']]), '<mark>sync</mark> then the <mark>status</mark>');
    const long = `${Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ')} <script>alert(1)</script> tail`;
    const s = makeSnippet(long, [['alert']], 4);
    assert.ok(s.startsWith('...&lt;script&gt;'), s);
    assert.ok(makeSnippet('on 2026-01-27 we met', [['27']], 2).startsWith('...<mark>27</mark>'), 'a `-` inside a word is not glued on');
  });
});

describeShared('search snippets: both paths on the real corpus', () => {
  it('agrees on every document of corpus/lens, for words taken from it', function () {
    this.timeout(60_000);
    checkCorpus(LENS);
  });
});
