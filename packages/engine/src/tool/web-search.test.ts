import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestWorkspace, type TestWorkspace } from './test-utils.ts';
import { webSearchTool } from './web-search.ts';

const KEY = 'sk-search-key-123';
let server: Server;
let base: string;
let requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
let mode: 'ok' | 'unauthorized' | 'echo-key' | 'bad-json' = 'ok';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.setHeader('content-type', 'application/json');
      if (mode === 'unauthorized') {
        res.statusCode = 401;
        res.end(JSON.stringify({ error: `invalid key ${KEY}` }));
        return;
      }
      if (mode === 'bad-json') {
        res.end('<html>oops</html>');
        return;
      }
      if (req.url?.startsWith('/res/v1/web/search')) {
        res.end(
          JSON.stringify({
            type: 'search',
            web: {
              results: [
                {
                  title: 'Zod <strong>4</strong> docs',
                  url: 'https://zod.dev',
                  description: 'TypeScript-first &amp; schema <strong>validation</strong>',
                },
                {
                  title: 'Zod on GitHub',
                  url: 'https://github.com/colinhacks/zod',
                  description: 'Source code',
                },
              ],
            },
          }),
        );
      } else if (req.url === '/search' && req.method === 'POST') {
        res.end(
          JSON.stringify({
            query: 'zod',
            answer: null,
            results: [
              {
                title: 'Zod',
                url: 'https://zod.dev',
                content: 'Schema validation with static type inference',
                score: 0.9,
              },
            ],
          }),
        );
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let ws: TestWorkspace;
beforeEach(() => {
  ws = createTestWorkspace();
  requests = [];
  mode = 'ok';
});
afterEach(() => ws.cleanup());

describe('web_search', () => {
  it('queries Brave and formats the results', async () => {
    const result = await ws.run(
      webSearchTool,
      { query: 'zod 4 & schemas' },
      {
        webSearch: { provider: 'brave', apiKey: KEY, baseUrl: base },
      },
    );
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toBe(
      [
        'Web results for "zod 4 & schemas":',
        '',
        '1. Zod 4 docs',
        '   https://zod.dev',
        '   TypeScript-first & schema validation',
        '',
        '2. Zod on GitHub',
        '   https://github.com/colinhacks/zod',
        '   Source code',
        '',
        'Use web_fetch on a URL to read the page.',
      ].join('\n'),
    );
    expect(requests[0]?.method).toBe('GET');
    expect(requests[0]?.url).toBe('/res/v1/web/search?q=zod%204%20%26%20schemas&count=8');
    expect(requests[0]?.headers['x-subscription-token']).toBe(KEY);
  });

  it('queries Tavily', async () => {
    const result = await ws.run(
      webSearchTool,
      { query: 'zod' },
      {
        webSearch: { provider: 'tavily', apiKey: KEY, baseUrl: `${base}/` },
      },
    );
    expect(result.output).toContain(
      '1. Zod\n   https://zod.dev\n   Schema validation with static type inference',
    );
    expect(requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(JSON.parse(requests[0]?.body ?? '{}')).toMatchObject({ query: 'zod', max_results: 8 });
  });

  it('never includes the key in errors', async () => {
    mode = 'unauthorized';
    const result = await ws.run(
      webSearchTool,
      { query: 'zod' },
      {
        webSearch: { provider: 'brave', apiKey: KEY, baseUrl: base },
      },
    );
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/rejected the API key \(HTTP 401\)/);
    expect(result.output).not.toContain(KEY);

    mode = 'bad-json';
    const bad = await ws.run(
      webSearchTool,
      { query: 'zod' },
      { webSearch: { provider: 'tavily', apiKey: KEY, baseUrl: base } },
    );
    expect(bad.output).toMatch(/not JSON/);

    const unreachable = await ws.run(
      webSearchTool,
      { query: 'zod' },
      {
        webSearch: { provider: 'brave', apiKey: KEY, baseUrl: `http://127.0.0.1:1/${KEY}` },
      },
    );
    expect(unreachable.ok).toBe(false);
    expect(unreachable.output).not.toContain(KEY);
  });

  it('explains when search is not configured', async () => {
    const result = await ws.run(webSearchTool, { query: 'zod' });
    expect(result.output).toMatch(/not configured/);
  });
});
