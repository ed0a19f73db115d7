import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('./wire-server-main.ts', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/openai-read-file-session.json', import.meta.url));

let child: ChildProcess | undefined;
let tempDir: string | undefined;

afterEach(async () => {
  child?.kill('SIGTERM');
  child = undefined;
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
  tempDir = undefined;
});

function firstLine(process: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!process.stdout) return reject(new Error('no stdout'));
    const lines = createInterface({ input: process.stdout });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    process.once('exit', (code) => reject(new Error(`wire server exited early with ${code}`)));
  });
}

describe('wire-server-main', () => {
  it('serves a fixture file and records requests without credentials', async () => {
    tempDir = await mkdtemp(join(tmpdir(), 'wire-main-'));
    const record = join(tempDir, 'requests.jsonl');
    child = spawn(process.execPath, [MAIN, FIXTURE, '--record', record], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });

    const url = await firstLine(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-should-not-be-recorded' },
      body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [] }),
    });
    const text = await response.text();
    expect(text).toContain('read_file');
    expect(text).toContain('data: [DONE]');

    let recorded = '';
    for (let tries = 0; tries < 50 && recorded === ''; tries++) {
      recorded = await readFile(record, 'utf8').catch(() => '');
      if (recorded === '') await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const entry = JSON.parse(recorded.trim());
    expect(entry).toMatchObject({
      path: '/v1/chat/completions',
      servedWith: 'openai-stream',
      outcome: 'completed',
    });
    expect(entry.headers.authorization).toBe('[REDACTED]');
    expect(recorded).not.toContain('sk-should-not-be-recorded');
  });
});
