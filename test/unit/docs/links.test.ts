// Every link of the repository's own docs resolves inside the repository (issue 19): relative files
// exist (no `../shared`, nothing outside the checkout) and `#anchors` name a heading of their target,
// as GitHub renders them. Images too.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../support/corpora';

function docFiles(): string[] {
  const out = ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', 'BENCHMARKS.md', 'RELIABILITY.md', 'sample/README.md'].filter((f) =>
    fs.existsSync(path.join(REPO_ROOT, f)),
  );
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.md')) out.push(rel);
    }
  };
  walk('docs');
  return out;
}

/** GitHub's heading anchor: lower case, punctuation dropped (except - and _), spaces to -. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = fs.readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of text.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = anchorOf(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

function linksOf(file: string): string[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
}

describe('docs: every link resolves inside the repository', () => {
  const files = docFiles();
  it('finds the docs', () => {
    assert.ok(files.includes('README.md'));
    assert.ok(files.some((f) => f.startsWith('docs/')), 'docs/ has pages');
  });
  for (const file of files) {
    it(file, () => {
      const broken: string[] = [];
      for (const link of linksOf(file)) {
        if (/^(https?:|mailto:|command:|vscode:)/.test(link)) continue;
        const [target, anchor] = link.split('#');
        const abs = target ? path.resolve(REPO_ROOT, path.dirname(file), decodeURIComponent(target)) : path.join(REPO_ROOT, file);
        const rel = path.relative(REPO_ROOT, abs);
        if (rel.startsWith('..') || path.isAbsolute(rel)) {
          broken.push(`${link} (outside the repository)`);
          continue;
        }
        if (!fs.existsSync(abs)) {
          broken.push(`${link} (no such file)`);
          continue;
        }
        if (anchor && abs.endsWith('.md') && !anchorsOf(abs).has(anchor)) broken.push(`${link} (no heading #${anchor})`);
      }
      assert.deepEqual(broken, [], `${file} has broken links`);
    });
  }
});
