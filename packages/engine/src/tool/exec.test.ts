import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processAlive } from '../sandbox/process-group.ts';
import { combineOutput, execTool } from './exec.ts';
import { createTestWorkspace, type TestWorkspace } from './test-utils.ts';

let ws: TestWorkspace;

beforeEach(() => {
  ws = createTestWorkspace({ 'hello.txt': 'hi there\n' });
});
afterEach(() => ws.cleanup());

describe('exec', () => {
  it('runs in the workspace and reports the exit code', async () => {
    const result = await ws.run(execTool, { command: 'cat hello.txt; echo warn >&2' });
    expect(result.ok).toBe(true);
    expect(result.output).toBe('hi there\n\n[stderr]\nwarn\n[Exit code: 0]');
    expect(result.metadata).toMatchObject({ exitCode: 0, timedOut: false });
  });

  it('marks failures as not ok but still shows the output', async () => {
    const result = await ws.run(execTool, { command: 'echo failing; exit 7' });
    expect(result.ok).toBe(false);
    expect(result.output).toBe('failing\n[Exit code: 7]');
  });

  it('times out and says how to avoid it', async () => {
    const result = await ws.run(execTool, { command: 'sleep 30', timeout_ms: 300 });
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/\[Timed out after 0\.3 s: .*background: true/);
  });

  it('caps long output keeping the head and the tail', async () => {
    const result = await ws.run(execTool, { command: 'seq 1 100000' });
    expect(Buffer.byteLength(result.output)).toBeLessThan(32 * 1024);
    expect(result.output.startsWith('1\n2\n3\n')).toBe(true);
    expect(result.output).toContain('100000\n');
    expect(result.output).toContain('bytes omitted');
    expect(result.output).toContain('[Output was truncated');
  });

  it('does not leak host secrets into commands', async () => {
    process.env.AURA_TEST_API_KEY = 'super-secret-value';
    try {
      const result = await ws.run(execTool, { command: 'env' });
      expect(result.output).not.toContain('super-secret-value');
    } finally {
      delete process.env.AURA_TEST_API_KEY;
    }
  });

  it('starts background processes and returns early', async () => {
    const started = Date.now();
    const result = await ws.run(execTool, {
      command: 'echo server ready; echo $$ > server.pid; sleep 30',
      background: true,
    });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result.ok).toBe(true);
    expect(result.output).toMatch(
      /^Started background process bg-1 \(pid \d+\)\..*kill -- -\d+\nOutput so far:\nserver ready/s,
    );
    const pid = Number(readFileSync(path.join(ws.root, 'server.pid'), 'utf8'));
    expect(processAlive(pid)).toBe(true);
    await ws.ctx.sandbox.dispose();
    expect(processAlive(pid)).toBe(false);
  });

  it('reports a background command that exits immediately', async () => {
    const result = await ws.run(execTool, { command: 'echo oops; exit 3', background: true });
    expect(result.ok).toBe(false);
    expect(result.output).toBe('oops\n\n[The background command already exited with code 3.]');
  });

  it('is cancelled by the abort signal', async () => {
    const controller = new AbortController();
    const pending = ws.run(execTool, { command: 'sleep 30' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    expect(await pending).toEqual({ ok: false, output: 'cancelled' });
  });
});

describe('combineOutput', () => {
  it('labels stderr and handles empty streams', () => {
    expect(combineOutput('', 'err\n').text).toBe('[stderr]\nerr\n');
    expect(combineOutput('out', '').text).toBe('out');
    expect(combineOutput('out', 'err').text).toBe('out\n\n[stderr]\nerr');
  });
});
