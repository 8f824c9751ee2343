// Seeded generator of hostile /api/v1 requests (methods, paths, queries, headers, bodies) and a
// raw-socket sender for what node's own HTTP client refuses to put on the wire.
import * as net from 'node:net';
import type { Rng } from './rng';

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Send over a raw socket (bytes node:http would refuse), one connection, then close. */
  raw: boolean;
  /** A body larger than the server's cap: the server may answer 413 and close mid-upload. */
  oversized: boolean;
}

const METHODS = ['GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'POST', 'POST', 'POST', 'PUT', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'get', 'CONNECT', 'PROPFIND', 'X'];
const SEGMENTS = [
  'projects', 'projects', 'projects', 'documents', 'documents', 'sync', 'related', 'system', 'health', 'search', 'stats',
  'health-check', 'harbor', 'harbor', 'story', 'epic', 'prd', 'US0001-browse-rooms-by-floor', 'EP0001-room-directory', 'prd',
  '..', '.', '%2e%2e', '%2E%2E%2F', '..%2f..%2f', '%2f', '%00', '%', '%zz', '%C0%AE', '%c0%af', '~', '', ' ', '%20',
  'etc', 'passwd', '%E2%80%AE', 'é', '%F0%9F%9A%80', '🚀', '<script>', '%3Cscript%3E', "'", '"', ';', '*', '\\', '..\\..',
  'constructor', '__proto__', 'toString', 'NaN', '-1', '0', '99999999999999999999',
];
const QUERY_KEYS = ['type', 'status', 'sort', 'order', 'page', 'per_page', 'q', 'project', 'limit', 'offset', '__proto__', '', 'sort[]'];
const QUERY_VALUES = ['story', 'none', 'title', 'desc', 'asc', '1', '0', '-1', '1e9', 'NaN', '', '%', '%00', '🚀', 'a'.repeat(3000), '1.5', 'updated_at', 'DROP TABLE projects;--', '"', 'widget', 'x*', '<b>'];
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json-patch+json', '', 'application/jsonx', ';'];

function segment(r: Rng): string {
  if (r.chance(0.03)) return 'a'.repeat(1 + r.int(20_000)); // overlong
  if (r.chance(0.05)) return encodeURIComponent(r.word(r.int(30)));
  return r.pick(SEGMENTS);
}

const ROUTES = [
  '/system/health', '/projects', '/projects/:slug', '/projects/:slug/sync', '/projects/:slug/documents',
  '/projects/:slug/documents/:type/:doc_id', '/projects/:slug/documents/:type/:doc_id/related', '/search', '/stats',
  '/projects/:slug/stats', '/projects/:slug/health-check',
];
const GOOD: Record<string, string[]> = {
  slug: ['harbor'], type: ['story', 'epic', 'prd', 'plan', 'test-spec', 'bug'],
  doc_id: ['US0001-browse-rooms-by-floor', 'EP0001-room-directory', 'prd', 'PL0001-browse-rooms-by-floor', 'US-01KZH5A2-badge-in-to-confirm-a-booking', 'BG0001-double-booking-under-load'],
};

function genPath(r: Rng): string {
  if (r.chance(0.6)) {
    let p = '/api/v1' + r.pick(ROUTES).replace(/:(\w+)/g, (_m, name: string) => (r.chance(0.7) ? r.pick(GOOD[name]) : segment(r)));
    if (r.chance(0.5)) p += `?${Array.from({ length: 1 + r.int(4) }, () => `${r.pick(QUERY_KEYS)}=${encodeURIComponent(r.pick(QUERY_VALUES))}`).join('&')}`;
    return p;
  }
  const segs = Array.from({ length: r.int(7) }, () => segment(r));
  const prefix = r.chance(0.85) ? '/api/v1' : r.pick(['', '/api', '/API/v1', '/api/v2', '//api/v1', '/api/v1/', '/..', '/etc/passwd', '/api/v1/../../..']);
  let p = `${prefix}/${segs.join('/')}`;
  if (r.chance(0.4)) {
    const pairs = Array.from({ length: 1 + r.int(5) }, () => `${r.pick(QUERY_KEYS)}=${encodeURIComponent(r.pick(QUERY_VALUES))}`);
    p += `?${pairs.join('&')}${r.chance(0.1) ? '&&=&%' : ''}`;
  }
  return p;
}

function deep(depth: number, open: string, close: string): string {
  return open.repeat(depth) + close.repeat(depth);
}

function jsonValue(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 3 ? 6 : 9)) {
    case 0: return null;
    case 1: return r.int(2) === 0;
    case 2: return r.pick([0, -1, 1e308, 3.5, 2 ** 53 + 1]);
    case 3: return r.word(r.int(40));
    case 4: return r.pick(['', ' ', '../../etc', '/', '/etc', '/tmp', '\u0000', '🚀', 'x'.repeat(300)]);
    case 5: return r.pick(['local', 'github', 'LOCAL']);
    case 6: return Array.from({ length: r.int(4) }, () => jsonValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < r.int(5); i++) o[r.pick(['name', 'sdlc_path', 'source_type', '__proto__', 'constructor', r.word(5)])] = jsonValue(r, depth + 1);
      return o;
    }
  }
}

function genBody(r: Rng, corpus: string): { body?: Buffer; oversized: boolean } {
  switch (r.int(12)) {
    case 0: return { oversized: false };
    case 1: return { body: Buffer.from(JSON.stringify({ name: r.word(1 + r.int(30)), sdlc_path: corpus })), oversized: false };
    case 2: return { body: Buffer.from(deep(1 + r.int(100_000), '[', ']')), oversized: false };
    case 3: return { body: Buffer.from(`{"name":${deep(1 + r.int(50_000), '{"a":', '}').replace(/}$/, '1}')}`), oversized: false };
    case 4: return { body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc0, 0x80, 0x22, 0x3a, 0x31, 0x7d]), oversized: false }; // invalid UTF-8
    case 5: return { body: Buffer.alloc(1024 * 1024 + 1 + r.int(200_000), 0x61), oversized: true };
    case 6: {
      const b = Buffer.alloc(r.int(4000));
      for (let i = 0; i < b.length; i++) b[i] = r.int(256);
      return { body: b, oversized: false };
    }
    case 7: return { body: Buffer.from(r.pick(['', '{', '}', 'null', '[]', '"x"', '1', '{"name":}', '\ufeff{}', '{"name":"a","name":"b"}', 'true'])), oversized: false };
    default: return { body: Buffer.from(JSON.stringify(jsonValue(r))), oversized: false };
  }
}

export function genRequest(r: Rng, port: number, token: string | null, corpus: string): FuzzRequest {
  const headers: Record<string, string> = {};
  const hostRoll = r.int(20);
  if (hostRoll === 0) headers.host = 'evil.example';
  else if (hostRoll === 1) headers.host = `127.0.0.1:${port + 1}`;
  else if (hostRoll === 2) headers.host = `localhost.evil.example:${port}`;
  else if (hostRoll === 3) headers.host = '';
  else headers.host = r.pick([`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]);
  if (r.chance(0.1)) headers.origin = r.pick(['http://evil.example', `http://127.0.0.1:${port}`, 'null', `http://localhost:${port}`, '']);
  if (r.chance(0.5)) headers['content-type'] = r.pick(CONTENT_TYPES);
  if (token !== null) {
    const roll = r.int(10);
    if (roll > 2) headers.authorization = `Bearer ${token}`;
    else if (roll === 1) headers.authorization = r.pick(['Bearer', 'Bearer ', `bearer ${token}x`, `Basic ${token}`, `Bearer ${token} ${token}`, 'Bearer 🚀', `Bearer ${'t'.repeat(8000)}`]);
  }
  if (r.chance(0.05)) headers['x-forwarded-host'] = 'evil.example';
  if (r.chance(0.03)) headers['transfer-encoding'] = 'chunked';
  const { body, oversized } = genBody(r, corpus);
  const method = r.pick(METHODS);
  let path = genPath(r);
  const raw = r.chance(0.08);
  if (raw && r.chance(0.5)) path = path.replace(/\//g, r.pick(['/', '/ ', '/\u00e9', '\\', '/\t'])); // bytes node:http would refuse
  return { method, path, headers, body, raw, oversized };
}

export interface FuzzReply {
  status: number;
  contentType: string | undefined;
  text: string;
}

/** One raw request on its own connection; resolves with the parsed status line, headers and body. */
export function sendRaw(port: number, req: FuzzRequest, timeoutMs: number): Promise<FuzzReply | 'reset'> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms: ${req.method} ${req.path.slice(0, 200)}`));
    }, timeoutMs);
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', () => undefined);
    sock.on('close', () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      const head = all.indexOf('\r\n\r\n');
      if (head === -1) return resolve('reset');
      const lines = all.subarray(0, head).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1] ?? 0);
      const ct = lines.find((l) => /^content-type:/i.test(l))?.replace(/^content-type:\s*/i, '');
      resolve({ status, contentType: ct, text: all.subarray(head + 4).toString('utf8') });
    });
    const headerLines = Object.entries({ ...req.headers, connection: 'close', 'content-length': String(req.body?.length ?? 0) })
      .filter(([k]) => k !== 'transfer-encoding')
      .map(([k, v]) => `${k}: ${v}`);
    sock.write(Buffer.concat([Buffer.from(`${req.method} ${req.path} HTTP/1.1\r\n${headerLines.join('\r\n')}\r\n\r\n`, 'utf8'), req.body ?? Buffer.alloc(0)]));
  });
}
