// Local-server posture (api.md §1.2): DNS-rebinding guard on Host, no cross-origin callers,
// optional bearer token. Checked before routing, so it covers every path.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './respond';

export interface Posture {
  port: number;
  token: string | null;
}

function allowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}` || h === `[::1]:${port}`;
}

function allowedOrigin(origin: string | string[] | undefined, port: number): boolean {
  if (origin === undefined) return true; // not a browser cross-origin request
  if (Array.isArray(origin)) return false;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time comparison: both sides are hashed to 32-byte buffers first. */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

function bearerOf(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  return m ? m[1] : null;
}

/** Throws the 403/401 HttpError a request deserves, or returns when it may proceed. */
export function checkPosture(req: IncomingMessage, posture: Posture): void {
  if (!allowedHost(req.headers.host, posture.port)) {
    throw new HttpError(403, 'FORBIDDEN', 'Host not allowed');
  }
  if (!allowedOrigin(req.headers.origin, posture.port)) {
    throw new HttpError(403, 'FORBIDDEN', 'Cross-origin requests are not allowed');
  }
  if (posture.token) {
    const presented = bearerOf(req.headers.authorization);
    if (presented === null || !tokenMatches(presented, posture.token)) {
      throw new HttpError(401, 'UNAUTHORIZED', 'Missing or invalid bearer token', {
        'WWW-Authenticate': 'Bearer',
      });
    }
  }
}
