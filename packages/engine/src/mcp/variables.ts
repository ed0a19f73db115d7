/** A config value that cannot be used as written (a `${VAR}` that is not set). */
export class McpConfigError extends Error {
  override name = 'McpConfigError';
}

const reference = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${NAME}` in env and header values with the variable's value, so a config file can name
 * a secret without holding it. `what` names the setting in errors (`env`, `header`).
 */
export function expandVariables(
  values: Record<string, string> | undefined,
  env: NodeJS.ProcessEnv,
  what: string,
): Record<string, string> {
  const expanded: Record<string, string> = {};
  for (const [key, value] of Object.entries(values ?? {})) {
    expanded[key] = value.replace(reference, (_, name: string) => {
      const found = env[name];
      if (found === undefined)
        throw new McpConfigError(`${what} ${key} refers to \${${name}}, which is not set in the environment`);
      return found;
    });
  }
  return expanded;
}
