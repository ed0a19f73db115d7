// Test doubles for the chat screen: an in-memory ChatBackend the test drives event by event, and
// fake terminal streams so the real Ink app renders into a string and reads typed keys.
import { EventEmitter } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attachment, EventEnvelope, EventInput, Message, SessionInfo, Usage } from '@aura/protocol';
import React from 'react';
import type { ChatBackend, PermissionAnswer, ShellResult } from '../src/chat/backend.ts';
import { ChatError } from '../src/chat/backend.ts';
import type { ChatAppProps } from '../src/tui/app.ts';
import { PromptHistory } from '../src/tui/history.ts';
import { displayWidth } from '../src/tui/md-width.ts';

export function sessionInfo(overrides: Partial<SessionInfo> = {}): SessionInfo {
  return {
    id: 'ses_0123456789abcdef',
    title: null,
    directory: '/work/demo',
    projectId: null,
    userId: null,
    model: 'script:demo.json',
    mode: 'chat',
    state: 'IDLE',
    createdAt: Date.UTC(2025, 0, 2, 3, 4),
    updatedAt: Date.UTC(2025, 0, 2, 3, 4),
    lastSeq: 0,
    usage: {
      inputTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
      cachedInputTokens: 0,
      costUsd: null,
      steps: 0,
    },
    ...overrides,
  };
}

/** A ChatBackend in memory: records what the screen asked for; the test emits the events. */
export class FakeBackend implements ChatBackend {
  readonly kind = 'local' as const;
  readonly location = '/work/demo';
  current: SessionInfo;
  saved: Message[] = [];
  sessions: SessionInfo[] = [];
  /** The saved messages of the other sessions, by id. */
  sessionMessages = new Map<string, Message[]>();
  models_ = ['script:demo.json', 'anthropic/claude-sonnet-4-5', 'openai/gpt-5'];
  workspaceFiles = ['src/app.ts', 'src/util.ts', 'README.md'];
  sent: string[] = [];
  /** The attachments of each sent prompt, in order. */
  sentAttachments: (readonly Attachment[])[] = [];
  replies: { requestId: string; answer: PermissionAnswer }[] = [];
  cancels = 0;
  closed = false;
  shellCommands: string[] = [];
  shellResult: ShellResult = { ok: true, exitCode: 0, output: 'hello from the shell\n' };
  /** What `send` does after echoing the prompt (emit a reply, fail…). */
  onSend: (text: string) => void | Promise<void> = () => {};
  #seq = 0;
  #listeners = new Set<(event: EventEnvelope) => void>();
  #sessionListeners = new Set<(session: SessionInfo) => void>();

  constructor(session = sessionInfo()) {
    this.current = session;
  }

  emit(event: EventInput): void {
    this.#seq += 1;
    const envelope = {
      ...event,
      seq: this.#seq,
      sessionId: this.current.id,
      ts: Date.now(),
    } as EventEnvelope;
    for (const listener of this.#listeners) listener(envelope);
  }

  session(): SessionInfo {
    return this.current;
  }
  async messages(): Promise<Message[]> {
    return this.saved;
  }
  onEvent(listener: (event: EventEnvelope) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  onSessionChange(listener: (session: SessionInfo) => void): () => void {
    this.#sessionListeners.add(listener);
    return () => this.#sessionListeners.delete(listener);
  }
  switchTo(session: SessionInfo, messages: Message[] = []): SessionInfo {
    this.current = session;
    this.saved = messages;
    for (const listener of this.#sessionListeners) listener(session);
    return session;
  }
  async send(text: string, attachments: readonly Attachment[] = []): Promise<void> {
    this.sent.push(text);
    this.sentAttachments.push(attachments);
    this.emit({
      type: 'message_user',
      data: {
        messageId: `msg_u${this.sent.length}`,
        text,
        ...(attachments.length ? { attachments: [...attachments] } : {}),
      },
    });
    await this.onSend(text);
  }
  async cancel(): Promise<void> {
    this.cancels += 1;
  }
  async replyPermission(requestId: string, answer: PermissionAnswer): Promise<void> {
    this.replies.push({ requestId, answer });
    this.emit({
      type: 'permission_resolved',
      data: { requestId, reply: answer.reply, ...(answer.message ? { message: answer.message } : {}) },
    });
  }
  async models(): Promise<string[]> {
    return this.models_;
  }
  async setModel(model: string): Promise<void> {
    if (!this.models_.includes(model)) throw new ChatError(`unknown model "${model}"`);
    this.current = { ...this.current, model };
  }
  async listSessions(): Promise<SessionInfo[]> {
    return [this.current, ...this.sessions];
  }
  async newSession(): Promise<SessionInfo> {
    return this.switchTo(sessionInfo({ id: 'ses_new000000000001' }));
  }
  async openSession(id: string): Promise<SessionInfo> {
    const found = this.sessions.find((s) => s.id === id);
    if (!found) throw new ChatError(`no session ${id}`);
    return this.switchTo(found, this.sessionMessages.get(id));
  }
  async undo(): Promise<string> {
    return 'restored 2 files to before "add a button"';
  }
  async compact(): Promise<string> {
    return 'pruned 3 old tool outputs (about 12000 tokens)';
  }
  async usage(): Promise<Usage & { steps: number }> {
    return {
      inputTokens: 1200,
      outputTokens: 340,
      reasoningTokens: 0,
      cachedInputTokens: 0,
      costUsd: 0.0123,
      steps: 2,
    };
  }
  async files(prefix: string, limit = 20): Promise<string[]> {
    return this.workspaceFiles.filter((f) => f.startsWith(prefix)).slice(0, limit);
  }
  async shell(command: string): Promise<ShellResult> {
    this.shellCommands.push(command);
    return this.shellResult;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

/**
 * Just enough of a terminal for Ink's output: text with autowrap, line feeds, cursor moves and
 * erasing. There is no fixed screen: lines scrolled off the top stay, like scrollback.
 */
class VirtualTerminal {
  lines: string[][] = [[]];
  row = 0;
  col = 0;
  columns: number;
  constructor(columns: number) {
    this.columns = columns;
  }

  #line(): string[] {
    while (this.lines.length <= this.row) this.lines.push([]);
    return this.lines[this.row]!;
  }

  write(data: string): void {
    let i = 0;
    while (i < data.length) {
      const csi = /^\u001b\[([?0-9;]*)[ -/]*([@-~])/.exec(data.slice(i, i + 32));
      if (csi) {
        this.#control(csi[2]!, csi[1]!);
        i += csi[0].length;
        continue;
      }
      const char = String.fromCodePoint(data.codePointAt(i)!);
      i += char.length;
      if (char === '\u001b') continue;
      if (char === '\n') {
        this.row += 1;
        this.col = 0;
      } else if (char === '\r') this.col = 0;
      else if (char >= ' ') this.#print(char);
    }
  }

  #print(char: string): void {
    const width = displayWidth(char);
    if (this.col + width > this.columns) {
      this.row += 1;
      this.col = 0;
    }
    const line = this.#line();
    while (line.length < this.col) line.push(' ');
    line[this.col] = char;
    if (width === 2) line[this.col + 1] = '';
    this.col += width;
  }

  #control(command: string, params: string): void {
    const n = Number(params) || 1;
    switch (command) {
      case 'A':
        this.row = Math.max(0, this.row - n);
        break;
      case 'B':
        this.row += n;
        break;
      case 'C':
        this.col += n;
        break;
      case 'D':
        this.col = Math.max(0, this.col - n);
        break;
      case 'G':
        this.col = n - 1;
        break;
      case 'H':
        this.row = 0;
        this.col = 0;
        break;
      case 'J':
        if (params === '2' || params === '3') this.lines = [[]];
        else {
          this.#line().length = Math.min(this.#line().length, this.col);
          this.lines.length = this.row + 1;
        }
        break;
      case 'K':
        if (params === '2') this.#line().length = 0;
        else this.#line().length = Math.min(this.#line().length, this.col);
        break;
      default:
        break;
    }
  }

  text(): string {
    return this.lines
      .map((line) => line.join('').trimEnd())
      .join('\n')
      .trimEnd();
  }
}

/** stdout as Ink sees a terminal: a size, and what was written drawn on a VirtualTerminal. */
class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  columns: number;
  rows: number;
  readonly terminal: VirtualTerminal;
  constructor(columns: number, rows: number) {
    super();
    this.columns = columns;
    this.rows = rows;
    this.terminal = new VirtualTerminal(columns);
  }
  write(data: string, done?: () => void): boolean {
    this.terminal.write(data);
    done?.();
    return true;
  }
}

/** stdin in raw mode: `type` makes bytes readable the way a terminal delivers them. */
class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  #queue: string[] = [];
  setRawMode() {}
  setEncoding() {}
  ref() {}
  unref() {}
  resume() {}
  pause() {}
  read(): string | null {
    return this.#queue.shift() ?? null;
  }
  type(data: string): void {
    this.#queue.push(data);
    this.emit('readable');
  }
}

export const keys = {
  enter: '\r',
  altEnter: '\u001b\r',
  ctrlJ: '\n',
  ctrlC: '\u0003',
  ctrlD: '\u0004',
  ctrlU: '\u0015',
  tab: '\t',
  escape: '\u001b',
  up: '\u001b[A',
  down: '\u001b[B',
  left: '\u001b[D',
  backspace: '\u007f',
  paste: (text: string) => `\u001b[200~${text}\u001b[201~`,
};

export interface Screen {
  backend: FakeBackend;
  /** Everything on the terminal: the printed transcript, the live area, the prompt, the status. */
  text(): string;
  type(data: string): Promise<void>;
  waitFor(predicate: (text: string) => boolean, what: string): Promise<string>;
  exited: Promise<void>;
  resize(columns: number, rows: number): void;
  unmount(): void;
}

/** Renders the real ChatApp on fake streams, as in a terminal (Ink's interactive mode). */
export async function renderChat(
  backend: FakeBackend,
  opts: { columns?: number; rows?: number; props?: Partial<ChatAppProps>; history?: PromptHistory } = {},
): Promise<Screen> {
  const [{ render }, { ChatApp }] = await Promise.all([import('ink'), import('../src/tui/app.ts')]);
  const stdout = new FakeStdout(opts.columns ?? 80, opts.rows ?? 24);
  const stdin = new FakeStdin();
  const history =
    opts.history ?? (await PromptHistory.open(join(await mkdtemp(join(tmpdir(), 'aura-tui-')), 'history')));
  const instance = render(
    React.createElement(ChatApp, {
      backend,
      initialMessages: await backend.messages(),
      history,
      color: false,
      cwd: tmpdir(),
      subscribeNotices: () => () => {},
      ...opts.props,
    }),
    {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      interactive: true,
      exitOnCtrlC: false,
      patchConsole: false,
    },
  );
  const text = () => stdout.terminal.text();
  const settle = () => new Promise((resolve) => setTimeout(resolve, 25));
  return {
    backend,
    text,
    async type(data) {
      stdin.type(data);
      await settle();
    },
    async waitFor(predicate, what) {
      const deadline = Date.now() + 3000;
      while (Date.now() < deadline) {
        if (predicate(text())) return text();
        await settle();
      }
      throw new Error(`screen never showed ${what}; last frame:\n${text()}`);
    },
    exited: instance.waitUntilExit().then(() => undefined),
    resize(columns, rows) {
      stdout.columns = columns;
      stdout.rows = rows;
      stdout.terminal.columns = columns;
      stdout.emit('resize');
    },
    unmount: () => instance.unmount(),
  };
}
