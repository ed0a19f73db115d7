import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';

const scriptedToolCall = z
  .object({
    name: z.string().min(1),
    input: z.unknown().optional(),
    /** Raw argument text, sent as-is: lets a script emulate malformed JSON from a model. */
    inputText: z.string().optional(),
    id: z.string().optional(),
  })
  .strict();

const scriptedError = z.union([
  z.string(),
  z
    .object({
      message: z.string(),
      /** HTTP status to emulate (429, 500…); absent → a plain provider error. */
      status: z.number().int().optional(),
      retryAfterSeconds: z.number().nonnegative().optional(),
      /** Fail after streaming the step's text instead of before it. */
      midStream: z.boolean().optional(),
    })
    .strict(),
]);

export const scriptStep = z
  .object({
    text: z.string().optional(),
    reasoning: z.string().optional(),
    tools: z.array(scriptedToolCall).optional(),
    /** Answer for a structured-output call (JSON schema response format). */
    object: z.unknown().optional(),
    error: scriptedError.optional(),
    chunkSize: z.number().int().positive().optional(),
    delayMs: z.number().int().nonnegative().max(60_000).optional(),
    usage: z
      .object({ input: z.number().int().nonnegative(), output: z.number().int().nonnegative() })
      .optional(),
  })
  .strict();

export const scriptSchema = z
  .object({ steps: z.array(scriptStep).min(1, 'a script needs at least one step') })
  .strict();

export type Script = z.infer<typeof scriptSchema>;
export type ScriptStep = z.infer<typeof scriptStep>;

export class ScriptError extends Error {
  override name = 'ScriptError';
}

export async function loadScript(path: string, cwd = process.cwd()): Promise<Script> {
  const file = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ScriptError(
      `Cannot read script ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ScriptError(`Script ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = scriptSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new ScriptError(`Script ${file} is invalid:\n${issues.join('\n')}`);
  }
  return parsed.data;
}
