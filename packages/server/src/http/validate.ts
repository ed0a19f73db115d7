import type { Context } from 'hono';
import type { z } from 'zod';
import { HttpError } from './errors.ts';

function issuesOf(error: z.ZodError) {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
}

/**
 * Where a NUL character (U+0000) hides in a JSON value, e.g. `messages.0.text`. PostgreSQL text
 * cannot store one (SQLite can), so such input would save on one database and fail with a 500 on
 * the other: both refuse it up front instead.
 */
function nulPath(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path.join('.') || '(body)' : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = nulPath(item, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

const nulMessage = 'must not contain NUL (\\u0000) characters';

/**
 * Parses a JSON body against a schema: malformed JSON, wrong types and NUL characters become 400s
 * naming the field. `allowNul` is for bodies that never reach the database (file contents).
 */
export async function jsonBody<T extends z.ZodType>(
  c: Context,
  schema: T,
  opts: { allowNul?: boolean } = {},
): Promise<z.infer<T>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
  const nul = opts.allowNul ? undefined : nulPath(raw);
  if (nul !== undefined) {
    throw new HttpError(400, 'invalid_body', 'The request body is invalid.', {
      issues: [{ path: nul, message: nulMessage }],
    });
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
  const query = c.req.query();
  const nul = nulPath(query);
  if (nul !== undefined) {
    throw new HttpError(400, 'invalid_query', 'The query string is invalid.', {
      issues: [{ path: nul, message: nulMessage }],
    });
  }
  const result = schema.safeParse(query);
  if (!result.success) {
    throw new HttpError(400, 'invalid_query', 'The query string is invalid.', {
      issues: issuesOf(result.error),
    });
  }
  return result.data;
}
