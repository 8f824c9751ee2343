// A tiny route table: `/projects/:slug/sync`-style patterns under /api/v1, matched segment by
// segment (each segment URL-decoded on its own). Unknown path → 404; known path, other method → 405.
import type { IncomingMessage } from 'node:http';
import type { LensEngine } from '../engine-api';
import { HttpError } from './respond';

export const API_PREFIX = '/api/v1';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RequestContext {
  engine: LensEngine;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body (only for routes declared with `body: 'json'`). */
  body: unknown;
  version?: string;
  req: IncomingMessage;
}

export interface HandlerResult {
  status: number;
  /** undefined → empty body (e.g. 204). */
  body?: unknown;
}

export interface Route {
  method: Method;
  /** Relative to /api/v1, e.g. `/projects/:slug`. */
  pattern: string;
  /** 'json': Content-Type must be application/json and the body is parsed; 'none': any body is ignored. */
  body: 'json' | 'none';
  handler(ctx: RequestContext): Promise<HandlerResult>;
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

interface Compiled {
  route: Route;
  segments: string[];
}

function splitPattern(pattern: string): string[] {
  return pattern.split('/').slice(1);
}

function matchSegments(pattern: string[], path: string[]): Record<string, string> | null {
  if (pattern.length !== path.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p.startsWith(':')) {
      if (path[i] === '') return null;
      params[p.slice(1)] = path[i];
    } else if (p !== path[i]) {
      return null;
    }
  }
  return params;
}

/** Decodes each segment separately; a malformed escape makes the path unknown. */
function decodeSegments(rawPath: string): string[] | null {
  try {
    return rawPath.split('/').slice(1).map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}

export function notFound(rawPath: string): HttpError {
  const shown = rawPath.length > 200 ? `${rawPath.slice(0, 200)}...` : rawPath;
  return new HttpError(404, 'NOT_FOUND', `Resource not found: ${shown}`);
}

export class Router {
  private readonly table: Compiled[];

  constructor(routes: Route[]) {
    this.table = routes.map((route) => ({ route, segments: splitPattern(route.pattern) }));
  }

  /** Resolves a request path (no query string) to a route or throws 404/405. */
  match(method: string, rawPath: string): Match {
    if (!rawPath.startsWith(`${API_PREFIX}/`)) throw notFound(rawPath);
    const segments = decodeSegments(rawPath.slice(API_PREFIX.length));
    if (!segments) throw notFound(rawPath);
    const allowed: string[] = [];
    for (const { route, segments: pattern } of this.table) {
      const params = matchSegments(pattern, segments);
      if (!params) continue;
      if (route.method === method) return { route, params };
      if (!allowed.includes(route.method)) allowed.push(route.method);
    }
    if (allowed.length === 0) throw notFound(rawPath);
    throw new HttpError(405, 'METHOD_NOT_ALLOWED', `Method ${method} not allowed; use ${allowed.join(', ')}`, {
      Allow: allowed.join(', '),
    });
  }
}
