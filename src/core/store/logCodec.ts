// The payload of a change-log record: the statements of one transaction. Format 2 (written) is
// binary: each distinct SQL text once, then per statement its kind, SQL index and typed params
// (text as UTF-8, byte arrays as they are). A sync's thousands of INSERTs share one SQL text, and a
// document's content (bound as bytes) is copied once, not escaped into JSON. Format 1 (JSON, first
// byte `[`) is still read, so a log written by an earlier version replays.
//   payload   : 0x02 | u32 nSql | nSql × str | u32 nStatements | statements
//   statement : u8 kind (0 run, 1 exec) | u32 sql index | u8 params (0 none, 1 list, 2 named) | params
//   list      : u32 n | n × value          named: u32 n | n × (str key, value)
//   value     : u8 tag: 0 null | 1 f64 | 2 str | 3 bytes (u32 len + bytes) | 4 true | 5 false
//   str       : u32 byte length | UTF-8 bytes
import type { SqlValue } from 'sql.js';

export type Statement = { k: 'run' | 'exec'; sql: string; p?: unknown };

const FORMAT_BINARY = 0x02;
const JSON_START = 0x5b; // '['
const T_NULL = 0;
const T_NUM = 1;
const T_TEXT = 2;
const T_BYTES = 3;
const T_TRUE = 4;
const T_FALSE = 5;

/** A payload sized but not yet written: its byte length and the SQL texts it will list. */
export interface SizedPayload {
  statements: Statement[];
  bytes: number;
  sqls: Map<string, number>;
}

const strBytes = (s: string): number => 4 + Buffer.byteLength(s, 'utf8');

function valueBytes(v: unknown): number {
  if (typeof v === 'string') return 1 + strBytes(v);
  if (v instanceof Uint8Array) return 1 + 4 + v.length;
  if (typeof v === 'number') return 1 + 8;
  return 1; // null, undefined (bound as null), booleans
}

export function paramsBytes(p: unknown): number {
  if (p === undefined || p === null) return 1;
  let n = 1 + 4;
  if (Array.isArray(p)) for (const v of p) n += valueBytes(v);
  else for (const [k, v] of Object.entries(p as Record<string, unknown>)) n += strBytes(k) + valueBytes(v);
  return n;
}

/** First pass: the exact encoded size, and the table of distinct SQL texts. */
export function sizePayload(statements: Statement[]): SizedPayload {
  const sqls = new Map<string, number>();
  let bytes = 1 + 4 + 4;
  for (const s of statements) {
    if (!sqls.has(s.sql)) {
      sqls.set(s.sql, sqls.size);
      bytes += strBytes(s.sql);
    }
    bytes += 1 + 4 + paramsBytes(s.p);
  }
  return { statements, bytes, sqls };
}

/** Second pass: writes the payload into `out` at `at` (exactly `sized.bytes` bytes). */
export function writePayload(sized: SizedPayload, out: Buffer, at: number): void {
  const str = (s: string): void => {
    const n = out.write(s, at + 4, 'utf8');
    out.writeUInt32LE(n, at);
    at += 4 + n;
  };
  const value = (v: unknown): void => {
    if (typeof v === 'string') {
      out[at++] = T_TEXT;
      str(v);
    } else if (v instanceof Uint8Array) {
      out[at++] = T_BYTES;
      out.writeUInt32LE(v.length, at);
      out.set(v, at + 4);
      at += 4 + v.length;
    } else if (typeof v === 'number') {
      out[at++] = T_NUM;
      out.writeDoubleLE(v, at);
      at += 8;
    } else out[at++] = v === true ? T_TRUE : v === false ? T_FALSE : T_NULL;
  };
  out[at++] = FORMAT_BINARY;
  out.writeUInt32LE(sized.sqls.size, at);
  at += 4;
  for (const sql of sized.sqls.keys()) str(sql);
  out.writeUInt32LE(sized.statements.length, at);
  at += 4;
  for (const s of sized.statements) {
    out[at++] = s.k === 'exec' ? 1 : 0;
    out.writeUInt32LE(sized.sqls.get(s.sql)!, at);
    at += 4;
    const p = s.p;
    if (p === undefined || p === null) {
      out[at++] = 0;
    } else if (Array.isArray(p)) {
      out[at++] = 1;
      out.writeUInt32LE(p.length, at);
      at += 4;
      for (const v of p) value(v);
    } else {
      const entries = Object.entries(p as Record<string, unknown>);
      out[at++] = 2;
      out.writeUInt32LE(entries.length, at);
      at += 4;
      for (const [k, v] of entries) {
        str(k);
        value(v);
      }
    }
  }
}

/** SqlValue params as JSON (format 1): byte arrays were written as {"$u8": base64}. */
function decodeJsonParams(_key: string, v: unknown): unknown {
  if (v && typeof v === 'object' && typeof (v as { $u8?: unknown }).$u8 === 'string') {
    return new Uint8Array(Buffer.from((v as { $u8: string }).$u8, 'base64'));
  }
  return v;
}

/** True when the payload is in a format this version does not know (a newer SDLC Lens wrote it). */
export const isUnknownFormat = (body: Uint8Array): boolean =>
  body.length > 0 && body[0] !== JSON_START && body[0] !== FORMAT_BINARY;

/** The statements of a payload (either format). Throws on anything malformed. */
export function decodePayload(body: Buffer): Statement[] {
  if (body.length > 0 && body[0] === JSON_START) {
    const statements = JSON.parse(body.toString('utf8'), decodeJsonParams) as unknown;
    if (!Array.isArray(statements)) throw new Error('not a list of statements');
    return statements as Statement[];
  }
  let at = 0;
  const need = (n: number): void => {
    if (at + n > body.length) throw new Error('truncated payload');
  };
  const u32 = (): number => {
    need(4);
    const v = body.readUInt32LE(at);
    at += 4;
    return v;
  };
  const u8 = (): number => {
    need(1);
    return body[at++]!;
  };
  const str = (): string => {
    const n = u32();
    need(n);
    const s = body.toString('utf8', at, at + n);
    at += n;
    return s;
  };
  const value = (): SqlValue | boolean => {
    const tag = u8();
    switch (tag) {
      case T_NULL:
        return null;
      case T_NUM: {
        need(8);
        const v = body.readDoubleLE(at);
        at += 8;
        return v;
      }
      case T_TEXT:
        return str();
      case T_BYTES: {
        const n = u32();
        need(n);
        const v = new Uint8Array(body.subarray(at, at + n)); // a copy: the log buffer is not kept
        at += n;
        return v;
      }
      case T_TRUE:
        return true;
      case T_FALSE:
        return false;
      default:
        throw new Error(`unknown value tag ${tag}`);
    }
  };
  if (u8() !== FORMAT_BINARY) throw new Error('unknown record format');
  const sqls: string[] = [];
  for (let i = 0, n = u32(); i < n; i++) sqls.push(str());
  const statements: Statement[] = [];
  for (let i = 0, n = u32(); i < n; i++) {
    const kind = u8();
    const sql = sqls[u32()];
    if (sql === undefined || kind > 1) throw new Error('malformed statement');
    const s: Statement = { k: kind === 1 ? 'exec' : 'run', sql };
    const pk = u8();
    if (pk === 1) {
      const list: unknown[] = [];
      for (let j = 0, m = u32(); j < m; j++) list.push(value());
      s.p = list;
    } else if (pk === 2) {
      const named: Record<string, unknown> = {};
      for (let j = 0, m = u32(); j < m; j++) {
        const k = str();
        Object.defineProperty(named, k, { value: value(), enumerable: true, writable: true, configurable: true });
      }
      s.p = named;
    } else if (pk !== 0) throw new Error('malformed params');
    statements.push(s);
  }
  if (at !== body.length) throw new Error('trailing bytes in payload');
  return statements;
}
