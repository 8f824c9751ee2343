// Small sdlc-studio folders written by the search tests: each document exists to make one §6
// bullet of api.md match or not match.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Doc {
  file: string; // relative to sdlc-studio/
  title: string;
  status?: string;
  body: string;
}

export function writeDoc(root: string, d: Doc): void {
  const p = path.join(root, d.file);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  const header = d.status ? `> **Status:** ${d.status}\n> **Owner:** Test\n` : '> **Owner:** Test\n';
  fs.writeFileSync(p, `# ${d.title}\n\n${header}\n${d.body}\n`);
}

export const LONG_FILLER = Array.from({ length: 60 }, (_, i) => `filler${i}`).join(' ');

/** The main test corpus. doc_ids are the file stems. */
export const DOCS: Doc[] = [
  {
    file: 'stories/US0001-api-key-header.md',
    title: 'US0001: API key header',
    status: 'Done',
    body: 'The server reads the API key header on every request. Hives of bees live in an apiary.',
  },
  {
    file: 'stories/US0002-key-rotation.md',
    title: 'US0002: Key rotation',
    status: 'Draft',
    body: 'Rotation of every key api client happens nightly.',
  },
  {
    file: 'epics/EP0001-cafe-ordering.md',
    title: 'EP0001: Café ordering',
    status: 'In Progress',
    body: 'Ordering coffee at the CAFÉ counter. Upload a Résumé too.',
  },
  {
    file: 'stories/US0003-state-column.md',
    title: 'US0003: State column',
    status: 'Done',
    body: 'The database column sync_status holds the state.',
  },
  {
    file: 'stories/US0004-state-words.md',
    title: 'US0004: State words',
    status: 'Draft',
    body: 'People say sync status in plain words; sync-state is hyphenated.',
  },
  {
    file: 'bugs/BG0001-injected-markup.md',
    title: 'BG0001: Injected markup',
    status: 'Open',
    body: 'Pasted <script>alert(1)</script> and <img src=x onerror=alert(1)> into the "title" & it\'s shown.',
  },
  {
    file: 'stories/US0005-zephyr-wind.md',
    title: 'US0005: Zephyr wind',
    status: 'Done',
    body: 'A gentle breeze from the west.',
  },
  {
    file: 'stories/US0006-weather-notes.md',
    title: 'US0006: Weather notes',
    status: 'Done',
    body: 'zephyr zephyr zephyr: the zephyr word many times, zephyr again.',
  },
  {
    file: 'stories/US0007-long-body.md',
    title: 'US0007: Long body',
    body: `${LONG_FILLER} needle in the middle ${LONG_FILLER}`,
  },
];

/** `count` stories that all contain the word `pagingword`, for paging tests. */
export function pagingDocs(count: number): Doc[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(100 + i).padStart(4, '0');
    return { file: `stories/US${n}-paging-${i}.md`, title: `US${n}: Paging ${i}`, status: 'Draft', body: `pagingword number ${i}` };
  });
}

export function writeCorpus(root: string, docs: Doc[] = DOCS): string {
  for (const d of docs) writeDoc(root, d);
  return root;
}

export const stem = (file: string): string => path.basename(file, '.md');
