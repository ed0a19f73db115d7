import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type Document, parseDocument } from 'yaml';
import { ConfigError, describeIssues } from './load.ts';
import { type AuraConfig, configSchema } from './schema.ts';

/**
 * Changes a YAML config file in place, keeping its comments and layout. The result is validated
 * before anything is written, so a bad change leaves the file as it was; the write is atomic and
 * the file is private to its owner (it may hold API keys).
 */
export async function updateConfigFile(file: string, change: (doc: Document) => void): Promise<AuraConfig> {
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new ConfigError(`${file}: cannot read: ${(error as Error).message}`);
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new ConfigError(`${file}: invalid YAML: ${doc.errors[0]?.message.split('\n')[0]}`);
  }
  change(doc);
  const result = configSchema.safeParse(doc.toJS() ?? {});
  if (!result.success) throw new ConfigError(describeIssues(file, result.error.issues));
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, doc.toString(), { mode: 0o600 });
  await rename(temporary, file);
  return result.data;
}
