import { type ExecInput, execInput } from '@aura/protocol';
import { shellSegments } from '../permission/shell-segments.ts';
import type { ExecResult } from '../sandbox/types.ts';
import { truncateMiddle } from './text.ts';
import type { ToolContext, ToolDefinition, ToolOutput } from './types.ts';

export const DEFAULT_EXEC_TIMEOUT_MS = 120_000;
/** What the model sees of a command's output; the sandbox may capture more (for UIs). */
export const MAX_EXEC_OUTPUT_BYTES = 30 * 1024;
/** How long a background command runs before its first output is returned. */
export const BACKGROUND_SETTLE_MS = 1_000;

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** stdout, then stderr under a marker, capped keeping head and tail. */
export function combineOutput(stdout: string, stderr: string): { text: string; truncated: boolean } {
  let text = stdout;
  if (stderr.trim() !== '') {
    if (text !== '' && !text.endsWith('\n')) text += '\n';
    text += `${text === '' ? '' : '\n'}[stderr]\n${stderr}`;
  }
  return truncateMiddle(text, MAX_EXEC_OUTPUT_BYTES);
}

function statusLine(result: ExecResult, timeoutMs: number): string {
  if (result.timedOut) {
    return `[Timed out after ${seconds(timeoutMs)}: the command and its child processes were killed (${result.signal ?? 'SIGKILL'}). Pass a larger timeout_ms, or background: true for servers and watchers.]`;
  }
  if (result.aborted) return '[Cancelled: the command was killed.]';
  if (result.exitCode === null) return `[Killed by signal ${result.signal ?? 'unknown'}]`;
  return `[Exit code: ${result.exitCode}]`;
}

async function runBackground(input: ExecInput, ctx: ToolContext): Promise<ToolOutput> {
  const proc = await ctx.sandbox.spawnBackground(input.command);
  const deadline = Date.now() + BACKGROUND_SETTLE_MS;
  while (Date.now() < deadline && proc.exitCode === undefined && !ctx.signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const initial = truncateMiddle(proc.output(), MAX_EXEC_OUTPUT_BYTES).text;
  const shown = initial.trim() === '' ? '(no output yet)' : initial;
  if (proc.exitCode !== undefined) {
    return {
      ok: proc.exitCode === 0,
      output: `${shown}\n[The background command already exited with code ${proc.exitCode ?? 'null (killed)'}.]`,
      metadata: { background: true, id: proc.id, pid: proc.pid, exitCode: proc.exitCode },
    };
  }
  const stopHint = proc.pid !== undefined ? ` Stop it with: kill -- -${proc.pid}` : '';
  return {
    ok: true,
    output: `Started background process ${proc.id} (pid ${proc.pid ?? 'unknown'}). It keeps running after this call.${stopHint}\nOutput so far:\n${shown}`,
    metadata: { background: true, id: proc.id, pid: proc.pid },
  };
}

export const execTool: ToolDefinition<ExecInput> = {
  name: 'exec',
  description: [
    'Run a shell command (bash -c) in the workspace root and return its output and exit code. Use it for builds, tests, git and package managers.',
    `The command times out after ${seconds(DEFAULT_EXEC_TIMEOUT_MS)} unless timeout_ms is set; on timeout it and every process it started are killed. Output is capped at ${MAX_EXEC_OUTPUT_BYTES / 1024} KB (the start and the end are kept).`,
    "Commands are non-interactive: stdin is empty, so pass flags like --yes / -y. The environment does not contain the host's secrets or API keys.",
    'For servers and watchers set background: true: the call returns after about a second with the process id and first output, and the process keeps running. Processes a normal command leaves behind are stopped when it exits.',
    'Prefer the read, grep, glob, list and edit tools over cat, grep, find, ls and sed.',
  ].join('\n'),
  inputSchema: execInput,
  readOnly: false,
  subject: (input) => input.command,
  // Rules judge every command a compound line runs, not just its first word.
  subjects: (input) => shellSegments(input.command),
  async execute(input, ctx) {
    if (input.background) return runBackground(input, ctx);
    const timeoutMs = input.timeout_ms ?? DEFAULT_EXEC_TIMEOUT_MS;
    const result = await ctx.sandbox.exec(input.command, { timeoutMs, signal: ctx.signal });
    const combined = combineOutput(result.stdout, result.stderr);
    const notes: string[] = [];
    if (result.truncated || combined.truncated)
      notes.push('[Output was truncated: only the beginning and end are shown.]');
    notes.push(statusLine(result, timeoutMs));
    const body = combined.text === '' ? '(no output)' : combined.text.replace(/\n$/, '');
    return {
      ok: result.exitCode === 0 && !result.timedOut,
      output: `${body}\n${notes.join('\n')}`,
      metadata: {
        exitCode: result.exitCode,
        signal: result.signal,
        timedOut: result.timedOut,
        durationMs: result.durationMs,
        truncated: result.truncated || combined.truncated,
      },
    };
  },
};
