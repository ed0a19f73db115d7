import { render } from 'ink';
import React from 'react';
import type { ChatBackend } from '../chat/backend.ts';
import { ChatApp } from './app.ts';
import { historyFile, PromptHistory } from './history.ts';
import type { FileSnippet } from './mentions.ts';

export interface TuiOptions {
  backend: ChatBackend;
  color: boolean;
  cwd: string;
  home?: string;
  readMention?: (path: string, limit: number) => Promise<FileSnippet>;
  subscribeNotices: (listener: (message: string) => void) => () => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs the chat screen until the person leaves. This module loads Ink and the chalk it brings, and
 * chalk reads FORCE_COLOR once, when first imported: set it before importing this module.
 */
export async function runChatTui(opts: TuiOptions): Promise<void> {
  const [history, initialMessages] = await Promise.all([
    PromptHistory.open(historyFile(opts.env)),
    opts.backend.messages(),
  ]);
  const terminalStderr = process.stderr.write.bind(process.stderr);
  // Raw before the first frame, not when Ink's input hook mounts just after it: keys typed as soon
  // as the prompt shows would otherwise meet the terminal's line mode, which echoes them and turns
  // Enter into a line feed (a line break in the editor instead of sending).
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  const instance = render(
    React.createElement(ChatApp, {
      backend: opts.backend,
      initialMessages,
      history,
      color: opts.color,
      cwd: opts.cwd,
      subscribeNotices: opts.subscribeNotices,
      ...(opts.home ? { home: opts.home } : {}),
      ...(opts.readMention ? { readMention: opts.readMention } : {}),
    }),
    {
      exitOnCtrlC: false,
      // Interactive even when a CI variable is set: `aura chat` only starts on a terminal.
      interactive: true,
      // Ink's own writes to stderr go to the terminal, not through the redirection below.
      stderr: { write: terminalStderr } as unknown as NodeJS.WriteStream,
    },
  );
  const restoreStderr = writeStderrAboveScreen();
  try {
    await instance.waitUntilExit();
  } finally {
    restoreStderr();
  }
}

/**
 * While the screen is up, anything written to stderr (`--verbose` log lines, a runtime warning)
 * goes through the console Ink patched, which prints it above the screen instead of through it.
 */
function writeStderrAboveScreen(): () => void {
  const original = process.stderr.write;
  const above = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    console.error(String(chunk).replace(/\n$/, ''));
    const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    done?.();
    return true;
  };
  // The overloads of write() are all served by `above`.
  process.stderr.write = above as typeof process.stderr.write;
  return () => {
    process.stderr.write = original;
  };
}
