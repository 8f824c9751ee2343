// Local-server posture (api.md §1.2, revised): DNS-rebinding guard on Host, no cross-origin callers,
// and the token: with one, every request needs it; a mutating request always does, so a server
// started without one serves reads only. Checked before routing, so it covers every path.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
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

/** The token a request presents: `Authorization: Bearer <token>` or `X-SDLC-Lens-Token: <token>`. */
function presentedToken(req: IncomingMessage): string | null {
  const bearer = bearerOf(req.headers.authorization);
  if (bearer !== null) return bearer;
  const own = req.headers['x-sdlc-lens-token'];
  return typeof own === 'string' && own.length > 0 ? own : null;
}

/** The methods of mutating routes. Any other method reaches no handler that changes anything (405). */
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A new API token (CLI `serve` without one, the extension's first start): 32 random bytes, URL-safe. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
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
    const presented = presentedToken(req);
    if (presented === null || !tokenMatches(presented, posture.token)) {
      throw new HttpError(401, 'UNAUTHORIZED', 'Missing or invalid bearer token', {
        'WWW-Authenticate': 'Bearer',
      });
    }
  } else if (MUTATING.has((req.method ?? '').toUpperCase())) {
    throw new HttpError(401, 'UNAUTHORIZED', 'This API server was started without a token, so it serves reads only', {
      'WWW-Authenticate': 'Bearer',
    });
  }
}
