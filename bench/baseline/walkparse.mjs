// The ratio baseline of the whole-process CLI rows (bench/cli.ts): a stand-in for "the original's
// walk+read+parse". The original (SDLC Studio Lens, a Python project) is not in this checkout, so
// this is the least a parser can do, in plain Node with no dependencies: walk the sdlc-studio/
// folder (dot-folders and `_index.md` skipped, as the lens skips them), read every .md file as
// UTF-8, take its title (first `# ` line) and its blockquote header fields (`> **Key:** value`),
// and keep them in memory. No database, no writes. A real parser does more per file, so a ratio
// against this is stricter than against the original's. Prints one JSON line: {"documents": n, "fields": n, "ms": in-process time}.
//   node bench/baseline/walkparse.mjs <sdlc-dir>
import * as fs from 'node:fs';
import * as path from 'node:path';

const t0 = performance.now();
const root = process.argv[2];
const FIELD = /^>\s*\*\*([^*:]+?):?\*\*:?\s*(.*)$/;
const docs = [];
let fields = 0;

function parse(file, rel) {
  const text = fs.readFileSync(file, 'utf8');
  let title = null;
  const header = {};
  let inHeader = false;
  for (const line of text.split('\n')) {
    if (title === null) {
      if (line.startsWith('# ')) title = line.slice(2).trim();
      continue;
    }
    const m = FIELD.exec(line);
    if (m) {
      header[m[1].trim().toLowerCase()] = m[2].trim();
      fields++;
      inHeader = true;
    } else if (inHeader || (line.trim() !== '' && !line.startsWith('>'))) break;
  }
  docs.push({ path: rel, type: rel.split('/')[0], title, header, content: text });
}

function walk(dir, rel) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full, rel + e.name + '/');
    else if (e.isFile() && e.name.endsWith('.md') && e.name !== '_index.md') parse(full, rel + e.name);
  }
}

walk(root, '');
process.stdout.write(JSON.stringify({ documents: docs.length, fields, ms: performance.now() - t0 }) + '\n');
