import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const auraBin = fileURLToPath(new URL('../bin/aura.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliEnv {
  home: string;
  data: string;
  env: NodeJS.ProcessEnv;
}

/** A clean HOME, config dir and data dir, and no provider keys from the developer's shell. */
export async function cleanEnv(extra: NodeJS.ProcessEnv = {}): Promise<CliEnv> {
  const home = await mkdtemp(join(tmpdir(), 'aura-home-'));
  const data = join(home, 'data');
  return {
    home,
    data,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_DATA_HOME: join(home, 'share'),
      LANG: 'C.UTF-8',
      ...extra,
    },
  };
}

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
  onStdout?: (chunk: string, kill: (signal: NodeJS.Signals) => void) => void;
}

/**
 * Runs a program to its end and collects its output. With `input` its stdin is a pipe that gets
 * `input` and is closed; without, it has no stdin.
 */
export function runProgram(command: string, args: string[], opts: RunOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: opts.env,
      cwd: opts.cwd,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    // Both are pipes (stdio above).
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      opts.onStdout?.(chunk, (signal) => child.kill(signal));
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Runs aura; see runProgram for `input`. */
export function runAura(args: string[], opts: RunOptions): Promise<CliResult> {
  return runProgram(process.execPath, [auraBin, ...args], opts);
}

export async function writeScript(dir: string, steps: unknown[], name = 'script.json'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify({ steps }));
  return path;
}
