import type { Context } from 'hono';
import type { z } from 'zod';
import { HttpError } from './errors.ts';

function issuesOf(error: z.ZodError) {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
}

/** Parses a JSON body against a schema: malformed JSON and wrong types become 400s naming the field. */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new HttpError(400, 'invalid_body', 'The request body is invalid.', {
      issues: issuesOf(result.error),
    });
  }
  return result.data;
}

export function queryParams<T extends z.ZodType>(c: Context, schema: T): z.infer<T> {
  const result = schema.safeParse(c.req.query());
  if (!result.success) {
    throw new HttpError(400, 'invalid_query', 'The query string is invalid.', {
      issues: issuesOf(result.error),
    });
  }
  return result.data;
}
