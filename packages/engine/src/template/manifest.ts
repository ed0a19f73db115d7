import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { TemplateError } from './errors.ts';

export const MANIFEST_FILE = 'aura.json';

/** The message for a wrong or missing value: "is missing" reads better than a type name. */
const typeError = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is missing' : `must be ${expected}`;

const command = (what: string) =>
  z
    .string({ error: typeError(`a shell command that ${what}`) })
    .trim()
    .min(1, `must be a shell command that ${what}`);

/**
 * `aura.json`: how a template (and every project made from it) is installed, run, built and
 * checked. Commands run with `sh -c` in the project root. `dev` must listen on 127.0.0.1 at the
 * port in `$PORT` (the preview manager sets it); `port` is only the default when none is given.
 */
export const templateManifest = z.object(
  {
    name: z
      .string({ error: typeError('a string') })
      .regex(/^[a-z0-9-]{1,64}$/, 'must be 1–64 lowercase letters, digits or dashes, e.g. react-vite'),
    description: z
      .string({ error: typeError('a string') })
      .trim()
      .min(1, 'must not be empty')
      .max(500),
    install: command('installs dependencies, e.g. npm install --no-audit --no-fund'),
    dev: command('starts the dev server on $PORT'),
    build: command('builds for production'),
    check: command('type-checks or validates the project'),
    port: z
      .number({ error: typeError('a number') })
      .int('must be an integer')
      .min(1, 'must be a TCP port (1–65535)')
      .max(65_535, 'must be a TCP port (1–65535)'),
  },
  { error: typeError('a JSON object') },
);

export type TemplateManifest = z.infer<typeof templateManifest>;

/** Validates parsed `aura.json` content; `source` names it in errors. */
export function parseManifest(value: unknown, source: string): TemplateManifest {
  const result = templateManifest.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `  - ${field}: ${issue.message}`;
  });
  throw new TemplateError(
    'invalid_manifest',
    `${source} is not a valid template manifest:\n${problems.join('\n')}`,
  );
}

/** Reads and validates `<dir>/aura.json`. */
export async function readManifest(dir: string): Promise<TemplateManifest> {
  const file = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new TemplateError(
      missing ? 'not_found' : 'invalid_manifest',
      missing ? `No ${MANIFEST_FILE} in ${dir}` : `Cannot read ${file}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TemplateError('invalid_manifest', `${file} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseManifest(value, file);
}
