// Request bodies: a hard 1 MB cap (stop reading, answer 413), JSON media type only (415),
// and JSON.parse failures as 422 VALIDATION_ERROR.
import type { IncomingMessage } from 'node:http';
import { HttpError } from './respond';

export const MAX_BODY_BYTES = 1024 * 1024;

function tooLarge(): HttpError {
  return new HttpError(413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${MAX_BODY_BYTES} bytes`, {
    Connection: 'close',
  });
}

/** True for `application/json` with optional parameters (e.g. `; charset=utf-8`), any case. */
export function isJsonMediaType(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(';')[0].trim().toLowerCase() === 'application/json';
}

export function requireJsonMediaType(req: IncomingMessage): void {
  if (!isJsonMediaType(req.headers['content-type'])) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
  }
}

/** Reads the whole body, refusing (before or while reading) anything over `limit` bytes. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (err: Error | null, value?: Buffer): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      if (err) reject(err);
      else resolve(value as Buffer);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.pause(); // stop reading: the connection is closed after the 413
        finish(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish(null, Buffer.concat(chunks, size));
    const onError = (e: Error): void => finish(e);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** Parses a JSON body; malformed text or invalid UTF-8 is a 422. */
export function parseJson(raw: Buffer): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new HttpError(422, 'VALIDATION_ERROR', 'body: invalid UTF-8');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(422, 'VALIDATION_ERROR', 'body: malformed JSON');
  }
}
