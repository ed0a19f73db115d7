import { type Document, isCollection } from 'yaml';
import { readConfigDocument, updateConfigFile } from './edit.ts';
import { ConfigError } from './errors.ts';
import { projectConfigRefusals } from './project.ts';
import type { AuraConfig } from './schema.ts';
import { expectsText, type KeyPath, resolveKey } from './schema-path.ts';
import { parseValueText } from './value-text.ts';

export interface SetValueOptions {
  /** The file is a project's `.aura/config.yaml`: refuse what a project config may not hold. */
  project?: boolean;
}

/** Sets one dotted key in a config file; the whole file is validated before it is written. */
export async function setConfigValue(
  file: string,
  key: string,
  text: string,
  options: SetValueOptions = {},
): Promise<AuraConfig> {
  const { path, schema } = resolveKey(key);
  const value = parseValueText(text, expectsText(schema));
  return updateConfigFile(
    file,
    (doc) => {
      checkListPosition(doc, path, file);
      try {
        doc.setIn(path, value);
      } catch (error) {
        throw new ConfigError(`${file}: ${key}: cannot set it here: ${(error as Error).message}`);
      }
    },
    {
      verify: (config) => {
        if (!options.project || (path[0] !== 'permissions' && path[0] !== 'mcp')) return;
        const refusals = projectConfigRefusals(config, file);
        if (refusals.length > 0) throw new ConfigError(refusals.join('\n'));
      },
    },
  );
}

/** Removes one dotted key (and maps it leaves empty). Returns false when the file did not set it. */
export async function unsetConfigValue(file: string, key: string): Promise<boolean> {
  const { path } = resolveKey(key);
  if (!(await readConfigDocument(file)).hasIn(path)) return false;
  await updateConfigFile(file, (doc) => {
    doc.deleteIn(path);
    for (let depth = path.length - 1; depth >= 1; depth--) {
      const parent = doc.getIn(path.slice(0, depth));
      if (!isCollection(parent) || parent.items.length > 0) break;
      doc.deleteIn(path.slice(0, depth));
    }
  });
  return true;
}

/** A list item is named by its position: an existing one, or the next one to append. */
function checkListPosition(doc: Document, path: KeyPath, file: string): void {
  path.forEach((segment, index) => {
    if (typeof segment !== 'number') return;
    const list = doc.getIn(path.slice(0, index));
    const length = isCollection(list) ? list.items.length : 0;
    if (segment > length) {
      const listKey = path.slice(0, index).join('.');
      throw new ConfigError(
        `${file}: ${path.join('.')}: cannot set item ${segment}: ${listKey} has ${length} item(s), so use a position from 0 to ${length} (${length} adds one)`,
      );
    }
  });
}
