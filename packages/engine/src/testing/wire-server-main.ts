// Standalone wire server for end-to-end tests that run the `aura` CLI as a child process.
//
//   node packages/engine/src/testing/wire-server-main.ts <fixture.json|fixture.ts> [--port N] [--record FILE]
//
// The fixture is a list of queued responses (WireResponse[]), as a JSON array or a module
// whose default export (or `responses` export) is one. The first stdout line is the server
// URL; point providers at `${url}/v1`. With --record, every finished request is appended to
// FILE as one JSON line, credentials redacted. Stops on SIGTERM / SIGINT.

import { appendFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startWireServer } from './wire-server.ts';
import type { RecordedRequest, WireResponse } from './wire-types.ts';

const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'api-key', 'x-goog-api-key', 'cookie']);

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { port: { type: 'string' }, record: { type: 'string' } },
  });
  const fixturePath = positionals[0];
  if (fixturePath === undefined) {
    process.stderr.write('usage: wire-server-main <fixture.json|fixture.ts> [--port N] [--record FILE]\n');
    process.exit(2);
  }
  const responses = await loadFixture(resolve(fixturePath));
  const recordFile = values.record === undefined ? undefined : resolve(values.record);

  const server = await startWireServer({
    port: values.port === undefined ? 0 : Number(values.port),
    onRequest: (request) => {
      process.stderr.write(`wire-server: ${request.method} ${request.path} -> ${request.servedWith}\n`);
      if (recordFile !== undefined) {
        void request.settled.then(() =>
          appendFileSync(recordFile, `${JSON.stringify(forRecord(request))}\n`),
        );
      }
    },
  });
  server.enqueue(...responses);
  process.stdout.write(`${server.url}\n`);

  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function loadFixture(path: string): Promise<WireResponse[]> {
  const loaded: unknown = path.endsWith('.json')
    ? JSON.parse(await readFile(path, 'utf8'))
    : await import(pathToFileURL(path).href);
  const list = pickList(loaded);
  if (!list.every(isWireResponse)) {
    throw new Error(
      `${path}: expected a list of wire responses ({ kind: ${[...WIRE_KINDS].map((kind) => `'${kind}'`).join(' | ')}, ... })`,
    );
  }
  return list;
}

function pickList(loaded: unknown): unknown[] {
  if (Array.isArray(loaded)) return loaded;
  if (typeof loaded === 'object' && loaded !== null) {
    for (const key of ['default', 'responses']) {
      const value: unknown = (loaded as Record<string, unknown>)[key];
      if (value !== undefined) return pickList(value);
    }
  }
  return [loaded];
}

const WIRE_KINDS: ReadonlySet<unknown> = new Set<WireResponse['kind']>([
  'openai-stream',
  'openai-responses-stream',
  'anthropic-stream',
  'status',
]);

function isWireResponse(value: unknown): value is WireResponse {
  if (typeof value !== 'object' || value === null || !('kind' in value)) return false;
  return WIRE_KINDS.has(value.kind);
}

function forRecord(request: RecordedRequest): Record<string, unknown> {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [
      name,
      SECRET_HEADERS.has(name) ? '[REDACTED]' : value,
    ]),
  );
  return {
    method: request.method,
    path: request.path,
    headers,
    body: request.body,
    servedWith: request.servedWith,
    outcome: request.outcome,
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`wire-server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
