import { request } from 'node:http';
import WebSocket from 'ws';
import { api, type Endpoint, type TestUser } from './helpers.ts';

/**
 * Test-only: a tiny dev server (plain node:http, no dependencies) written into a project through
 * the files API, and clients that reach a preview host the way a browser would (Host header),
 * without DNS for `*.localhost`.
 */

export const fixtureServer = String.raw`
import http from 'node:http';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

const port = Number(process.env.PORT);
const page = (body) =>
  '<!doctype html><html><head><title>fixture</title></head><body>' + body + '</body></html>';
const json = (res, value) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://fixture');
  switch (url.pathname) {
    case '/':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(page('<h1 id="greeting">hello from the fixture</h1>'));
    case '/boom':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(page('<h1>boom</h1><script>window.addEventListener("load", function () { throw new Error("boom from the fixture page"); });</script>'));
    case '/headers':
      return json(res, req.headers);
    case '/api/projects':
      return json(res, { fixture: true, path: url.pathname });
    case '/gzip': {
      const html = page('<p>compressible</p>');
      if (String(req.headers['accept-encoding'] ?? '').includes('gzip')) {
        res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
        return res.end(gzipSync(html));
      }
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(html);
    }
    case '/redirect':
      res.writeHead(302, { location: 'http://127.0.0.1:' + port + '/headers' });
      return res.end();
    case '/echo': {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => json(res, { method: req.method, body: Buffer.concat(chunks).toString() }));
      return;
    }
    default:
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('fixture: not found');
  }
});

// A minimal WebSocket echo (RFC 6455, small text frames): enough for an HMR-style socket.
function frame(text) {
  const payload = Buffer.from(text);
  const head = payload.length < 126 ? Buffer.from([0x81, payload.length]) : Buffer.from([0x81, 126, payload.length >> 8, payload.length & 255]);
  return Buffer.concat([head, payload]);
}
server.on('upgrade', (req, socket) => {
  const accept = createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ' + accept + '\r\n\r\n');
  socket.write(frame('hello cookie=' + (req.headers.cookie ?? '')));
  let buffer = Buffer.alloc(0);
  socket.on('error', () => {});
  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= 2) {
      const opcode = buffer[0] & 15;
      const masked = buffer[1] & 128;
      let length = buffer[1] & 127;
      let offset = 2;
      if (length === 126) { if (buffer.length < 4) return; length = buffer.readUInt16BE(2); offset = 4; }
      const maskAt = offset;
      if (masked) offset += 4;
      if (buffer.length < offset + length) return;
      let payload = buffer.subarray(offset, offset + length);
      if (masked) payload = Buffer.from(payload.map((b, i) => b ^ buffer[maskAt + (i % 4)]));
      buffer = buffer.subarray(offset + length);
      if (opcode === 8) return socket.end(Buffer.from([0x88, 0]));
      if (opcode === 1) socket.write(frame('echo:' + payload.toString()));
    }
  });
});

server.listen(port, '127.0.0.1', () => console.log('fixture listening on ' + port));
`;

export async function putFile(user: TestUser, projectId: string, path: string, content: string) {
  const response = await api(user, 'PUT', `/api/projects/${projectId}/files/${path}`, { content });
  if (response.status >= 300) throw new Error(`put ${path}: ${response.status} ${response.text}`);
}

/** Writes the fixture dev server and its aura.json (overridable) into the project. */
export async function writeFixture(
  user: TestUser,
  projectId: string,
  auraJson: Record<string, unknown> = { dev: 'node server.mjs' },
) {
  await putFile(user, projectId, 'server.mjs', fixtureServer);
  await putFile(user, projectId, 'aura.json', JSON.stringify(auraJson));
}

export interface PreviewBody {
  url: string;
  status: string;
  startedAt?: number;
  readyAt?: number;
  exitCode?: number | null;
  error?: string;
  logs?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTP request to the test server's port with `host` as the Host header (what a browser sends). */
export function hostRequest(
  server: Endpoint,
  host: string,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: opts.method ?? 'GET',
        headers: { host, ...opts.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Follows a preview link the way a browser does: the token exchange, then the cookie it sets. */
export async function enterPreview(
  server: Endpoint,
  link: string,
): Promise<{ host: string; cookie: string }> {
  const url = new URL(link);
  const answer = await hostRequest(server, url.host, `${url.pathname}${url.search}`);
  if (answer.status !== 302) throw new Error(`token exchange: ${answer.status} ${answer.body}`);
  const setCookie = answer.headers['set-cookie'];
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (!first) throw new Error('token exchange set no cookie');
  return { host: url.host, cookie: first.split(';')[0]! };
}

export type WsResult = { kind: 'open'; messages: string[] } | { kind: 'rejected'; status: number };

/**
 * Opens a WebSocket on a preview host, sends `send` and collects messages until `expect` of them
 * arrived (or the upgrade is refused).
 */
export function previewSocket(
  server: Endpoint,
  host: string,
  headers: Record<string, string>,
  send: string,
  expect: number,
): Promise<WsResult> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/hmr`, { headers: { host, ...headers } });
    const messages: string[] = [];
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve({ kind: 'rejected', status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.on('open', () => ws.send(send));
    ws.on('message', (data) => {
      messages.push(String(data));
      if (messages.length >= expect) {
        resolve({ kind: 'open', messages });
        ws.close();
      }
    });
    ws.on('error', (error) => reject(error));
  });
}
