import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  anthropicMessageFromEvents,
  openAICompletionFromChunks,
  openAIResponseFromEvents,
} from './aggregate.ts';
import { anthropicFrame, OPENAI_DONE_FRAME, openAIFrame, openAIResponsesFrame } from './sse.ts';
import type {
  AnthropicStreamResponse,
  OpenAIResponsesStreamResponse,
  OpenAIStreamResponse,
  RecordedRequest,
  RequestOutcome,
  WireResponse,
  WireServer,
} from './wire-types.ts';

export type WireServerOptions = {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Called once per request, right after its body was read. */
  onRequest?: (request: RecordedRequest) => void;
};

const OPENAI_PATH = '/chat/completions';
const ANTHROPIC_PATH = '/messages';
const OPENAI_RESPONSES_PATH = '/responses';

type StreamResponse = OpenAIStreamResponse | AnthropicStreamResponse | OpenAIResponsesStreamResponse;

export async function startWireServer(options: WireServerOptions = {}): Promise<WireServer> {
  const queue: WireResponse[] = [];
  const requests: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`wire-server internal error: ${String(error)}`);
      } else {
        res.destroy();
      }
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const response = req.method === 'POST' ? takeResponse(queue, path) : undefined;
    const exchange = new Exchange(res);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      headers: normalizeHeaders(req.headers),
      body: parseBody(rawBody),
      rawBody,
      servedWith: response?.kind ?? 'unmatched',
      outcome: 'pending',
      settled: exchange.settled,
    };
    exchange.settled.then((outcome) => {
      record.outcome = outcome;
    });
    requests.push(record);
    options.onRequest?.(record);

    if (response === undefined) {
      sendUnmatched(res, record, queue);
      return;
    }
    if (response.delayMs !== undefined && !(await exchange.wait(response.delayMs))) return;
    if (response.kind === 'status') {
      const isText = typeof response.body === 'string';
      res.writeHead(response.status, {
        'content-type': isText ? 'text/plain' : 'application/json',
        ...response.headers,
      });
      res.end(isText ? response.body : JSON.stringify(response.body ?? {}));
      return;
    }
    const wantsStream = isStreamRequest(record.body);
    if (!wantsStream) {
      await sendAggregated(exchange, response);
      return;
    }
    await sendStream(exchange, response);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address}:${address.port}`;

  return {
    url,
    baseUrlOpenAI: `${url}/v1`,
    baseUrlAnthropic: `${url}/v1`,
    requests,
    enqueue: (...responses) => {
      queue.push(...responses);
    },
    pending: () => [...queue],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Stalled responses would otherwise keep close() waiting forever.
        server.closeAllConnections();
      }),
  };
}

/** Tracks one request/response pair: its final outcome and waits that end early when the client leaves. */
class Exchange {
  readonly res: ServerResponse;
  readonly settled: Promise<RequestOutcome>;
  private failedOnPurpose = false;
  private closedPromise: Promise<void>;

  constructor(res: ServerResponse) {
    this.res = res;
    let onClose: () => void = () => {};
    this.closedPromise = new Promise<void>((resolve) => {
      onClose = resolve;
    });
    this.settled = new Promise<RequestOutcome>((resolve) => {
      res.once('close', () => {
        onClose();
        if (this.failedOnPurpose) resolve('failed');
        else resolve(res.writableFinished ? 'completed' : 'aborted');
      });
    });
  }

  get open(): boolean {
    return !this.res.destroyed && !this.res.writableEnded;
  }

  /** Resolves true after `ms`, or false as soon as the connection closes. */
  async wait(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const elapsed = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), ms);
    });
    const result = await Promise.race([elapsed, this.closedPromise.then(() => false)]);
    clearTimeout(timer);
    return result && this.open;
  }

  write(frame: string): Promise<boolean> {
    if (!this.open) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.res.write(frame, (error) => resolve(error == null));
    });
  }

  fail(): void {
    this.failedOnPurpose = true;
    this.res.destroy();
  }
}

function framesOf(response: StreamResponse): string[] {
  switch (response.kind) {
    case 'openai-stream':
      return [...response.chunks.map(openAIFrame), ...(response.done === false ? [] : [OPENAI_DONE_FRAME])];
    case 'openai-responses-stream':
      return response.events.map(openAIResponsesFrame);
    case 'anthropic-stream':
      return response.events.map(anthropicFrame);
  }
}

async function sendStream(exchange: Exchange, response: StreamResponse): Promise<void> {
  const frames = framesOf(response);
  const requestIdHeader = response.kind === 'anthropic-stream' ? 'request-id' : 'x-request-id';
  exchange.res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    [requestIdHeader]: `req_${randomUUID()}`,
    ...response.headers,
  });
  exchange.res.flushHeaders();

  for (const [index, frame] of frames.entries()) {
    if (index === response.failAfter) return exchange.fail();
    if (index === response.stallAfter) return;
    if (index > 0 && response.chunkDelayMs !== undefined && !(await exchange.wait(response.chunkDelayMs))) {
      return;
    }
    if (!(await exchange.write(frame))) return;
  }
  if (response.failAfter !== undefined && response.failAfter >= frames.length) return exchange.fail();
  if (response.stallAfter !== undefined && response.stallAfter >= frames.length) return;
  exchange.res.end();
}

async function sendAggregated(exchange: Exchange, response: StreamResponse): Promise<void> {
  if (response.stallAfter !== undefined) return;
  if (response.failAfter !== undefined) return exchange.fail();
  const body =
    response.kind === 'openai-stream'
      ? openAICompletionFromChunks(response.chunks)
      : response.kind === 'openai-responses-stream'
        ? openAIResponseFromEvents(response.events)
        : anthropicMessageFromEvents(response.events);
  exchange.res.writeHead(200, { 'content-type': 'application/json', ...response.headers });
  exchange.res.end(JSON.stringify(body));
}

function takeResponse(queue: WireResponse[], path: string): WireResponse | undefined {
  const index = queue.findIndex((response) => matches(response, path));
  if (index === -1) return undefined;
  return queue.splice(index, 1)[0];
}

function matches(response: WireResponse, path: string): boolean {
  if (response.path !== undefined && !path.endsWith(response.path)) return false;
  if (response.kind === 'openai-stream') return path.endsWith(OPENAI_PATH);
  if (response.kind === 'anthropic-stream') return path.endsWith(ANTHROPIC_PATH);
  if (response.kind === 'openai-responses-stream') return path.endsWith(OPENAI_RESPONSES_PATH);
  return true;
}

function sendUnmatched(res: ServerResponse, record: RecordedRequest, queue: WireResponse[]): void {
  const queued = queue.map((response) => response.kind).join(', ') || 'nothing';
  const message = `wire-server: no queued response for ${record.method} ${record.path} (queued: ${queued})`;
  const body = record.path.endsWith(ANTHROPIC_PATH)
    ? { type: 'error', error: { type: 'invalid_request_error', message } }
    : { error: { message, type: 'invalid_request_error', code: 'wire_server_unmatched' } };
  // 400 so clients fail fast instead of retrying into an empty queue.
  res.writeHead(400, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(typeof part === 'string' ? Buffer.from(part) : (part as Buffer));
  return Buffer.concat(parts).toString('utf8');
}

function parseBody(rawBody: string): unknown {
  if (rawBody === '') return undefined;
  try {
    return JSON.parse(rawBody);
  } catch {
    return rawBody;
  }
}

function isStreamRequest(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'stream' in body && body.stream === true;
}

function normalizeHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    result[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}
