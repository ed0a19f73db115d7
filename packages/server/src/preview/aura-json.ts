import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/** A template's `aura.json`: how to install, run, build and check the app (see templates/). */
export const auraJsonSchema = z.object({
  install: z.string().trim().min(1).optional(),
  /** Runs the dev server; it must listen on 127.0.0.1:$PORT. */
  dev: z.string().trim().min(1),
  build: z.string().optional(),
  check: z.string().optional(),
  /** The template's usual port; previews pass their own as $PORT. */
  port: z.number().int().optional(),
});

export type AuraJson = z.infer<typeof auraJsonSchema>;

export class AuraJsonError extends Error {
  override name = 'AuraJsonError';
}

export async function readAuraJson(workspace: string): Promise<AuraJson> {
  let text: string;
  try {
    text = await readFile(join(workspace, 'aura.json'), 'utf8');
  } catch {
    throw new AuraJsonError(
      'The project has no aura.json: a preview needs one with a "dev" command (see the templates).',
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AuraJsonError('aura.json is not valid JSON.');
  }
  const parsed = auraJsonSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AuraJsonError(
      `aura.json is invalid: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown'}`,
    );
  }
  return parsed.data;
}
