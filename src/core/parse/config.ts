// Root config files `.config.yaml` and `.version` (documents.md §3).

import { createHash } from 'node:crypto';
import { isMap, isScalar, isSeq, parseDocument as parseYaml } from 'yaml';
import { decodeText } from './decode';

/** The project's `status_vocab`: `{doc_type: [extra status tokens]}`. */
export type StatusVocab = Record<string, string[]>;

export interface SourceConfig {
  schema_version: string | null;
  profile: string | null;
  status_vocab: StatusVocab | null;
}

type YamlMap = ReturnType<typeof asMap>;

/** The top-level mapping of a YAML file, or null when absent/undecodable/invalid/not a mapping. */
function asMap(bytes: Uint8Array | null) {
  if (!(bytes instanceof Uint8Array)) return null;
  const text = decodeText(bytes);
  if (text === null || text.trim() === '') return null;
  try {
    const doc = parseYaml(text, { prettyErrors: false, uniqueKeys: false });
    if (doc.errors.length > 0) return null;
    return isMap(doc.contents) ? doc.contents : null;
  } catch {
    return null;
  }
}

/** A scalar as a string: numbers keep their written form (`3.0` stays `3.0`); null/collections → null. */
function scalarText(node: unknown): string | null {
  if (!isScalar(node)) return null;
  const v = node.value;
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') {
    const src = (node as { source?: unknown }).source;
    return typeof src === 'string' && src !== '' ? src : String(v);
  }
  return v instanceof Date ? v.toISOString() : null;
}

function getText(map: YamlMap, key: string): string | null {
  if (map === null) return null;
  try {
    return scalarText(map.get(key, true));
  } catch {
    return null;
  }
}

function readVocab(map: YamlMap): StatusVocab | null {
  if (map === null) return null;
  let node: unknown;
  try {
    node = map.get('status_vocab', true);
  } catch {
    return null;
  }
  if (!isMap(node)) return null;
  const out: [string, string[]][] = [];
  for (const pair of node.items) {
    const key = scalarText(pair.key);
    // Entries whose value is not a list are dropped; tokens are coerced to strings.
    if (key === null || !isSeq(pair.value)) continue;
    const tokens: string[] = [];
    for (const item of pair.value.items) {
      const t = scalarText(item)?.trim();
      if (t) tokens.push(t);
    }
    out.push([key, tokens]);
  }
  return out.length > 0 ? Object.fromEntries(out) : null;
}

/**
 * Read `.config.yaml` and `.version` (either may be null). `schema_version`/`profile` come from
 * `.config.yaml`, falling back to `.version` when the key is absent or null. Never throws.
 */
export function readSourceConfig(configYaml: Uint8Array | null, versionFile: Uint8Array | null): SourceConfig {
  try {
    const config = asMap(configYaml);
    const version = asMap(versionFile);
    return {
      schema_version: getText(config, 'schema_version') ?? getText(version, 'schema_version'),
      profile: getText(config, 'profile') ?? getText(version, 'profile'),
      status_vocab: readVocab(config),
    };
  } catch {
    return { schema_version: null, profile: null, status_vocab: null };
  }
}

/**
 * A stable fingerprint of a status vocabulary (hex SHA-256 of a canonical form): independent of
 * key order, sensitive to token order. '' for null or when no type has any token.
 */
export function statusVocabFingerprint(vocab: StatusVocab | null): string {
  if (vocab === null || typeof vocab !== 'object') return '';
  const entries: [string, string[]][] = [];
  for (const key of Object.keys(vocab).sort()) {
    const list = vocab[key];
    if (!Array.isArray(list)) continue;
    const tokens = list.filter((t): t is string => typeof t === 'string');
    if (tokens.length > 0) entries.push([key, tokens]);
  }
  if (entries.length === 0) return '';
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}
