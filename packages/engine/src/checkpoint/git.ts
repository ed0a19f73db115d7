import { spawn } from 'node:child_process';
import { CheckpointGitError } from './errors.ts';

export interface Repo {
  /** Realpath of the workspace: git's work tree. */
  workspace: string;
  /** The checkpoint repository (bare), never the workspace's own `.git`. */
  gitDir: string;
}

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
  /** stdout went past `maxStdout` and was cut there. */
  truncated: boolean;
}

export interface GitOptions {
  /** Written to git's stdin. */
  input?: Buffer | string;
  /** Exit codes that are answers rather than failures (e.g. 1 from `diff --quiet`). */
  okCodes?: number[];
  /** Keep at most this much stdout; the rest is discarded (default 64 MiB). */
  maxStdout?: number;
}

export const author = { name: 'Aura', email: 'aura@localhost' };

/**
 * The whole configuration git sees: nothing from the system, the user's home or the workspace's
 * own repository, no hooks, no fsmonitor, no conversions — so a checkpoint is the same bytes
 * whoever runs the server and whatever the workspace contains.
 */
const configArgs = [
  'safe.directory=*',
  'core.hooksPath=/dev/null',
  'core.fsmonitor=false',
  'core.untrackedCache=false',
  'core.autocrlf=false',
  'core.safecrlf=false',
  'core.symlinks=true',
  'core.fileMode=true',
  'core.quotePath=false',
  'core.precomposeUnicode=false',
  'commit.gpgSign=false',
  'gc.autoDetach=false',
  'init.defaultBranch=main',
  'advice.detachedHead=false',
].flatMap((setting) => ['-c', setting]);

function gitEnv(repo: Repo): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: repo.gitDir,
    XDG_CONFIG_HOME: repo.gitDir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
    GIT_TERMINAL_PROMPT: '0',
    // Paths are file names, never globs or magic (`:(top)`, `*.ts`).
    GIT_LITERAL_PATHSPECS: '1',
    LC_ALL: 'C',
  };
}

/** Runs git on the checkpoint repository with the workspace as its work tree. */
export function git(repo: Repo, args: string[], opts: GitOptions = {}): Promise<GitResult> {
  const maxStdout = opts.maxStdout ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(
      'git',
      [...configArgs, `--git-dir=${repo.gitDir}`, `--work-tree=${repo.workspace}`, ...args],
      {
        cwd: repo.workspace,
        env: gitEnv(repo),
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    const out: Buffer[] = [];
    let outBytes = 0;
    let truncated = false;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (outBytes >= maxStdout) {
        truncated = true;
        return;
      }
      const room = maxStdout - outBytes;
      if (chunk.length > room) truncated = true;
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
      out.push(kept);
      outBytes += kept.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 16_384) stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => reject(new CheckpointGitError(`Could not run git: ${error.message}`)));
    child.on('close', (code, signal) => {
      const exit = code ?? -1;
      if (exit === 0 || opts.okCodes?.includes(exit)) {
        resolve({ code: exit, stdout: Buffer.concat(out), stderr, truncated });
        return;
      }
      const why = signal ? `was killed by ${signal}` : `exited with ${exit}`;
      reject(new CheckpointGitError(`git ${args[0]} ${why}: ${stderr.trim().slice(0, 2000)}`));
    });
    // A command that does not read its stdin closes it early; that is not an error.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

/** Splits NUL-terminated git output (`-z`) into its fields. */
export function nulFields(output: Buffer): string[] {
  const text = output.toString('utf8');
  const fields = text.split('\0');
  if (fields.at(-1) === '') fields.pop();
  return fields;
}
