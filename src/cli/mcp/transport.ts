// MCP's stdio framing (one JSON-RPC message per line) over stdin/stdout, for `sdlc-lens mcp`. The
// SDK's StdioServerTransport reports a malformed line only to its own onerror (the client never
// hears of it) and closes itself for good on a line over its buffer limit; a server an agent relies
// on must answer both and live on. So this transport answers a line that is not JSON with -32700,
// one that is not a JSON-RPC message with -32600 (echoing its id when it has one), and drops a line
// longer than MAX_LINE_BYTES with -32600, then reads on. Messages are the SDK's own (its schema, its
// serialisation); stdout carries nothing else.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** Longest line read (16 MiB); past it the line is skipped and answered with an error. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;

export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  #chunks: Buffer[] = [];
  #size = 0;
  /** Inside a line that went over MAX_LINE_BYTES: skip to its end. */
  #skipping = false;
  #closed = false;
  #ended = false;
  /** Ids of the requests received and not answered yet. */
  readonly #unanswered = new Set<string | number>();

  constructor(
    private readonly input: NodeJS.ReadableStream = process.stdin,
    private readonly output: NodeJS.WritableStream = process.stdout,
  ) {}

  async start(): Promise<void> {
    this.input.on('data', this.#onData);
    this.input.on('end', this.#onEnd);
    this.input.on('error', this.#onError);
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.#closed) return resolve();
      const done = (): void => {
        if ('id' in message && !('method' in message)) this.#unanswered.delete(message.id as string | number);
        if (this.#ended && this.#unanswered.size === 0) void this.close();
        resolve();
      };
      if (this.output.write(JSON.stringify(message) + '\n')) done();
      else this.output.once('drain', done);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.input.off('data', this.#onData);
    this.input.off('end', this.#onEnd);
    this.input.off('error', this.#onError);
    this.#chunks = [];
    this.onclose?.();
  }

  /** The client closed stdin: no request will come, but those received are answered before closing. */
  readonly #onEnd = (): void => {
    this.#ended = true;
    if (this.#unanswered.size === 0) void this.close();
  };
  readonly #onError = (e: Error): void => this.onerror?.(e);

  readonly #onData = (chunk: Buffer | string): void => {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    for (;;) {
      const nl = buf.indexOf(0x0a);
      if (nl === -1) {
        this.#keep(buf);
        return;
      }
      this.#keep(buf.subarray(0, nl));
      buf = buf.subarray(nl + 1);
      const skipped = this.#skipping;
      const line = skipped ? '' : Buffer.concat(this.#chunks, this.#size).toString('utf8').replace(/\r$/, '');
      this.#chunks = [];
      this.#size = 0;
      this.#skipping = false;
      if (skipped) this.#reject(null, INVALID_REQUEST, `Request too large (over ${MAX_LINE_BYTES} bytes)`);
      else if (line.trim() !== '') this.#line(line);
    }
  };

  #keep(part: Buffer): void {
    if (this.#skipping || part.length === 0) return;
    if (this.#size + part.length > MAX_LINE_BYTES) {
      this.#skipping = true;
      this.#chunks = [];
      this.#size = 0;
      return;
    }
    this.#chunks.push(part);
    this.#size += part.length;
  }

  #line(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.#reject(null, PARSE_ERROR, 'Parse error: the line is not JSON');
      return;
    }
    const parsed = JSONRPCMessageSchema.safeParse(value);
    if (!parsed.success) {
      const id = value && typeof value === 'object' && 'id' in value ? (value as { id: unknown }).id : null;
      this.#reject(typeof id === 'string' || typeof id === 'number' ? id : null, INVALID_REQUEST, 'Invalid Request: not a JSON-RPC 2.0 message');
      return;
    }
    const message = parsed.data;
    if ('method' in message && 'id' in message) this.#unanswered.add(message.id);
    this.onmessage?.(message);
  }

  #reject(id: string | number | null, code: number, message: string): void {
    this.onerror?.(new Error(message));
    // id null is what JSON-RPC 2.0 prescribes when the request's id could not be read
    void this.send({ jsonrpc: '2.0', id, error: { code, message } } as unknown as JSONRPCMessage);
  }
}
