import { RemoteError } from './errors.ts';

/**
 * A server URL as credentials are keyed: its origin (`https://aura.example.com`,
 * `http://127.0.0.1:3000`), so a pasted browser address with a path finds the same entry.
 */
export function normalizeServer(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new RemoteError(
      'invalid_url',
      `"${input}" is not a server URL: give it as http(s)://host[:port], e.g. https://aura.example.com.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new RemoteError('invalid_url', `"${input}" is not an http:// or https:// URL.`);
  if (url.username || url.password)
    throw new RemoteError('invalid_url', 'The server URL must not contain a user name or password.');
  return url.origin;
}
