import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLError } from 'yaml';
import { ConfigError } from './errors.ts';
import { describeIssues } from './issues.ts';
import { type AuraConfig, configSchema } from './schema.ts';

/** `file:line:col: invalid YAML: reason`, the location editors and terminals recognise. */
export function yamlErrorMessage(file: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const reason = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  const start = error instanceof YAMLError ? error.linePos?.[0] : undefined;
  const location = start ? `${file}:${start.line}:${start.col}` : file;
  return `${location}: invalid YAML: ${reason}`;
}

/** Checks parsed YAML against the schema; an empty document is an empty config. */
export function validateConfig(file: string, raw: unknown): AuraConfig {
  if (raw === null || raw === undefined) return {};
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(describeIssues(file, result.error.issues, raw));
  return result.data;
}

/** Reads and validates one YAML config file. A missing file is an empty config. */
export async function readConfigFile(file: string): Promise<AuraConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`${file}: cannot read: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ConfigError(yamlErrorMessage(file, error));
  }
  return validateConfig(file, raw);
}
