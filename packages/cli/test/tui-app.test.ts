import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message } from '@aura/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { PromptHistory } from '../src/tui/history.ts';
import { displayWidth } from '../src/tui/md-width.ts';
import { readWorkspaceFile } from '../src/tui/mentions.ts';
import { FakeBackend, keys, renderChat, type Screen, sessionInfo } from './tui-harness.ts';

let screen: Screen | undefined;
afterEach(() => {
  screen?.unmount();
  screen = undefined;
});

const run = (backend: FakeBackend) =>
  backend.emit({
    type: 'run_started',
    data: { runId: 'r1', model: 'script:demo.json', mode: 'chat', maxSteps: 15 },
  });
const finish = (backend: FakeBackend, status: 'completed' | 'cancelled' = 'completed') => {
  backend.emit({ type: 'run_finished', data: { runId: 'r1', status, steps: 1 } });
  backend.emit({ type: 'state_change', data: { state: 'IDLE' } });
};
const statusLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';

async function open(backend = new FakeBackend(), opts: Parameters<typeof renderChat>[1] = {}) {
  screen = await renderChat(backend, opts);
  await screen.waitFor((t) => statusLine(t).includes('idle'), 'the status line');
  return screen;
}

describe('chat screen: a turn', () => {
  it('sends the prompt, streams the answer and shows what the agent is doing', async () => {
    const backend = new FakeBackend();
    const s = await open(backend);
    expect(s.text()).toContain('Message the agent');
    await s.type('add a README');
    await s.type(keys.enter);
    expect(backend.sent).toEqual(['add a README']);
    await s.waitFor((t) => t.includes('❯ add a README'), 'the prompt in the transcript');

    run(backend);
    backend.emit({ type: 'state_change', data: { state: 'RUNNING' } });
    await s.waitFor((t) => statusLine(t).includes('thinking'), 'thinking');
    backend.emit({
      type: 'message_start',
      data: { messageId: 'a1', model: 'script:demo.json', scripted: true },
    });
    backend.emit({ type: 'text_delta', data: { messageId: 'a1', delta: 'Writing the ' } });
    await s.waitFor((t) => t.includes('Writing the') && statusLine(t).includes('writing'), 'streamed text');
    backend.emit({ type: 'text_delta', data: { messageId: 'a1', delta: 'README now.' } });
    backend.emit({
      type: 'tool_call',
      data: {
        messageId: 'a1',
        toolCallId: 't1',
        tool: 'write',
        input: { path: 'README.md', content: '# Hi\n' },
      },
    });
    await s.waitFor(
      (t) => t.includes('● write README.md') && statusLine(t).includes('running write'),
      'tool call',
    );
    backend.emit({
      type: 'tool_result',
      data: {
        messageId: 'a1',
        toolCallId: 't1',
        tool: 'write',
        ok: true,
        output: 'Created README.md (5 B, 1 line).',
        durationMs: 3,
        metadata: { diff: '--- /dev/null\n+++ b/README.md\n@@ -0,0 +1 @@\n+# Hi\n' },
      },
    });
    finish(backend);
    const text = await s.waitFor(
      (t) => t.includes('✓ Created README.md') && statusLine(t).includes('idle'),
      'done',
    );
    expect(text).toContain('Writing the README now.');
    expect(text).toContain('scripted model script:demo.json');
    expect(text).toMatch(/✓ Created README.md[\s\S]*# Hi/);
  });

  it('shows the saved conversation of a continued session', async () => {
    const backend = new FakeBackend(sessionInfo({ title: 'Earlier work' }));
    const message = (role: 'user' | 'assistant', text: string): Message => ({
      id: `m-${text}`,
      sessionId: backend.current.id,
      role,
      parts: [{ type: 'text', text }],
      model: null,
      finishReason: null,
      usage: null,
      createdAt: 0,
    });
    backend.saved = [message('user', 'what is here?'), message('assistant', 'A small shop app.')];
    const s = await open(backend);
    expect(s.text()).toContain('❯ what is here?');
    expect(s.text()).toContain('A small shop app.');
    expect(statusLine(s.text())).toContain('Earlier work');
  });

  it('prints only the newest part of a long history, and says how to get the rest', async () => {
    const backend = new FakeBackend();
    backend.saved = Array.from({ length: 500 }, (_, i) => ({
      id: `m${i}`,
      sessionId: backend.current.id,
      role: 'user' as const,
      parts: [{ type: 'text' as const, text: `message number ${i}` }],
      model: null,
      finishReason: null,
      usage: null,
      createdAt: 0,
    }));
    const s = await open(backend);
    const text = s.text();
    expect(text).toContain('⋯ 300 earlier items not shown · /export writes the whole session');
    expect(text).toContain('❯ message number 499');
    expect(text).toContain('❯ message number 300');
    expect(text).not.toContain('❯ message number 299');
  });

  it('refuses a new prompt while a run is going, keeping the text', async () => {
    const backend = new FakeBackend();
    const s = await open(backend);
    run(backend);
    await s.type('second thought');
    await s.type(keys.enter);
    await s.waitFor((t) => t.includes('a run is in progress'), 'the busy hint');
    expect(backend.sent).toEqual([]);
    expect(s.text()).toContain('❯ second thought');
  });

  it('shows a failed send as an error and keeps going', async () => {
    const backend = new FakeBackend();
    backend.onSend = () => {
      throw new Error('the server went away');
    };
    const s = await open(backend);
    await s.type('hello');
    await s.type(keys.enter);
    await s.waitFor((t) => t.includes('the server went away'), 'the error');
    expect(statusLine(s.text())).toContain('idle');
  });
});

describe('chat screen: permission prompt', () => {
  const ask = (backend: FakeBackend, requestId = 'p1') =>
    backend.emit({
      type: 'permission_request',
      data: {
        requestId,
        tool: 'exec',
        input: { command: 'npm test' },
        subject: 'npm test',
        description: 'Run the command "npm test"',
      },
    });

  it('replaces the input with the question and answers y / a', async () => {
    const backend = new FakeBackend();
    const s = await open(backend);
    await s.type('draft text');
    run(backend);
    ask(backend);
    let text = await s.waitFor((t) => t.includes('? Allow exec: npm test'), 'the permission prompt');
    expect(text).toContain('[y] yes, once   [a] always   [n] no');
    expect(text).not.toContain('draft text');
    expect(statusLine(text)).toContain('waiting for permission');
    await s.type('y');
    text = await s.waitFor((t) => t.includes('→ allowed once'), 'the answer');
    expect(backend.replies).toEqual([{ requestId: 'p1', answer: { reply: 'once' } }]);
    expect(text).toContain('❯ draft text');
    ask(backend, 'p2');
    await s.waitFor((t) => t.includes('? Allow exec'), 'the second prompt');
    await s.type('a');
    await s.waitFor((t) => t.includes('→ always allowed'), 'always');
    expect(backend.replies[1]).toEqual({ requestId: 'p2', answer: { reply: 'always' } });
  });

  it('after n, sends an optional message back to the model', async () => {
    const backend = new FakeBackend();
    const s = await open(backend);
    run(backend);
    ask(backend);
    await s.waitFor((t) => t.includes('? Allow exec'), 'the prompt');
    await s.type('n');
    await s.waitFor((t) => t.includes('Tell the agent why'), 'the message line');
    await s.type('use pnpm');
    await s.type(keys.enter);
    await s.waitFor((t) => t.includes('→ denied: use pnpm'), 'the denial');
    expect(backend.replies).toEqual([{ requestId: 'p1', answer: { reply: 'reject', message: 'use pnpm' } }]);

    ask(backend, 'p2');
    await s.waitFor((t) => t.includes('? Allow exec'), 'the second prompt');
    await s.type('n');
    await s.type(keys.enter);
    await s.waitFor(() => backend.replies.length === 2, 'the second answer');
    expect(backend.replies[1]).toEqual({ requestId: 'p2', answer: { reply: 'reject' } });
  });

  it('Esc says no, and other keys do nothing', async () => {
    const backend = new FakeBackend();
    const s = await open(backend);
    run(backend);
    ask(backend);
    await s.waitFor((t) => t.includes('? Allow exec'), 'the prompt');
    await s.type('x');
    await s.type(keys.enter);
    expect(backend.replies).toEqual([]);
    await s.type(keys.escape);
    await s.waitFor(() => backend.replies.length === 1, 'the answer');
    expect(backend.replies[0]).toEqual({ requestId: 'p1', answer: { reply: 'reject' } });
  });
});

describe('chat screen: Ctrl-C and leaving', () => {
  it('Ctrl-C during a run cancels it', async () => {
    const backend = new FakeBackend();
    const s = await open(backend);
    run(backend);
    await s.waitFor((t) => statusLine(t).includes('thinking'), 'the run');
    await s.type(keys.ctrlC);
    expect(backend.cancels).toBe(1);
    await s.waitFor((t) => statusLine(t).includes('cancelling…'), 'cancelling');
    finish(backend, 'cancelled');
    await s.waitFor((t) => t.includes('cancelled — what was done so far is saved.'), 'cancelled');
    expect(statusLine(s.text())).toContain('idle');
    await s.type('still here');
    expect(s.text()).toContain('❯ still here');
  });

  it('Ctrl-C clears the input, then asks for a second one to exit', async () => {
    const backend = new FakeBackend();
    const s = await open(backend);
    await s.type('some text');
    await s.type(keys.ctrlC);
    await s.waitFor((t) => t.includes('Message the agent'), 'an empty prompt');
    await s.type(keys.ctrlC);
    await s.waitFor((t) => t.includes('press Ctrl-C again to exit'), 'the exit hint');
    await s.type(keys.ctrlC);
    await s.exited;
  });

  it('Ctrl-D on an empty prompt exits; with text it deletes', async () => {
    const s = await open();
    await s.type('ab');
    await s.type(keys.left);
    await s.type(keys.ctrlD);
    await s.waitFor((t) => t.includes('❯ a\n') || /❯ a\s*│/.test(t), 'the deleted character');
    await s.type(keys.ctrlU);
    await s.type(keys.ctrlD);
    await s.exited;
  });
});

describe('chat screen: Ctrl-C and a shell command', () => {
  it('Ctrl-C stops a running !command', async () => {
    const backend = new FakeBackend();
    let stop: (() => void) | undefined;
    backend.shell = (command) =>
      new Promise((resolve) => {
        backend.shellCommands.push(command);
        stop = () => resolve({ ok: false, exitCode: null, output: 'stopped' });
      });
    backend.cancel = async () => {
      backend.cancels += 1;
      stop?.();
    };
    const s = await open(backend);
    await s.type('!sleep 100');
    await s.type(keys.enter);
    await s.waitFor((t) => statusLine(t).includes('running shell command'), 'the running command');
    await s.type(keys.ctrlC);
    await s.waitFor(
      (t) => t.includes('✗ exit signal') && statusLine(t).includes('idle'),
      'the stopped command',
    );
    expect(backend.cancels).toBe(1);
  });
});

describe('chat screen: writing prompts', () => {
  it('Alt+Enter, Ctrl+J and a trailing backslash add lines; a paste keeps its lines', async () => {
    const backend = new FakeBackend();
    const s = await open(backend);
    await s.type('one');
    await s.type(keys.altEnter);
    await s.type('two');
    await s.type(keys.ctrlJ);
    await s.type('three\\');
    await s.type(keys.enter);
    await s.type(keys.paste('four\r\nfive'));
    await s.waitFor((t) => t.includes('five'), 'the pasted text');
    await s.type(keys.enter);
    expect(backend.sent).toEqual(['one\ntwo\nthree\nfour\nfive']);
  });

  it('Up and Down walk the history, kept across screens', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'aura-tui-')), 'history');
    await (await PromptHistory.open(file)).add('from last time');
    const backend = new FakeBackend();
    const s = await open(backend, { history: await PromptHistory.open(file) });
    await s.type('new one');
    await s.type(keys.enter);
    await s.type('draft');
    await s.type(keys.up);
    await s.waitFor((t) => t.includes('❯ new one'), 'the last prompt');
    await s.type(keys.up);
    await s.waitFor((t) => t.includes('❯ from last time'), 'the older prompt');
    await s.type(keys.down);
    await s.type(keys.down);
    await s.waitFor((t) => t.includes('❯ draft'), 'the draft');
    expect((await PromptHistory.open(file)).entries).toEqual(['from last time', 'new one']);
  });

  it('completes @paths from the workspace and attaches the file when sent', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aura-ws-'));
    await writeFile(join(dir, 'README.md'), '# Shop\n');
    const backend = new FakeBackend();
    backend.workspaceFiles = ['README.md', 'src/app.ts'];
    const s = await open(backend, { props: { readMention: (p, limit) => readWorkspaceFile(dir, p, limit) } });
    await s.type('summarise @RE');
    await s.waitFor((t) => t.includes('› README.md'), 'the completion list');
    await s.type(keys.tab);
    await s.waitFor((t) => t.includes('❯ summarise @README.md'), 'the completed path');
    await s.type(keys.enter);
    // Shown once sent: reading the file first takes as long as the disk does.
    const text = await s.waitFor((t) => t.includes('+ attached @README.md'), 'the folded attachment');
    expect(backend.sent).toHaveLength(1);
    expect(backend.sent[0]).toContain('summarise @README.md');
    expect(backend.sent[0]).toContain('--- attached file @README.md ---\n```\n# Shop\n```');
    expect(text).not.toContain('# Shop');
  });

  it("sends @paths of a server's workspace as attachments, and says which name no file", async () => {
    const backend = new FakeBackend();
    backend.workspaceFiles = ['README.md', 'src/logo.png'];
    const s = await open(backend);
    await s.type('compare @README.md with @src/logo.png and @nowhere.ts');
    await s.type(keys.enter);
    const text = await s.waitFor((t) => t.includes('+ attached'), 'the attachments under the prompt');
    expect(backend.sent).toEqual(['compare @README.md with @src/logo.png and @nowhere.ts']);
    expect(backend.sentAttachments).toEqual([
      [
        { mediaType: 'text/plain', filename: 'README.md', url: 'README.md' },
        { mediaType: 'image/png', filename: 'src/logo.png', url: 'src/logo.png' },
      ],
    ]);
    expect(text).toContain('+ attached @README.md, @src/logo.png');
    expect(text).toContain('@nowhere.ts: no such file in the project');
  });

  it('Esc closes the completion list', async () => {
    const s = await open();
    await s.type('@src');
    await s.waitFor((t) => t.includes('› src/app.ts'), 'the list');
    await s.type(keys.escape);
    await s.waitFor((t) => !t.includes('src/util.ts'), 'the list closed');
  });

  it('!cmd runs in the workspace and shows its output', async () => {
    const backend = new FakeBackend();
    const s = await open(backend);
    await s.type('!echo hello');
    await s.type(keys.enter);
    const text = await s.waitFor((t) => t.includes('✓ exit 0'), 'the shell result');
    expect(backend.shellCommands).toEqual(['echo hello']);
    expect(text).toContain('hello from the shell');
    backend.shellResult = {
      ok: false,
      exitCode: null,
      output: 'Permission denied: exec is not allowed',
      denied: true,
    };
    await s.type('!rm -rf /');
    await s.type(keys.enter);
    await s.waitFor((t) => t.includes('✗ not run: Permission denied'), 'the refusal');
  });
});

describe('chat screen: slash commands', () => {
  it('lists matching commands while typing / and runs the chosen one', async () => {
    const s = await open();
    await s.type('/');
    let text = await s.waitFor((t) => t.includes('/model [provider/model]'), 'the command list');
    expect(text).toContain('/session [id]');
    await s.type('he');
    text = await s.waitFor((t) => !t.includes('/model [provider/model]'), 'a filtered list');
    await s.type(keys.enter);
    text = await s.waitFor((t) => t.includes('Keys'), 'the help');
    for (const name of [
      '/model',
      '/session',
      '/undo',
      '/clear',
      '/compact',
      '/cost',
      '/export',
      '/help',
      '/exit',
    ])
      expect(text).toContain(name);
    expect(text).toContain('Ctrl+C');
  });

  it('explains an unknown command', async () => {
    const s = await open();
    await s.type('/frobnicate now');
    await s.type(keys.enter);
    await s.waitFor((t) => t.includes('unknown command /frobnicate. Type /help for the list.'), 'the hint');
  });

  it('/model without an argument picks from the list; a bad one is refused', async () => {
    const backend = new FakeBackend();
    const s = await open(backend);
    await s.type('/model ');
    await s.type(keys.enter);
    await s.waitFor((t) => t.includes('Choose a model'), 'the picker');
    await s.type('gpt');
    await s.waitFor((t) => t.includes('› openai/gpt-5') && !t.includes('claude'), 'the filtered picker');
    await s.type(keys.enter);
    await s.waitFor((t) => t.includes('model: openai/gpt-5 (from the next turn)'), 'the switch');
    expect(backend.current.model).toBe('openai/gpt-5');
    await s.waitFor((t) => statusLine(t).startsWith('openai/gpt-5 ·'), 'the new model in the status line');
    await s.type('/model nope/nothing');
    await s.type(keys.enter);
    await s.waitFor((t) => t.includes('unknown model "nope/nothing"'), 'the refusal');
  });

  it('/session switches to a picked session and prints its transcript', async () => {
    const backend = new FakeBackend();
    const other = sessionInfo({ id: 'ses_other0000000002', title: 'Older chat' });
    backend.sessions = [other];
    backend.sessionMessages.set(other.id, [
      {
        id: 'old1',
        sessionId: other.id,
        role: 'user',
        parts: [{ type: 'text', text: 'an older question' }],
        model: null,
        finishReason: null,
        usage: null,
        createdAt: 0,
      },
    ]);
    const s = await open(backend);
    await s.type('/session');
    await s.type(keys.enter);
    await s.waitFor((t) => t.includes('Older chat') && t.includes('Choose a session'), 'the picker');
    await s.type(keys.enter);
    const text = await s.waitFor(
      (t) => t.includes('continuing session ses_other0000000002 — Older chat'),
      'the switch',
    );
    // The heading, then the older session's conversation.
    expect(text.indexOf('continuing session')).toBeLessThan(text.indexOf('❯ an older question'));
    expect(statusLine(s.text())).toContain('00000002 Older chat');
  });

  it('/cost, /undo, /compact and /clear report what they did', async () => {
    const backend = new FakeBackend();
    const s = await open(backend);
    for (const command of ['/cost', '/undo', '/compact']) {
      await s.type(command);
      await s.type(keys.enter);
    }
    const text = await s.waitFor((t) => t.includes('pruned 3 old tool outputs'), 'the compaction');
    expect(text).toContain('tokens: 1200 in · 340 out · $0.0123 · 2 model steps');
    expect(text).toContain('restored 2 files');
    await s.type('/clear');
    await s.type(keys.enter);
    await s.waitFor((t) => t.includes('new session ses_new000000000001'), 'the new session');
    expect(statusLine(s.text())).toContain('00000001');
  });

  it('/undo waits for the run to finish', async () => {
    const backend = new FakeBackend();
    const s = await open(backend);
    run(backend);
    await s.type('/undo');
    await s.type(keys.enter);
    await s.waitFor((t) => t.includes('/undo has to wait for the run to finish'), 'the refusal');
  });

  it('/export writes markdown or JSON and never overwrites a file', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'aura-export-'));
    const backend = new FakeBackend(sessionInfo({ title: 'Export me' }));
    const s = await open(backend, { props: { cwd } });
    await s.type('/export');
    await s.type(keys.enter);
    const mdFile = join(cwd, `aura-session-${backend.current.id}.md`);
    await s.waitFor(
      (t) => t.replace(/\s+/g, ' ').includes(`exported 0 messages to ${mdFile}`),
      'the markdown export',
    );
    expect(await readFile(mdFile, 'utf8')).toContain('# Export me');
    await s.type('/export json out.json');
    await s.type(keys.enter);
    await s.waitFor((t) => t.includes('out.json'), 'the JSON export');
    // The same versioned document as `aura session export`, so `aura session import` takes it back.
    expect(JSON.parse(await readFile(join(cwd, 'out.json'), 'utf8'))).toMatchObject({
      format: 'aura-session',
      version: 1,
      session: { title: 'Export me' },
    });
    await s.type('/export md out.json');
    await s.type(keys.enter);
    await s.waitFor((t) => t.includes('it already exists'), 'the refusal');
  });

  it('/exit leaves', async () => {
    const s = await open();
    await s.type('/exit');
    await s.type(keys.enter);
    await s.exited;
  });
});

describe('chat screen: terminal size', () => {
  it('fits 80×24, and prints again at the new width after a resize', async () => {
    const backend = new FakeBackend(
      sessionInfo({ title: 'A session with a fairly long title for the line' }),
    );
    const s = await open(backend);
    backend.emit({ type: 'message_user', data: { messageId: 'u', text: 'word '.repeat(30).trim() } });
    await s.waitFor((t) => t.includes('word word'), 'the prompt');
    for (const line of s.text().split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    s.resize(50, 20);
    await s.waitFor((t) => t.split('\n').every((line) => displayWidth(line) <= 50), 'a 50-column frame');
    const text = s.text();
    expect(text.match(/❯ word/g)).toHaveLength(1);
    expect(statusLine(text)).toContain('idle');
  });

  it('keeps a long live answer within the screen', async () => {
    const backend = new FakeBackend();
    const s = await open(backend);
    run(backend);
    const answer = Array.from({ length: 60 }, (_, i) => `line ${i}`).join('\n\n');
    backend.emit({ type: 'text_delta', data: { messageId: 'a', delta: answer } });
    const text = await s.waitFor((t) => t.includes('line 59'), 'the end of the answer');
    expect(text.split('\n').length).toBeLessThan(24);
    expect(text).toMatch(/⋮ \d+ more lines above/);
  });
});
