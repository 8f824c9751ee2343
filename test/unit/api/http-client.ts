// Raw HTTP client for the black-box tests: node:http so Host/Origin/Content-Type are fully controllable.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** An object is sent as JSON with Content-Type application/json (unless headers say otherwise). */
  body?: unknown;
  /** Raw body bytes/text, sent as given. */
  raw?: string | Buffer;
}

export function call(port: number, method: string, path: string, opts: RequestOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { host: `127.0.0.1:${port}`, connection: 'close', ...opts.headers };
  let payload: Buffer | undefined;
  if (opts.raw !== undefined) payload = Buffer.from(opts.raw);
  else if (opts.body !== undefined) {
    payload = Buffer.from(JSON.stringify(opts.body));
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  if (payload) headers['content-length'] = String(payload.length);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** A small bound client for one server. */
export function clientFor(port: number, defaults: Record<string, string> = {}) {
  const go = (method: string, path: string, opts: RequestOptions = {}) =>
    call(port, method, `/api/v1${path}`, { ...opts, headers: { ...defaults, ...opts.headers } });
  return {
    get: (path: string, opts?: RequestOptions) => go('GET', path, opts),
    post: (path: string, body?: unknown, opts?: RequestOptions) => go('POST', path, { ...opts, body }),
    put: (path: string, body?: unknown, opts?: RequestOptions) => go('PUT', path, { ...opts, body }),
    del: (path: string, opts?: RequestOptions) => go('DELETE', path, opts),
    raw: go,
  };
}

export type Client = ReturnType<typeof clientFor>;
