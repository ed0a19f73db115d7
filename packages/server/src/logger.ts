import { redactPaths, scrubSecrets } from '@aura/engine/log-scrub';
import pino, { type Logger } from 'pino';

/**
 * JSON lines to `destination` (stdout by default). Fields named like credentials are blanked,
 * and each line is scrubbed of anything shaped like a key or token: an error message or stack
 * can carry one in a URL or a header it quotes.
 */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stdout): Logger {
  return pino(
    {
      level,
      redact: { paths: redactPaths, censor: '[redacted]' },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    { write: (line: string) => destination.write(scrubSecrets(line)) },
  );
}

export type { Logger };
