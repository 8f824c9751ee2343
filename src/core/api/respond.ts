// JSON responses and the error envelope (api.md §1.1). Every non-2xx body is
// `{"error":{"code","message"}}`; every JSON body is sent as UTF-8 with an explicit length.
import type { ServerResponse } from 'node:http';
import { isLensError, type LensErrorCode } from '../errors';

export type ApiErrorCode =
  | LensErrorCode
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE';

/** An error that already knows its HTTP status; thrown by the router and the handlers. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const INTERNAL_MESSAGE = 'Internal server error';

const LENS_STATUS: Record<LensErrorCode, number> = {
  NOT_FOUND: 404,
  PATH_NOT_FOUND: 400,
  CONFLICT: 409,
  SYNC_IN_PROGRESS: 409,
  TRANSITION_BLOCKED: 409,
  VALIDATION_ERROR: 422,
  DATABASE_UNAVAILABLE: 503,
  DATABASE_TOO_NEW: 503,
  INTERNAL: 500,
};

/** Maps anything thrown to an HttpError; `null` means "unexpected" (the caller logs it and answers 500). */
export function toHttpError(e: unknown): HttpError | null {
  if (e instanceof HttpError) return e;
  if (isLensError(e)) {
    if (e.code === 'INTERNAL') return null;
    return new HttpError(LENS_STATUS[e.code] ?? 500, e.code, e.message);
  }
  return null;
}

export function internalError(): HttpError {
  return new HttpError(500, 'INTERNAL', INTERNAL_MESSAGE);
}

const BASE_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...BASE_HEADERS,
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, BASE_HEADERS);
  res.end();
}

export function sendError(res: ServerResponse, err: HttpError): void {
  sendJson(res, err.status, { error: { code: err.code, message: err.message } }, err.headers);
}
