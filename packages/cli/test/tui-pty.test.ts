// `aura chat` in a real terminal: tmux runs it in a pty; the tests type keys and read the screen.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auraBin, cleanEnv, writeScript } from './cli-helpers.ts';

/** One tmux server on a private socket in its own directory, running one command. */
class Terminal {
  readonly #socketDir = mkdtempSync(join(tmpdir(), 'aura-tmux-'));

  #tmux(args: string[]): string {
    // A bare environment: nothing from the developer's shell (NO_COLOR, CI…) reaches the server.
    const env = {
      PATH: process.env.PATH,
      LANG: 'C.UTF-8',
      TERM: 'xterm-256color',
      TMUX_TMPDIR: this.#socketDir,
    };
    return execFileSync('tmux', ['-L', 'aura-tui', '-f', '/dev/null', ...args], { encoding: 'utf8', env });
  }

  start(command: string[], env: NodeJS.ProcessEnv, size = { width: 80, height: 24 }): void {
    const vars = Object.entries(env).flatMap(([k, v]) => (v === undefined ? [] : ['-e', `${k}=${v}`]));
    const quoted = command.map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
    // The shell line stays after aura exits, so a test can see that it did and with which code.
    const line = `${quoted}; echo "[aura exited $?]"; sleep 600`;
    this.#tmux(['new-session', '-d', '-x', String(size.width), '-y', String(size.height), ...vars, line]);
  }

  type(text: string): void {
    this.#tmux(['send-keys', '-l', text]);
  }

  press(...keys: string[]): void {
    this.#tmux(['send-keys', ...keys]);
  }

  /** The visible screen; with `escapes`, including the colour and style sequences. */
  screen(opts: { escapes?: boolean } = {}): string {
    return this.#tmux(['capture-pane', '-p', ...(opts.escapes ? ['-e'] : [])]);
  }

  resize(width: number, height: number): void {
    this.#tmux(['resize-window', '-x', String(width), '-y', String(height)]);
  }

  async waitForScreen(
    predicate: (screen: string) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = this.screen();
      if (predicate(last)) return last;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the screen never showed ${what}. It shows:\n${last}`);
  }

  kill(): void {
    try {
      this.#tmux(['kill-server']);
    } catch {
      // Already gone.
    }
    rmSync(this.#socketDir, { recursive: true, force: true });
  }
}

const terminals: Terminal[] = [];
afterEach(() => {
  for (const terminal of terminals.splice(0)) terminal.kill();
});

const statusOf = (screen: string) =>
  screen.split('\n').filter((line) => / · (idle|thinking|writing|running|waiting)/.test(line));
const ready = (screen: string) => statusOf(screen).some((line) => line.includes(' · idle'));
const startupMs = 20_000;
const stepMs = 10_000;

async function openChat(steps: unknown[], extraEnv: NodeJS.ProcessEnv = {}, nodeFlags: string[] = []) {
  const { home, env } = await cleanEnv(extraEnv);
  const workspace = join(home, 'project');
  await mkdir(workspace, { recursive: true });
  await writeFile(join(workspace, 'notes.txt'), 'remember the milk\n');
  const script = await writeScript(home, steps);
  const terminal = new Terminal();
  terminals.push(terminal);
  terminal.start(
    [process.execPath, ...nodeFlags, auraBin, 'chat', '--dir', workspace, '--model', `script:${script}`],
    {
      ...env,
      XDG_STATE_HOME: join(home, 'state'),
      TERM: 'xterm-256color',
    },
  );
  await terminal.waitForScreen(ready, startupMs, 'the status line');
  return { terminal, home, workspace };
}

describe('aura chat in a terminal', () => {
  it('streams an answer, asks before running a command, shows help and redraws on resize', async () => {
    const { terminal } = await openChat([
      {
        text: 'Let me look at the files in this workspace first.',
        chunkSize: 4,
        delayMs: 100,
        tools: [{ name: 'exec', input: { command: 'ls' } }],
      },
      { text: 'There is one file: **notes.txt**.' },
    ]);
    terminal.type('what is in here?');
    await terminal.waitForScreen((s) => s.includes('❯ what is in here?'), stepMs, 'the typed prompt');
    terminal.press('Enter');
    await terminal.waitForScreen(
      (s) => s.includes('Let me') && !s.includes('workspace first.'),
      stepMs,
      'the answer part way through streaming',
    );
    let screen = await terminal.waitForScreen(
      (s) => s.includes('? Allow exec: ls'),
      stepMs,
      'the permission prompt',
    );
    expect(screen).toContain('[y] yes, once   [a] always   [n] no');
    expect(statusOf(screen).join('')).toContain('waiting for permission');
    terminal.type('y');
    screen = await terminal.waitForScreen(
      (s) => s.includes('There is one file') && ready(s),
      stepMs,
      'the final answer',
    );
    expect(screen).toContain('→ allowed once');
    expect(screen).toMatch(/✓ notes\.txt/);
    expect(terminal.screen({ escapes: true })).toMatch(/\u001b\[[0-9;]*3\dm/);

    terminal.type('/help');
    terminal.press('Enter');
    screen = await terminal.waitForScreen((s) => s.includes('Keys'), stepMs, 'the help');
    for (const command of ['/model', '/session', '/undo', '/clear', '/compact', '/cost', '/export', '/exit'])
      expect(screen).toContain(command);

    terminal.resize(60, 20);
    // Ink redraws the prompt at once; the transcript is printed again at the new width just after.
    const boxTops = (s: string) => s.split('\n').filter((line) => line.startsWith('╭'));
    screen = await terminal.waitForScreen(
      (s) => boxTops(s).length === 1 && boxTops(s)[0] === `╭${'─'.repeat(58)}╮` && ready(s),
      stepMs,
      'one prompt box, redrawn at 60 columns',
    );
    const lines = screen.split('\n');
    expect(statusOf(screen)).toHaveLength(1);
    // The transcript's last line once, printed again at the new width, not left over from before.
    expect(screen.match(/Ctrl\+D exit/g)).toHaveLength(1);
    // Every box row is whole: no piece of the 80-column frame is left behind.
    for (const line of lines.filter((l) => l.startsWith('│'))) expect(line.trimEnd()).toMatch(/^│.*│$/);
  });

  it('Ctrl-C cancels a slow answer, the prompt still works, and two Ctrl-C exit', async () => {
    const { terminal } = await openChat([
      { text: 'I am going to take a very long time to say very little at all.', chunkSize: 2, delayMs: 150 },
      { text: 'Back again.' },
    ]);
    terminal.type('take your time');
    terminal.press('Enter');
    await terminal.waitForScreen((s) => s.includes('I am going'), stepMs, 'the slow answer');
    terminal.press('C-c');
    let screen = await terminal.waitForScreen(
      (s) => s.includes('cancelled — what was done so far is saved.') && ready(s),
      stepMs,
      'the cancellation',
    );
    expect(screen).not.toContain('very little at all.');

    terminal.type('are you there?');
    terminal.press('Enter');
    await terminal.waitForScreen((s) => s.includes('Back again.') && ready(s), stepMs, 'the second answer');

    terminal.press('C-c');
    await terminal.waitForScreen((s) => s.includes('press Ctrl-C again to exit'), stepMs, 'the exit hint');
    terminal.press('C-c');
    screen = await terminal.waitForScreen((s) => s.includes('[aura exited 0]'), stepMs, 'the shell again');
    expect(screen).toMatch(/session saved · continue: aura chat --session ses_\w+/);
    // The prompt and the status line are gone: only the conversation stays on the screen.
    expect(screen).toContain('Back again.');
    expect(screen).not.toContain('Message the agent');
    expect(statusOf(screen)).toEqual([]);
  });

  it('with NO_COLOR the screen carries no colour at all; stray stderr output goes above it', async () => {
    // Once the screen is up (the terminal in raw mode), something writes to stderr.
    const strayWrite =
      'data:text/javascript,const t=setInterval(()=>{if(process.stdin.isRaw){clearInterval(t);process.stderr.write("a stray warning\\n")}},50);t.unref()';
    const { terminal } = await openChat(
      [
        {
          text: 'Writing a **greeting**.',
          tools: [{ name: 'write', input: { path: 'hello.txt', content: 'hello\n' } }],
        },
        { text: 'Done: `hello.txt`.' },
      ],
      { NO_COLOR: '1' },
      ['--import', strayWrite],
    );
    terminal.type('say hello');
    terminal.press('Enter');
    await terminal.waitForScreen((s) => s.includes('Done:') && ready(s), stepMs, 'the answer');
    const screen = terminal.screen({ escapes: true });
    expect(screen).toContain('● write hello.txt');
    expect(screen).not.toContain('\u001b[');
    const lines = screen.split('\n');
    expect(lines.filter((line) => line.includes('a stray warning'))).toEqual(['a stray warning']);
    expect(lines.findIndex((line) => line.includes('a stray warning'))).toBeLessThan(
      lines.findIndex((line) => line.startsWith('╭')),
    );
    expect(lines.filter((line) => line.startsWith('╭'))).toHaveLength(1);
  });

  it('says what is wrong when the session cannot be opened, before drawing anything', async () => {
    const { home, env } = await cleanEnv();
    const terminal = new Terminal();
    terminals.push(terminal);
    terminal.start([process.execPath, auraBin, 'chat', '--dir', home, '--session', 'ses_missing'], env);
    const screen = await terminal.waitForScreen((s) => s.includes('[aura exited 2]'), startupMs, 'the exit');
    expect(screen).toMatch(/^aura: .*ses_missing/m);
  });
});
