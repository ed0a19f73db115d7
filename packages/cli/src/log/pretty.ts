import type { Style } from '../style.ts';

const levelNames: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const recordFields = new Set(['level', 'time', 'pid', 'msg', 'err']);

/** One JSON log record as a line for people: `12:03:04.512 DEBUG message key=value …`, then any stack. */
export function prettyLine(json: string, style: Style): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const level = Number(record.level);
  const name = (levelNames[level] ?? String(level)).padEnd(5);
  const coloured = level >= 50 ? style.red(name) : level >= 40 ? style.yellow(name) : style.dim(name);
  const time = typeof record.time === 'string' ? record.time.slice(11, 23) : '';
  const fields = Object.entries(record)
    .filter(([key]) => !recordFields.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const err = record.err as { stack?: string; message?: string } | undefined;
  const stack = err ? `\n${err.stack ?? err.message ?? ''}` : '';
  return `${style.dim(time)} ${coloured} ${[record.msg ?? '', ...fields].join(' ')}${stack}\n`;
}
