// Step 3 of a run (sync.md §4): walk the sdlc-studio folder and read every candidate file.
// All I/O is async and bounded in parallelism, so the host's event loop is never held for long.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { isCandidateFileName, isSkippedDirName } from '../parse';

// The callback readFile does one stat and one read per small file; fs.promises.readFile reads in
// chunks through a FileHandle and measured 1.5–2× slower on thousands of small documents.
const readFile = promisify(fs.readFile);

export type ManifestEntry =
  | { kind: 'file'; hash: string; bytes: Uint8Array }
  | { kind: 'unreadable'; reason: string };

export interface Collected {
  /** relative POSIX path → entry, in sorted walk order */
  manifest: Map<string, ManifestEntry>;
  /** folders (relative, POSIX) that could not be listed: stored rows under them are kept */
  unlistable: { path: string; reason: string }[];
  config: { yaml: Uint8Array | null; version: Uint8Array | null };
}

export interface CollectOptions {
  signal?: AbortSignal;
  onFile?: (seen: number, total: number) => void;
  concurrency?: number;
}

const errText = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message ?? String(e);

async function readOptional(file: string): Promise<Uint8Array | null> {
  try {
    return await fs.promises.readFile(file);
  } catch {
    return null;
  }
}

/** Lists candidate files (relative paths, sorted walk order), following links but never looping or leaving the root. */
async function walk(root: string, signal: AbortSignal | undefined): Promise<Pick<Collected, 'unlistable'> & { files: string[] }> {
  const rootReal = await fs.promises.realpath(root);
  const files: string[] = [];
  const unlistable: Collected['unlistable'] = [];
  const visited = new Set<string>([rootReal]);

  const visit = async (dirAbs: string, rel: string): Promise<void> => {
    signal?.throwIfAborted();
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dirAbs, { withFileTypes: true });
    } catch (e) {
      unlistable.push({ path: rel, reason: errText(e) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const abs = path.join(dirAbs, entry.name);
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const st = await fs.promises.stat(abs);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // dangling link: nothing to read
        }
      }
      if (isDir) {
        if (isSkippedDirName(entry.name)) continue;
        let real: string;
        try {
          real = await fs.promises.realpath(abs);
        } catch (e) {
          unlistable.push({ path: childRel, reason: errText(e) });
          continue;
        }
        const inside = real === rootReal || real.startsWith(rootReal + path.sep);
        if (!inside || visited.has(real)) continue; // a link out of the root, or a cycle
        visited.add(real);
        await visit(abs, childRel);
      } else if (isFile && isCandidateFileName(entry.name)) {
        files.push(childRel);
      }
    }
  };
  await visit(root, '');
  return { files, unlistable };
}

export async function collect(root: string, opts: CollectOptions = {}): Promise<Collected> {
  const { files, unlistable } = await walk(root, opts.signal);
  const manifest = new Map<string, ManifestEntry>();
  const results: ManifestEntry[] = new Array(files.length);
  let next = 0;
  let seen = 0;
  opts.onFile?.(0, files.length);
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      opts.signal?.throwIfAborted();
      try {
        const bytes = await readFile(path.join(root, ...files[i].split('/')));
        results[i] = { kind: 'file', hash: createHash('sha256').update(bytes).digest('hex'), bytes };
      } catch (e) {
        results[i] = { kind: 'unreadable', reason: errText(e) };
      }
      opts.onFile?.(++seen, files.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 32, files.length) }, worker));
  files.forEach((f, i) => manifest.set(f, results[i]));
  const [yaml, version] = await Promise.all([
    readOptional(path.join(root, '.config.yaml')),
    readOptional(path.join(root, '.version')),
  ]);
  return { manifest, unlistable, config: { yaml, version } };
}
