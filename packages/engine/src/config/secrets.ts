import type { KeyPath } from './schema-path.ts';

/** Key names whose values are credentials. `apiKeyEnv` names a variable, so it is not one. */
const secretName = /(apikey|token|secret|password)$/i;
/** Maps whose every value may be a credential: HTTP headers and an MCP server's environment. */
const secretMaps = new Set(['headers', 'env']);

export function isSecretPath(path: KeyPath): boolean {
  return path.some(
    (segment, index) =>
      typeof segment === 'string' &&
      (secretName.test(segment) || (index < path.length - 1 && secretMaps.has(segment))),
  );
}

/** `••••` and, for a value long enough that it still hides the rest, its last 4 characters. */
export function maskSecret(value: string): string {
  return value.length >= 12 ? `••••${value.slice(-4)}` : '••••';
}

/** A copy of `value` (found at `path`) with every credential in it masked. */
export function maskSecrets(value: unknown, path: KeyPath): unknown {
  if (Array.isArray(value)) return value.map((item, index) => maskSecrets(item, [...path, index]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, maskSecrets(item, [...path, key])]),
    );
  }
  if (value === undefined || value === null || !isSecretPath(path)) return value;
  return maskSecret(String(value));
}
