/** A config problem, worded for the person who wrote the config: each line names the file (or variable) and the key. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
