import { parse as parseYaml, stringify } from 'yaml';
import { ConfigError } from './errors.ts';

/**
 * Reads VALUE the way YAML would (`15` a number, `true` a boolean, `[a, b]` a list, `{…}` a map),
 * except that a key holding text keeps the text as typed (`apiKey 0123` stays "0123").
 */
export function parseValueText(text: string, wantsText: boolean): unknown {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    if (wantsText) return text;
    throw new ConfigError(
      `cannot read the value ${JSON.stringify(text)}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  if (wantsText && typeof value !== 'string' && (value === null || typeof value !== 'object')) return text;
  return value;
}

/** A value on one line, as it could be typed back: text bare, lists and maps in YAML flow style. */
export function formatValueText(value: unknown): string {
  if (typeof value === 'string') return value;
  return stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trimEnd();
}
