import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { buildCommandEnv } from './env.ts';
import type { Launcher, LaunchRequest, LaunchSpec } from './launch.ts';
import {
  DEFAULT_EXEC_TIMEOUT_MS,
  DEFAULT_MAX_OUTPUT_BYTES,
  ProcessSandbox,
  type RunnerOptions,
} from './runner.ts';
import type { Sandbox, SandboxDescription } from './types.ts';

// The docker driver shares these defaults.
export { DEFAULT_EXEC_TIMEOUT_MS, DEFAULT_MAX_OUTPUT_BYTES };

export interface LocalSandboxOptions extends RunnerOptions {
  /** Workspace root on the host; commands run here (or in a `cwd` inside it). */
  workspace: string;
  /** Shell used as `<shell> -c <command>` (default: /bin/bash when present, else /bin/sh). */
  shell?: string;
}

export function defaultShell(): string {
  return existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
}

/**
 * `<shell> -c`. Node's stdio pipes are sockets, and bash sources ~/.bashrc when its stdin is a socket
 * (it takes it for rshd/sshd): `--norc` keeps the host user's rc files (pyenv hooks, prompts) out.
 */
export function shellCommandArgs(shell: string): string[] {
  return path.basename(shell) === 'bash' ? ['--norc', '-c'] : ['-c'];
}

/** The shell itself: no wrapper, no isolation. */
class LocalLauncher implements Launcher {
  readonly kind = 'local';
  readonly workspace: string;
  readonly #shell: string;

  constructor(workspace: string, shell: string) {
    this.workspace = workspace;
    this.#shell = shell;
  }

  program(): string {
    return this.#shell;
  }

  environment(cwd: string, explicit: (Record<string, string> | undefined)[]): Record<string, string> {
    return buildCommandEnv(process.env, ...explicit, { PWD: cwd });
  }

  spec({ command, cwd, env }: LaunchRequest): LaunchSpec {
    // A terminal gets an interactive login shell, as a terminal emulator would start.
    const args = command === undefined ? ['-l'] : [...shellCommandArgs(this.#shell), command];
    return { file: this.#shell, args, env, cwd };
  }
}

/** A sandbox that runs commands directly on the host, confined only by cwd and a scrubbed env. */
export function createLocalSandbox(options: LocalSandboxOptions): Sandbox {
  const workspace = realpathSync(path.resolve(options.workspace));
  const launcher = new LocalLauncher(workspace, options.shell ?? defaultShell());
  const description: SandboxDescription = {
    kind: 'local',
    isolated: false,
    network: true,
    user: { uid: process.getuid?.() ?? -1, gid: process.getgid?.() ?? -1, name: 'server user' },
    workspacePath: workspace,
    limits: [
      {
        name: 'timeout',
        value: options.defaultTimeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS,
        unit: 'ms',
        mechanism: 'wall clock',
        scope: 'command',
      },
      {
        name: 'output',
        value: options.defaultMaxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
        unit: 'bytes',
        mechanism: 'capture cap',
        scope: 'command',
      },
    ],
    notes: [
      'Unisolated: commands run as the server user with the full host filesystem and network; only the environment is scrubbed.',
    ],
  };
  return new ProcessSandbox(launcher, options, { describe: async () => description });
}
