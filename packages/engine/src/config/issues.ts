import type { z } from 'zod';
import { dottedKey, fieldNames, type KeyPath, unknownKeyMessage } from './schema-path.ts';
import { isSecretPath, maskSecret } from './secrets.ts';

type Issue = z.core.$ZodIssue;

export interface IssueLine {
  key: string;
  problem: string;
}

/**
 * One line per problem, each naming the file and the key: `file: providers.openai.apiKey: …`.
 * Given the parsed input, lines also quote the offending value (credentials masked).
 */
export function describeIssues(file: string, issues: readonly Issue[], input?: unknown): string {
  return issueLines(issues, input)
    .map((line) => `${file}: ${line.key}: ${line.problem}`)
    .join('\n');
}

export function issueLines(issues: readonly Issue[], input?: unknown): IssueLine[] {
  return issues.flatMap((issue): IssueLine[] => {
    const path = issue.path.filter((segment) => typeof segment !== 'symbol') as KeyPath;
    if (issue.code === 'unrecognized_keys') {
      const siblings = fieldNames(path);
      return issue.keys.map((name) => ({
        key: dottedKey([...path, name]),
        problem: unknownKeyMessage([...path, name], siblings, 'last'),
      }));
    }
    const key = path.length > 0 ? dottedKey(path) : '(top level)';
    return [{ key, problem: problemText(issue, path, input) }];
  });
}

function problemText(issue: Issue, path: KeyPath, input: unknown): string {
  const value = valueAt(input, path);
  const missing = input !== undefined && value === undefined;
  const expected = expectedText(issue);
  if (expected !== undefined) {
    if (missing) return `missing: expected ${expected}`;
    return input === undefined
      ? `expected ${expected}`
      : `expected ${expected}, got ${describeValue(value, path)}`;
  }
  switch (issue.code) {
    case 'too_big':
    case 'too_small': {
      const bound = boundText(issue);
      if (input === undefined || value === '') return bound;
      return `${bound}, got ${describeValue(value, path)}`;
    }
    case 'invalid_key':
      return `invalid name "${String(path.at(-1))}": ${issue.issues[0]?.message ?? issue.message}`;
    case 'invalid_format':
      // A pattern's message (such as an MCP server name's) already says what is allowed.
      return input === undefined ? issue.message : `${issue.message}, got ${describeValue(value, path)}`;
    default:
      return issue.message;
  }
}

/** What the value should have been, for the problems that are about its type or form. */
function expectedText(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return typeNouns[issue.expected] ?? issue.expected;
    case 'invalid_value':
      return orList(issue.values.map(String));
    case 'invalid_union': {
      // zod reports a discriminated union with no matching `type` this way.
      const options = (issue as { options?: unknown[] }).options;
      return options ? orList(options.map(String)) : undefined;
    }
    case 'invalid_format':
      if (issue.format === 'url') return 'a URL such as https://host/path';
      return issue.format === 'regex' ? undefined : issue.format;
    default:
      return undefined;
  }
}

function boundText(issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall): string {
  const big = issue.code === 'too_big';
  const limit = Number(
    big ? (issue as z.core.$ZodIssueTooBig).maximum : (issue as z.core.$ZodIssueTooSmall).minimum,
  );
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'number':
    case 'int':
      if (big) return inclusive ? `must be at most ${limit}` : `must be less than ${limit}`;
      return inclusive ? `must be at least ${limit}` : `must be more than ${limit}`;
    case 'string':
      if (!big && limit === 1) return 'must not be empty';
      return `must be ${big ? 'at most' : 'at least'} ${limit} characters long`;
    case 'array':
      return `must have ${big ? 'at most' : 'at least'} ${limit} item(s)`;
    default:
      return issue.message;
  }
}

const typeNouns: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
  record: 'a mapping (key: value)',
};

function orList(values: string[]): string {
  return values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values.at(-1)}` : (values[0] ?? '');
}

export function valueAt(input: unknown, path: KeyPath): unknown {
  let current = input;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** How a value reads in an error: quoted text (cut short, credentials masked), a number, or its kind. */
export function describeValue(value: unknown, path: KeyPath): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') {
    if (value === '') return 'empty text';
    if (isSecretPath(path)) return `"${maskSecret(value)}"`;
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}…` : value);
  }
  return isSecretPath(path) ? typeof value : String(value);
}
