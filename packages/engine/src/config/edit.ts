import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type Document, parseDocument } from 'yaml';
import { ConfigError } from './errors.ts';
import { validateConfig, yamlErrorMessage } from './read.ts';
import type { AuraConfig } from './schema.ts';

export interface UpdateConfigOptions {
  /** Further checks on the validated result; throw a ConfigError to refuse the change. */
  verify?: (config: AuraConfig) => void;
}

/** The file's YAML document (empty when the file does not exist yet). */
export async function readConfigDocument(file: string): Promise<Document> {
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new ConfigError(`${file}: cannot read: ${(error as Error).message}`);
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new ConfigError(yamlErrorMessage(file, doc.errors[0]));
  return doc;
}

/**
 * Changes a YAML config file in place, keeping its comments and layout. The result is validated
 * before anything is written, so a bad change leaves the file as it was; the write is atomic and
 * the file is private to its owner (it may hold API keys).
 */
export async function updateConfigFile(
  file: string,
  change: (doc: Document) => void,
  options: UpdateConfigOptions = {},
): Promise<AuraConfig> {
  const doc = await readConfigDocument(file);
  change(doc);
  const config = validateConfig(file, doc.toJS());
  options.verify?.(config);
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, doc.toString(), { mode: 0o600 });
  await rename(temporary, file);
  return config;
}
