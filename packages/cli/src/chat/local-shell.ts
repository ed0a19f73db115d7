import {
  type PermissionAnswer,
  PermissionGate,
  type PermissionRequest,
  type PermissionRule,
  type Sandbox,
  shellSegments,
} from '@aura/engine';
import type { ShellResult } from './backend.ts';

/** `!cmd` is for quick looks (git status, ls, a test run), not for servers: those belong to the agent. */
export const SHELL_TIMEOUT_MS = 10 * 60_000;
/** What is kept of a command's output (the sandbox drops the rest and says so). */
export const SHELL_OUTPUT_BYTES = 64 * 1024;

export interface ShellPassthrough {
  sandbox: Sandbox;
  /** The rules `exec` calls of the agent follow. */
  rules: PermissionRule[];
  /** Saves an "always" answer like the agent's runs do. */
  persist: (rule: PermissionRule) => Promise<void>;
  /** Asks the person (a `permission_request` the TUI shows) and waits for the answer. */
  ask: (request: PermissionRequest) => Promise<PermissionAnswer>;
  signal: AbortSignal;
}

/**
 * Runs a command typed as `!cmd` in the workspace's sandbox, judged by the same rules as the
 * agent's `exec` (every command of a compound line): deny refuses, allow runs, ask asks first.
 */
export async function runShellCommand(command: string, deps: ShellPassthrough): Promise<ShellResult> {
  const gate = new PermissionGate({ rules: deps.rules, mode: 'ask', persist: deps.persist, ask: deps.ask });
  let decision: Awaited<ReturnType<PermissionGate['check']>>;
  try {
    decision = await gate.check('exec', { command }, shellSegments(command));
  } catch {
    // The question was withdrawn (Ctrl-C, the chat closing) before anyone answered it.
    return { ok: false, exitCode: null, output: 'Cancelled before it ran.', denied: true };
  }
  if (!decision.allowed) return { ok: false, exitCode: null, output: decision.reason, denied: true };

  const result = await deps.sandbox.exec(command, {
    timeoutMs: SHELL_TIMEOUT_MS,
    maxOutputBytes: SHELL_OUTPUT_BYTES,
    signal: deps.signal,
  });
  const notes: string[] = [];
  if (result.truncated) notes.push(`[output cut at ${SHELL_OUTPUT_BYTES / 1024} KB]`);
  if (result.timedOut) notes.push(`[stopped after ${SHELL_TIMEOUT_MS / 60_000} minutes]`);
  else if (result.aborted) notes.push('[cancelled]');
  else if (result.exitCode === null) notes.push(`[killed by ${result.signal ?? 'a signal'}]`);
  const output = [result.stdout, result.stderr]
    .filter((text) => text !== '')
    .map((text) => (text.endsWith('\n') ? text : `${text}\n`))
    .join('');
  return {
    ok: result.exitCode === 0 && !result.timedOut,
    exitCode: result.exitCode,
    output: notes.length > 0 ? `${output}${notes.join('\n')}\n` : output,
  };
}

/** Questions `!cmd` asked and nobody has answered yet, by request id. */
export class PendingQuestions {
  readonly #waiting = new Map<
    string,
    { resolve: (answer: PermissionAnswer) => void; reject: (reason: Error) => void }
  >();

  /** Registers the question (before it is shown, so a fast answer always finds it). */
  wait(requestId: string): Promise<PermissionAnswer> {
    return new Promise((resolve, reject) => this.#waiting.set(requestId, { resolve, reject }));
  }

  answer(requestId: string, answer: PermissionAnswer): boolean {
    const waiting = this.#waiting.get(requestId);
    if (!waiting) return false;
    this.#waiting.delete(requestId);
    waiting.resolve(answer);
    return true;
  }

  withdrawAll(reason: string): void {
    for (const { reject } of this.#waiting.values()) reject(new Error(reason));
    this.#waiting.clear();
  }
}
