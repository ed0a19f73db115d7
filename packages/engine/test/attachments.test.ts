import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message } from '@aura/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ATTACHED_FILE_BYTES, snapshotAttachments } from '../src/agent/attachments.ts';
import { startRun, toModelMessages } from '../src/agent/index.ts';
import { EventBus } from '../src/bus/index.ts';
import { defaultRules } from '../src/permission/index.ts';
import { resolveModel } from '../src/provider/index.ts';
import { createLocalSandbox } from '../src/sandbox/index.ts';
import { openStore } from '../src/store/index.ts';
import { openaiTextStream, startWireServer, type WireServer } from '../src/testing/index.ts';
import { builtinTools } from '../src/tool/index.ts';

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

let workspace: string;

beforeAll(async () => {
  workspace = await realpath(await mkdtemp(join(tmpdir(), 'aura-attach-')));
  await mkdir(join(workspace, 'src'));
  await writeFile(join(workspace, 'src', 'App.tsx'), 'export const App = () => <h1>Hi</h1>;\n');
  await writeFile(join(workspace, 'logo.png'), PNG);
  await writeFile(join(workspace, 'blob.bin'), Buffer.from([0, 1, 2, 3, 0, 5]));
  await writeFile(join(workspace, 'huge.txt'), 'x'.repeat(MAX_ATTACHED_FILE_BYTES + 1));
});

afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

describe('attachments', () => {
  it('snapshots workspace files as data URLs and turns what cannot be attached into notes', async () => {
    const { attachments, notes } = await snapshotAttachments(workspace, [
      { mediaType: 'text/x-typescript', url: 'src/App.tsx' },
      { mediaType: 'image/png', url: 'logo.png' },
      {
        mediaType: 'image/png',
        filename: 'pasted.png',
        url: `data:image/png;base64,${PNG.toString('base64')}`,
      },
      { mediaType: 'application/octet-stream', url: 'blob.bin' },
      { mediaType: 'text/plain', url: '../../etc/passwd' },
      { mediaType: 'text/plain', url: 'missing.txt' },
      { mediaType: 'text/plain', url: 'huge.txt' },
      { mediaType: 'image/png', url: 'data:image/png;base64,%%%not-base64' },
    ]);
    expect(attachments).toEqual([
      {
        mediaType: 'text/plain',
        filename: 'src/App.tsx',
        url: `data:text/plain;base64,${Buffer.from('export const App = () => <h1>Hi</h1>;\n').toString('base64')}`,
      },
      {
        mediaType: 'image/png',
        filename: 'logo.png',
        url: `data:image/png;base64,${PNG.toString('base64')}`,
      },
      {
        mediaType: 'image/png',
        filename: 'pasted.png',
        url: `data:image/png;base64,${PNG.toString('base64')}`,
      },
    ]);
    expect(notes).toHaveLength(5);
    expect(notes[0]).toMatch(/blob\.bin .*binary/);
    expect(notes[1]).toMatch(/\.\.\/\.\.\/etc\/passwd/);
    expect(notes[2]).toMatch(/missing\.txt/);
    expect(notes[3]).toMatch(/huge\.txt .*limit/);
    expect(notes[4]).toMatch(/not a base64 data: URL/);
  });

  it('gives the model images as image parts and text files inline', () => {
    const message: Message = {
      id: 'm',
      sessionId: 's',
      role: 'user',
      model: null,
      finishReason: null,
      usage: null,
      createdAt: 0,
      parts: [
        { type: 'text', text: 'Make it blue' },
        { type: 'file', mediaType: 'image/png', filename: 'logo.png', url: `data:image/png;base64,AAAA` },
        {
          type: 'file',
          mediaType: 'text/plain',
          filename: 'src/App.tsx',
          url: `data:text/plain;base64,${Buffer.from('const x = 1;').toString('base64')}`,
        },
      ],
    };
    expect(toModelMessages([message])).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Make it blue' },
          { type: 'image', image: 'AAAA', mediaType: 'image/png' },
          { type: 'text', text: 'Attached file src/App.tsx:\n```\nconst x = 1;\n```' },
        ],
      },
    ]);
  });
});

describe('attachments reach the provider', () => {
  let wire: WireServer;

  beforeAll(async () => {
    wire = await startWireServer();
  });

  afterAll(async () => {
    await wire.close();
  });

  it('sends an attached file and an image in the request to the model', async () => {
    const store = await openStore({ sqlitePath: ':memory:' });
    const sandbox = createLocalSandbox({ workspace });
    try {
      const session = await store.createSession({ directory: workspace });
      wire.enqueue(openaiTextStream('Done.'));
      const model = await resolveModel('openai-compatible/test-model', {
        config: { providers: { 'openai-compatible': { baseURL: wire.baseUrlOpenAI } } },
        env: {},
      });
      const run = startRun({
        store,
        bus: new EventBus(),
        sessionId: session.id,
        text: 'What does this file do?',
        attachments: [
          { mediaType: 'text/x-typescript', url: 'src/App.tsx' },
          { mediaType: 'image/png', url: 'logo.png' },
        ],
        model,
        workspace,
        sandbox,
        tools: builtinTools({}),
        permissions: { rules: defaultRules, mode: 'yes' },
      });
      expect((await run.done).status).toBe('completed');
      // Every request of the run (the title is asked for separately).
      const body = JSON.stringify(wire.requests.map((r) => r.body));
      expect(body).toContain('export const App = () =>');
      expect(body).toContain(`data:image/png;base64,${PNG.toString('base64')}`);
    } finally {
      await sandbox.dispose();
      await store.close();
    }
  });
});
