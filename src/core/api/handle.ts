// One request, start to end: posture → route → media type → body → handler → response.
// Nothing thrown here escapes: unexpected failures are logged and answered 500 INTERNAL.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LensEngine } from '../engine-api';
import { messageOf } from '../errors';
import type { Logger } from '../types';
import { parseJson, readBody, requireJsonMediaType } from './body';
import { checkPosture, type Posture } from './posture';
import { HttpError, internalError, sendEmpty, sendError, sendJson, toHttpError } from './respond';
import type { Router } from './router';

export interface HandlerDeps {
  engine: LensEngine;
  router: Router;
  posture: Posture;
  logger: Logger;
  version?: string;
}

function splitUrl(url: string): { path: string; query: URLSearchParams } {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
  return { path, query };
}

async function dispatch(req: IncomingMessage, res: ServerResponse, deps: HandlerDeps): Promise<void> {
  checkPosture(req, deps.posture);
  const url = req.url ?? '';
  if (!url.startsWith('/')) throw new HttpError(404, 'NOT_FOUND', 'Resource not found');
  const { path, query } = splitUrl(url);
  const { route, params } = deps.router.match(req.method ?? '', path);
  let body: unknown;
  if (route.body === 'json') {
    requireJsonMediaType(req);
    body = parseJson(await readBody(req));
  } else {
    await readBody(req); // tolerated and ignored, but still capped
  }
  const result = await route.handler({ engine: deps.engine, params, query, body, version: deps.version, req });
  if (result.body === undefined) sendEmpty(res, result.status);
  else sendJson(res, result.status, result.body);
}

export async function handleRequest(req: IncomingMessage, res: ServerResponse, deps: HandlerDeps): Promise<void> {
  try {
    await dispatch(req, res, deps);
  } catch (e) {
    let err = toHttpError(e);
    if (!err) {
      deps.logger.error(`API ${req.method} ${req.url}: ${e instanceof Error && e.stack ? e.stack : messageOf(e)}`);
      err = internalError();
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendError(res, err);
    if (err.status === 413) res.once('finish', () => req.socket.destroySoon?.());
  }
}
