import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TemplateError } from './errors.ts';
import { readManifest, type TemplateManifest } from './manifest.ts';

/** The template a project gets when nothing else fits. */
export const DEFAULT_TEMPLATE = 'react-vite';

export interface TemplatesDirOptions {
  /** Where the templates live; default AURA_TEMPLATES_DIR, else `templates/` in the repository. */
  templatesDir?: string;
}

export interface TemplateInfo {
  name: string;
  description: string;
  /** Absolute path of the template's folder. */
  dir: string;
  manifest: TemplateManifest;
}

const NAME = /^[a-z0-9-]{1,64}$/;

export function templatesDir(
  options: TemplatesDirOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (options.templatesDir) return resolve(options.templatesDir);
  if (env.AURA_TEMPLATES_DIR) return resolve(env.AURA_TEMPLATES_DIR);
  return repositoryTemplates();
}

let foundTemplates: string | undefined;

/**
 * `templates/` of the repository this module is in: the nearest one above it that holds the
 * default template, whether this runs from the sources or from the CLI's bundle. Looked up once.
 */
function repositoryTemplates(): string {
  if (foundTemplates) return foundTemplates;
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(directory, 'templates');
    if (existsSync(join(candidate, DEFAULT_TEMPLATE, 'aura.json'))) {
      foundTemplates = candidate;
      return candidate;
    }
    const parent = dirname(directory);
    if (parent === directory)
      throw new TemplateError(
        'not_found',
        'no templates/ folder found above the engine: set AURA_TEMPLATES_DIR',
      );
    directory = parent;
  }
}

/**
 * Every template: each folder of the templates directory with an `aura.json`, whose `name` must
 * be the folder's name. A broken manifest is an error, not a silently missing template.
 */
export async function listTemplates(options: TemplatesDirOptions = {}): Promise<TemplateInfo[]> {
  const root = templatesDir(options);
  const entries = await readdir(root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new TemplateError('not_found', `No templates directory at ${root}`);
    throw error;
  });
  const templates: TemplateInfo[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !NAME.test(entry.name)) continue;
    const dir = join(root, entry.name);
    let manifest: TemplateManifest;
    try {
      manifest = await readManifest(dir);
    } catch (error) {
      if (error instanceof TemplateError && error.code === 'not_found') continue;
      throw error;
    }
    if (manifest.name !== entry.name) {
      throw new TemplateError(
        'invalid_manifest',
        `${join(dir, 'aura.json')}: name is "${manifest.name}" but the folder is "${entry.name}"`,
      );
    }
    templates.push({ name: manifest.name, description: manifest.description, dir, manifest });
  }
  // The default first, the rest by name.
  return templates.sort(
    (a, b) =>
      Number(b.name === DEFAULT_TEMPLATE) - Number(a.name === DEFAULT_TEMPLATE) ||
      a.name.localeCompare(b.name),
  );
}

/** One template by name; `not_found` names the templates there are. */
export async function getTemplate(name: string, options: TemplatesDirOptions = {}): Promise<TemplateInfo> {
  const templates = await listTemplates(options);
  const found = templates.find((t) => t.name === name);
  if (found) return found;
  const names = templates.map((t) => t.name).join(', ') || 'none';
  throw new TemplateError('not_found', `Unknown template "${name}". Available templates: ${names}.`);
}
