// The /api/v1 REST server on node:http, bound to 127.0.0.1 only. Used by `sdlc-lens serve`
// and (optionally) by the extension, each with its own engine; close() never closes the engine.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { LensEngine } from '../engine-api';
import { LensError } from '../errors';
import { silentLogger, type Logger } from '../types';
import { handleRequest } from './handle';
import { API_PREFIX, Router } from './router';
import { apiRoutes } from './routes';

export interface ApiServerOptions {
  engine: LensEngine;
  /** 0 picks a free port. */
  port: number;
  /** When set, every request needs `Authorization: Bearer <token>`. */
  token?: string | null;
  logger?: Logger;
  /** Overrides the version reported by GET /system/health. */
  version?: string;
}

export interface ApiServer {
  port: number;
  /** http://127.0.0.1:PORT/api/v1 */
  url: string;
  /** Stops accepting, lets in-flight requests answer (briefly), ends keep-alive connections. */
  close(): Promise<void>;
}

export const HOST = '127.0.0.1';
const CLOSE_GRACE_MS = 3000;

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      const why = e.code === 'EADDRINUSE' ? `port ${port} is already in use` : e.message;
      reject(new LensError('VALIDATION_ERROR', `Cannot start the API server: ${why}`));
    };
    const onListening = (): void => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host: HOST, port, exclusive: true });
  });
}

/** A whole HTTP/1.1 answer carrying the error envelope, for sockets node:http hands over raw. */
function rawErrorResponse(status: number, reason: string, code: string, message: string): string {
  const body = JSON.stringify({ error: { code, message } });
  return (
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw new LensError('VALIDATION_ERROR', `Invalid port: ${opts.port}`);
  }
  const logger = opts.logger ?? silentLogger;
  const router = new Router(apiRoutes);
  const posture = { port: opts.port, token: opts.token || null };
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let closing: Promise<void> | null = null;
  let drained: (() => void) | null = null;

  // requireHostHeader off: a request without Host reaches checkPosture and gets the 403 envelope,
  // not node's bare 400 with an empty body.
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    inFlight++;
    if (closing) res.setHeader('Connection', 'close');
    res.once('close', () => {
      inFlight--;
      if (closing) server.closeIdleConnections();
      if (inFlight === 0) drained?.();
    });
    void handleRequest(req, res, { engine: opts.engine, router, posture, logger, version: opts.version });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => {
    if (!socket.writable) return void socket.destroy();
    socket.end(rawErrorResponse(400, 'Bad Request', 'BAD_REQUEST', 'Malformed HTTP request'));
  });
  // node:http drops a CONNECT request's connection unanswered when nobody listens for it.
  server.on('connect', (_req, socket: Socket) => {
    if (!socket.writable) return void socket.destroy();
    socket.end(rawErrorResponse(405, 'Method Not Allowed', 'METHOD_NOT_ALLOWED', 'Method CONNECT not allowed'));
  });

  const port = await listen(server, opts.port);
  posture.port = port;
  const url = `http://${HOST}:${port}${API_PREFIX}`;
  logger.info(`API server listening on ${url}`);

  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      const done = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      const idle = inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => (drained = r));
      const grace = new Promise<void>((r) => setTimeout(r, CLOSE_GRACE_MS).unref());
      void Promise.race([idle, grace]).then(() => {
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
        void done.then(() => {
          logger.info('API server stopped');
          resolve();
        });
      });
    });
    return closing;
  };

  return { port, url, close };
}
