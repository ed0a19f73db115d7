import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { redactPaths, scrubSecrets } from '@aura/engine/log-scrub';
import { type Level, type Logger, pino } from 'pino';
import { prettyLine } from './log/pretty.ts';
import { RotatingFile } from './log/rotating-file.ts';
import { createStyle } from './style.ts';

export interface LoggingOptions {
  /** Also print human-readable lines on stderr, from debug level up. */
  verbose: boolean;
  env?: NodeJS.ProcessEnv;
  stderr?: NodeJS.WriteStream;
}

interface Target {
  minLevel: number;
  write(line: string): void;
}

export const logFileLimits = { maxBytes: 5 * 1024 * 1024, keep: 3 };

const levels: readonly string[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

let targets: Target[] = [];
let logFile: RotatingFile | undefined;
let monitoring = false;

/** Lines go to whichever targets `setupLogging` installed, scrubbed of anything that looks like a key. */
const destination = {
  write(line: string): void {
    const level = Number(/^\{"level":(\d+)/.exec(line)?.[1] ?? 0);
    const scrubbed = scrubSecrets(line);
    for (const target of targets) if (level >= target.minLevel) target.write(scrubbed);
  },
};

/**
 * The CLI's logger. Silent until `setupLogging` runs (main does, before it loads a command), so
 * modules and tests that import it write nothing. Create children after setup: a child keeps the
 * level its parent had when it was made.
 */
export const log: Logger = pino(
  {
    level: 'silent',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths, censor: '[redacted]' },
  },
  destination,
);

/** `$XDG_STATE_HOME/aura`, by default `~/.local/state/aura`. */
export function logDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'aura');
}

/**
 * JSON lines into a rotating `aura.log` at AURA_LOG_LEVEL (default info), and with --verbose
 * readable debug lines on stderr too. Logging never stops a command: a log file that cannot be
 * opened turns file logging off (said on stderr with --verbose only).
 */
export function setupLogging(options: LoggingOptions): void {
  const env = options.env ?? process.env;
  const stderr = options.stderr ?? process.stderr;
  const notice = (message: string) => {
    if (options.verbose) stderr.write(`aura: ${message}\n`);
  };
  const requested = env.AURA_LOG_LEVEL?.trim().toLowerCase() || 'info';
  let fileLevel = levels.includes(requested) ? requested : 'info';
  if (fileLevel !== requested) {
    stderr.write(
      `aura: AURA_LOG_LEVEL="${env.AURA_LOG_LEVEL}" is not one of ${levels.join(', ')}; using info\n`,
    );
  }
  if (options.verbose && levelValue(fileLevel) > levelValue('debug')) fileLevel = 'debug';

  logFile?.close();
  logFile = undefined;
  targets = [];
  if (fileLevel !== 'silent') {
    const file = openLogFile(logDirectory(env), notice);
    if (file) {
      logFile = file;
      const fileTarget: Target = {
        minLevel: levelValue(fileLevel),
        write: (line) => {
          try {
            file.write(line);
          } catch (error) {
            targets = targets.filter((target) => target !== fileTarget);
            notice(`log file off: cannot write ${file.path}: ${(error as Error).message}`);
          }
        },
      };
      targets.push(fileTarget);
    }
  }
  if (options.verbose) {
    const style = createStyle(stderr, env);
    targets.push({ minLevel: levelValue('debug'), write: (line) => stderr.write(prettyLine(line, style)) });
  }
  const lowest = Math.min(...targets.map((target) => target.minLevel));
  log.level = targets.length > 0 ? (pino.levels.labels[lowest] ?? 'info') : 'silent';

  if (!monitoring) {
    monitoring = true;
    // A monitor only observes: Node still prints the error and exits as it would have.
    process.on('uncaughtExceptionMonitor', (error, origin) =>
      log.fatal({ err: error, origin }, 'uncaught error'),
    );
  }
}

function levelValue(level: string): number {
  return level === 'silent' ? Number.POSITIVE_INFINITY : (pino.levels.values[level as Level] ?? 30);
}

function openLogFile(directory: string, notice: (message: string) => void): RotatingFile | undefined {
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    return new RotatingFile(join(directory, 'aura.log'), logFileLimits);
  } catch (error) {
    notice(`log file off: cannot open ${join(directory, 'aura.log')}: ${(error as Error).message}`);
    return undefined;
  }
}
