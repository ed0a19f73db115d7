import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { TerminalChannel, TerminalHandle } from '../api/socket/terminal-channel.ts';
import { errorMessage } from '../ui/alert.tsx';
import type { TerminalState } from './terminal-tabs.ts';

const theme = {
  background: '#09090b',
  foreground: '#e4e4e7',
  cursor: '#a5b4fc',
  selectionBackground: '#4f46e566',
  black: '#18181b',
  brightBlack: '#52525b',
};

/**
 * One xterm wired to one shell on the server: keystrokes go out as input, output is written as it
 * comes, and the terminal follows its element's size (fit addon) and tells the server.
 */
export class XtermSession {
  readonly #element: HTMLElement;
  readonly #channel: TerminalChannel;
  readonly #onState: (state: TerminalState) => void;
  readonly #term: Terminal;
  readonly #fit = new FitAddon();
  readonly #observer: ResizeObserver;
  #handle: TerminalHandle | undefined;
  #phase: 'idle' | 'opening' | 'open' | 'over' = 'idle';
  #frame = 0;

  constructor(element: HTMLElement, channel: TerminalChannel, onState: (state: TerminalState) => void) {
    this.#element = element;
    this.#channel = channel;
    this.#onState = onState;
    this.#term = new Terminal({
      cursorBlink: true,
      fontFamily: '"JetBrains Mono", ui-monospace, SFMono-Regular, Menlo, monospace',
      fontSize: 13,
      scrollback: 5000,
      theme,
    });
    this.#term.loadAddon(this.#fit);
    this.#term.open(element);
    this.#fitNow();
    this.#term.onData((data) => this.#handle?.write(data));
    this.#term.onResize((size) => this.#handle?.resize(size));
    this.#observer = new ResizeObserver(() => {
      cancelAnimationFrame(this.#frame);
      this.#frame = requestAnimationFrame(() => this.#fitNow());
    });
    this.#observer.observe(element);
  }

  /** Starts the shell, once, at the terminal's current size. */
  connect(): void {
    if (this.#phase !== 'idle') return;
    this.#phase = 'opening';
    const { cols, rows } = this.#term;
    this.#channel
      .open(
        { cols, rows },
        {
          output: (data) => this.#term.write(data),
          exit: (exitCode) => {
            this.#over();
            this.#term.write(
              `\r\n\x1b[2m[${exitCode === null ? 'stopped' : `exited with code ${exitCode}`}]\x1b[0m\r\n`,
            );
            this.#onState({ kind: 'exited', exitCode });
          },
          lost: () => {
            this.#over();
            this.#onState({ kind: 'lost' });
          },
        },
      )
      .then(
        (handle) => {
          if (this.#phase !== 'opening') {
            handle.close();
            return;
          }
          this.#phase = 'open';
          this.#handle = handle;
          // The element may have been resized while the shell started.
          handle.resize({ cols: this.#term.cols, rows: this.#term.rows });
          this.#onState({ kind: 'live' });
        },
        (error: unknown) => {
          if (this.#phase !== 'opening') return;
          this.#phase = 'over';
          this.#onState({ kind: 'failed', message: errorMessage(error) ?? 'The terminal could not open.' });
        },
      );
  }

  focus(): void {
    this.#term.focus();
  }

  /** Ends the shell and frees the terminal. */
  dispose(): void {
    this.#handle?.close();
    this.#over();
    this.#observer.disconnect();
    cancelAnimationFrame(this.#frame);
    this.#term.dispose();
  }

  #over(): void {
    this.#phase = 'over';
    this.#handle = undefined;
    this.#term.options.cursorBlink = false;
  }

  /** A hidden tab has no size: fitting it then would shrink the terminal to a sliver. */
  #fitNow(): void {
    if (this.#element.clientWidth > 0 && this.#element.clientHeight > 0) this.#fit.fit();
  }
}
