/**
 * The TUI's colours as plain SGR strings, so transcript items can be rendered once into text
 * (Ink prints them as they are). With `color: false` every function returns its input unchanged:
 * NO_COLOR and TERM=dumb get no escapes at all.
 */
export function createTheme(color: boolean) {
  const wrap = (open: number, close: number) => (text: string) =>
    color && text ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    color,
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    italic: wrap(3, 23),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    blue: wrap(34, 39),
    magenta: wrap(35, 39),
    cyan: wrap(36, 39),
    gray: wrap(90, 39),
  };
}
export type Theme = ReturnType<typeof createTheme>;

/** Colour is on unless NO_COLOR is set (to anything non-empty) or the terminal is dumb. */
export function colorEnabled(env: NodeJS.ProcessEnv): boolean {
  return !env.NO_COLOR && env.TERM !== 'dumb';
}
