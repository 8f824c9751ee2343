import assert from 'node:assert/strict';
import { parseDocument, type ParsedDocument, type StatusVocab } from '../../../src/core/parse';

const enc = new TextEncoder();

/** Parse a text document (UTF-8 encoded) and assert it decoded. */
export function parseText(relPath: string, text: string, vocab: StatusVocab | null = null): ParsedDocument {
  const r = parseDocument(relPath, enc.encode(text), vocab);
  assert.equal(r.ok, true, `expected ${relPath} to parse`);
  if (!r.ok) throw new Error('unreachable');
  return r.doc;
}

export function bytes(...parts: (string | number[])[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === 'string' ? enc.encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
