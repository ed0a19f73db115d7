// What the CLI's and the server's logs keep out of every line. Its own module (and package
// export), so the CLI's logger loads it without the engine.

/** Key names whose values pino replaces, at any of the first four levels of a log record. */
const secretKeys = [
  'apiKey',
  'api_key',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
  'Authorization',
  'cookie',
  'password',
  'secret',
  'clientSecret',
];
const secretHeaders = ['["x-api-key"]', '["set-cookie"]', '["proxy-authorization"]'];

export const redactPaths = [
  ...secretKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]),
  ...secretHeaders.flatMap((header) => [`headers${header}`, `*.headers${header}`, `*.*.headers${header}`]),
];

/**
 * Where a credential may start: not inside a longer word, but possibly right after a JSON escape
 * such as `\n`, since lines are scrubbed after serialisation.
 */
const start = String.raw`(?:(?<![A-Za-z0-9_])|(?<=\\[nrtbf]))`;

/**
 * Values that look like credentials wherever they appear: in a message, an error's stack, a
 * command line. Each keeps its recognisable prefix. The character classes stop at `"` and `\`,
 * so scrubbing a JSON line keeps it valid JSON.
 */
const secretPatterns: [RegExp, string][] = [
  // First, so that `Bearer aura_pat_…` becomes `Bearer [redacted]`.
  [new RegExp(`${start}(Bearer|Basic)\\s+[A-Za-z0-9._~+/=-]{8,}`, 'g'), '$1 [redacted]'],
  [new RegExp(`${start}sk-[A-Za-z0-9_-]{8,}`, 'g'), 'sk-[redacted]'],
  [new RegExp(`${start}aura_pat_[A-Za-z0-9_-]+`, 'g'), 'aura_pat_[redacted]'],
  [new RegExp(`${start}gh[pousr]_[A-Za-z0-9]{16,}`, 'g'), 'gh_[redacted]'],
  [new RegExp(`${start}github_pat_[A-Za-z0-9_]+`, 'g'), 'github_pat_[redacted]'],
  [new RegExp(`${start}AIza[0-9A-Za-z_-]{20,}`, 'g'), 'AIza[redacted]'],
  [/(\/\/)[^/\s:@"\\]+:[^/\s@"\\]+@/g, '$1[redacted]@'],
];

export function scrubSecrets(text: string): string {
  let scrubbed = text;
  for (const [pattern, replacement] of secretPatterns) scrubbed = scrubbed.replace(pattern, replacement);
  return scrubbed;
}
