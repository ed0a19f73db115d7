import type { z } from 'zod';
import { ConfigError } from './errors.ts';
import { configSchema } from './schema.ts';
import { closestMatch } from './suggest.ts';

type Schema = z.core.$ZodType;

/** A key inside the config: object field names and record keys are strings, list positions numbers. */
export type KeyPath = (string | number)[];

/** What a place in the config can hold, seen by someone walking it key by key. */
type Shape =
  | { kind: 'object'; fields: Record<string, Schema> }
  | { kind: 'record'; value: Schema }
  | { kind: 'list'; element: Schema }
  | { kind: 'value' };

export function dottedKey(path: KeyPath): string {
  return path.join('.');
}

/** The schema without its optional/default wrappers. */
export function unwrapSchema(schema: Schema): Schema {
  let current = schema;
  for (;;) {
    const def = current._zod.def;
    if (!('innerType' in def) || def.type === 'pipe') return current;
    current = def.innerType as Schema;
  }
}

function shapeOf(schema: Schema): Shape {
  const bare = unwrapSchema(schema);
  const def = bare._zod.def;
  switch (def.type) {
    case 'object':
      return { kind: 'object', fields: (bare as z.core.$ZodObject)._zod.def.shape };
    case 'record':
      return { kind: 'record', value: (bare as z.core.$ZodRecord)._zod.def.valueType };
    case 'array':
      return { kind: 'list', element: (bare as z.core.$ZodArray)._zod.def.element };
    case 'union': {
      // A discriminated union of objects (an MCP server): its keys are those of every variant.
      const fields: Record<string, Schema> = {};
      for (const option of (bare as z.core.$ZodUnion)._zod.def.options) {
        const shape = shapeOf(option);
        if (shape.kind === 'object')
          for (const [name, field] of Object.entries(shape.fields)) fields[name] ??= field;
      }
      return Object.keys(fields).length > 0 ? { kind: 'object', fields } : { kind: 'value' };
    }
    default:
      return { kind: 'value' };
  }
}

/** Whether the value at this schema is text, so `aura config set` keeps `123` or `true` as typed. */
export function expectsText(schema: Schema): boolean {
  return unwrapSchema(schema)._zod.def.type === 'string';
}

/** The field names an object place accepts (empty for records, lists and plain values). */
export function fieldNames(path: KeyPath, root: Schema = configSchema): string[] {
  const schema = schemaAtPath(path, root);
  if (!schema) return [];
  const shape = shapeOf(schema);
  return shape.kind === 'object' ? Object.keys(shape.fields) : [];
}

/** The schema at a concrete path (record keys and list positions taken as given). */
export function schemaAtPath(path: KeyPath, root: Schema = configSchema): Schema | undefined {
  let schema: Schema | undefined = root;
  for (const segment of path) {
    if (!schema) return undefined;
    const shape = shapeOf(schema);
    if (shape.kind === 'object')
      schema = Object.hasOwn(shape.fields, segment) ? shape.fields[segment] : undefined;
    else if (shape.kind === 'record') schema = shape.value;
    else if (shape.kind === 'list') schema = shape.element;
    else return undefined;
  }
  return schema;
}

export interface ResolvedKey {
  path: KeyPath;
  schema: Schema;
}

type Walk = ResolvedKey | { problem: string };

/** Names that would reach an object's prototype rather than a setting of its own. */
const reservedNames = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Turns a dotted key typed by a person (`providers.openai.baseURL`, `permissions.0.action`) into a
 * path, checking every step against the schema. A model id used as a key may contain dots
 * (`pricing.openai/gpt-4.1.input`): the shortest id whose remainder is valid wins.
 */
export function resolveKey(key: string, root: Schema = configSchema): ResolvedKey {
  const parts = key.split('.');
  if (parts.some((part) => part === '')) {
    throw new ConfigError(`"${key}" is not a key: use a dotted name such as providers.openai.baseURL`);
  }
  const result = walk(root, parts, []);
  if ('problem' in result) throw new ConfigError(result.problem);
  return result;
}

function walk(schema: Schema, parts: string[], path: KeyPath): Walk {
  const [head, ...rest] = parts;
  if (head === undefined) return { path, schema };
  const shape = shapeOf(schema);
  const here = dottedKey(path);
  switch (shape.kind) {
    case 'object': {
      const field = Object.hasOwn(shape.fields, head) ? shape.fields[head] : undefined;
      if (field) return walk(field, rest, [...path, head]);
      // Suggest the whole corrected key when the rest of what was typed fits it.
      const names = Object.keys(shape.fields);
      const suggestion = closestMatch(head, names);
      const corrected = suggestion ? walk(shape.fields[suggestion]!, rest, [...path, suggestion]) : undefined;
      if (rest.length > 0 && corrected && !('problem' in corrected)) {
        return {
          problem: `unknown key "${dottedKey([...path, ...parts])}" (did you mean "${dottedKey(corrected.path)}"?)`,
        };
      }
      return { problem: unknownKeyMessage([...path, head], names, 'whole') };
    }
    case 'record': {
      if (reservedNames.has(head)) return { problem: `"${head}" cannot be used as a name under ${here}` };
      // Only model ids (`provider/model`) may contain dots, so only they may span several parts.
      const firstAttempt = walk(shape.value, rest, [...path, head]);
      if (!('problem' in firstAttempt) || !head.includes('/')) return firstAttempt;
      for (let take = 2; take <= parts.length; take++) {
        const attempt = walk(shape.value, parts.slice(take), [...path, parts.slice(0, take).join('.')]);
        if (!('problem' in attempt)) return attempt;
      }
      return firstAttempt;
    }
    case 'list':
      if (!/^\d+$/.test(head)) {
        return {
          problem: `${here} is a list: name an item by its position (${here}.0, ${here}.1, …), not "${head}"`,
        };
      }
      return walk(shape.element, rest, [...path, Number(head)]);
    case 'value':
      return { problem: `${here} is a single value: it has no key "${head}"` };
  }
}

/**
 * `unknown key "modle" (did you mean "model"?)`. A key typed on the command line is shown whole
 * (`providers.openai.baseUrl`); in a file's error line, where the key is already named, its last part.
 */
export function unknownKeyMessage(
  path: KeyPath,
  siblings: readonly string[],
  shown: 'whole' | 'last',
): string {
  const name = String(path.at(-1));
  const parent = path.slice(0, -1);
  const suggestion = closestMatch(name, siblings);
  const label = (key: string) => (shown === 'whole' ? dottedKey([...parent, key]) : key);
  if (suggestion) return `unknown key "${label(name)}" (did you mean "${label(suggestion)}"?)`;
  const where = parent.length > 0 ? ` under ${dottedKey(parent)}` : '';
  return `unknown key "${label(name)}": the keys${where} are ${siblings.join(', ')}`;
}
