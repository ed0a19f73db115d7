import { spawn } from 'node:child_process';
import { buildCommandEnv } from '../sandbox/env.ts';
import { TemplateError } from './errors.ts';

/** Host variables an install needs to reach the registry the way the operator set it up. */
const NETWORK_ENV = [
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'npm_config_registry',
  'NPM_CONFIG_REGISTRY',
  'npm_config_userconfig',
  'NPM_CONFIG_USERCONFIG',
];

/**
 * The environment of an install into the cache: the sandbox's scrubbed host allowlist (no
 * provider keys, no database URLs), the operator's proxy/registry settings, and npm settings of
 * our own. Other `npm_config_*` variables are not inherited: when the server itself runs under
 * `npm start`, they describe the server's package (its prefix, its scripts), not the template.
 */
export function installEnv(npmCacheDir: string | undefined, host: NodeJS.ProcessEnv = process.env) {
  const network: Record<string, string> = {};
  for (const name of NETWORK_ENV) {
    const value = host[name];
    if (value) network[name] = value;
  }
  const env = buildCommandEnv(host, network, {
    npm_config_prefer_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_progress: 'false',
    ...(npmCacheDir ? { npm_config_cache: npmCacheDir } : {}),
  });
  // NODE_ENV=production would make npm leave out devDependencies (vite, typescript).
  delete env.NODE_ENV;
  return env;
}

export interface RunInstallOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  onLine?: (line: string) => void;
  /** For error messages. */
  template: string;
}

const TAIL_LINES = 40;

/** Runs `sh -c command` in its own process group; rejects with the output's tail on failure. */
export function runInstall(command: string, options: RunInstallOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const lineReader = () => {
      let partial = '';
      return (chunk: Buffer) => {
        const lines = (partial + chunk.toString('utf8')).split(/\r?\n/);
        partial = lines.pop() ?? '';
        for (const line of lines) emit(line);
      };
    };
    const emit = (line: string) => {
      if (!line.trim()) return;
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      options.onLine?.(line);
    };
    child.stdout.on('data', lineReader());
    child.stderr.on('data', lineReader());

    let reason: string | undefined;
    const killGroup = (why: string) => {
      reason ??= why;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => killGroup(`timed out after ${options.timeoutMs} ms`), options.timeoutMs);
    const onAbort = () => killGroup('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (error?: TemplateError) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    child.on('error', (error) =>
      finish(
        new TemplateError('install_failed', `Cannot run "${command}": ${error.message}`, { cause: error }),
      ),
    );
    child.on('close', (code, signal) => {
      if (code === 0 && !reason) return finish();
      const how = reason ?? (signal ? `was killed (${signal})` : `exited with code ${code}`);
      const output = tail.length > 0 ? `\n${tail.join('\n')}` : '';
      finish(
        new TemplateError(
          reason === 'cancelled' ? 'cancelled' : 'install_failed',
          `Installing the dependencies of template "${options.template}" failed: "${command}" ${how}.${output}`,
        ),
      );
    });
  });
}
