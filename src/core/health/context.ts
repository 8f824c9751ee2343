// What the health rules share about one set of documents: the documents in file order, grouped by
// type, their keys, resolved references and terminal states. It depends on the documents only (not
// on "now" or the disabled rules), so a frozen document list (the engine's per-process memo,
// inputs.ts) keeps its context between runs: same documents, same facts, same findings.
import { canonicalStatus, isTerminal } from '../parse';
import { docKey, refKey, timestampMs } from './docs';
import type { HealthDoc } from './types';

/** Code-unit order of file paths: deterministic whatever order the rows came in. */
const byFilePath = (a: HealthDoc, b: HealthDoc): number => (a.file_path < b.file_path ? -1 : a.file_path > b.file_path ? 1 : 0);

/** Memoises `fn` over its (string) argument; lookups of the same value repeat across documents and rules. */
function memo<K, V>(fn: (k: K) => V): (k: K) => V {
  const m = new Map<K, V>();
  return (k) => {
    let v = m.get(k);
    if (v === undefined && !m.has(k)) {
      v = fn(k);
      m.set(k, v);
    }
    return v as V;
  };
}

export class RuleContext {
  /** Every document, in file_path order. */
  readonly docs: readonly HealthDoc[];
  readonly stories: HealthDoc[] = [];
  readonly epics: HealthDoc[] = [];
  readonly plans: HealthDoc[] = [];
  readonly testSpecs: HealthDoc[] = [];
  /** key(d) of every document. */
  readonly keys = new Set<string>();
  private readonly keyOf = new Map<HealthDoc, string>();
  private readonly terminalByType = new Map<string, (status: string) => boolean>();
  /** refKey memoised (the same references repeat across documents and rules). */
  readonly ref: (v: string | null) => string | null = memo((v: string | null) => (v === null ? null : refKey(v)));
  /** Milliseconds of a stored timestamp (all rows of one sync share theirs). */
  readonly timeMs: (iso: string) => number = memo(timestampMs);
  private readonly canonical = new Map<string, (status: string | null) => string | null>();
  private byEpic: Map<string, HealthDoc[]> | undefined;

  constructor(documents: readonly HealthDoc[]) {
    this.docs = [...documents].sort(byFilePath);
    for (const d of this.docs) {
      const k = docKey(d);
      this.keyOf.set(d, k);
      this.keys.add(k);
      if (d.doc_type === 'story') this.stories.push(d);
      else if (d.doc_type === 'epic') this.epics.push(d);
      else if (d.doc_type === 'plan') this.plans.push(d);
      else if (d.doc_type === 'test-spec') this.testSpecs.push(d);
    }
  }

  /** §2 key(d). */
  key(d: HealthDoc): string {
    return this.keyOf.get(d) ?? docKey(d);
  }

  terminal(type: string, status: string | null): boolean {
    if (status === null) return false;
    let t = this.terminalByType.get(type);
    if (!t) {
      t = memo((s: string) => isTerminal(type, s));
      this.terminalByType.set(type, t);
    }
    return t(status);
  }

  /** `canonicalStatus(status, type)`, memoised per type. */
  canonicalStatus(type: string, status: string | null): string | null {
    let c = this.canonical.get(type);
    if (!c) {
      c = memo((s: string | null) => canonicalStatus(s, type));
      this.canonical.set(type, c);
    }
    return c(status);
  }

  /** §2 active story: not terminal (null status counts as active). */
  activeStory(d: HealthDoc): boolean {
    return !this.terminal('story', d.status);
  }

  /** refKey(story.epic) → its stories, in document order. */
  storiesByEpic(): Map<string, HealthDoc[]> {
    if (!this.byEpic) {
      this.byEpic = new Map();
      for (const s of this.stories) {
        const k = this.ref(s.epic);
        if (k === null) continue;
        const list = this.byEpic.get(k);
        if (list) list.push(s);
        else this.byEpic.set(k, [s]);
      }
    }
    return this.byEpic;
  }

  refKeys(docs: readonly HealthDoc[], field: 'epic' | 'story'): Set<string> {
    const out = new Set<string>();
    for (const d of docs) {
      const k = this.ref(d[field]);
      if (k !== null) out.add(k);
    }
    return out;
  }
}

/** Contexts of frozen document lists (nothing can change them, so their facts stay true). */
const kept = new WeakMap<readonly HealthDoc[], RuleContext>();

/**
 * The context of `documents`. A frozen list of frozen documents keeps its context for later runs
 * (held weakly: it goes when the list goes); any other list gets a fresh one.
 */
export function contextOf(documents: readonly HealthDoc[]): RuleContext {
  const keep = Object.isFrozen(documents) && documents.every((d) => Object.isFrozen(d));
  if (!keep) return new RuleContext(documents);
  let ctx = kept.get(documents);
  if (!ctx) {
    ctx = new RuleContext(documents);
    kept.set(documents, ctx);
  }
  return ctx;
}
