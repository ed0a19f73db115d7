import { readAt, type TokenKind, type TokenList } from './md-code-scan.ts';

const shellKeywords = new Set(
  'if then else elif fi for while until do done case esac in function select return export local declare readonly unset shift exit break continue source time'.split(
    ' ',
  ),
);
/** After these a new command starts (`if cmd`, `then cmd`). */
const commandStarters = new Set(['if', 'then', 'else', 'elif', 'while', 'until', 'do', 'time', '!']);
const shellWord = /[^\s'"`$;&|()<>]+/y;
const shellVariable = /\$(?:\{[^}\n]*\}?|[A-Za-z_]\w*|[0-9@#?$!*-])/y;
const shellOperator = /\|\||&&|;;|[|;&()]/y;
const assignment = /^[A-Za-z_]\w*=/;
const prompt = /^[ \t]*[$%][ \t]/;
const promptLine = /^[ \t]*[$%][ \t]/m;
const spaces = /[ \t]+/y;

/**
 * Shell: the first word of each command (after `|`, `&&`, `;`, `then`…) is the command, `-x` and
 * `--flag` are options, `$VAR` variables. A `$ ` prompt at a line start (console transcripts) is dim.
 */
export function scanShell(code: string, out: TokenList, commandFirst = true): void {
  // In a console transcript (some line starts with a prompt), lines without one are output.
  const transcript = promptLine.test(code);
  let pos = 0;
  let atCommand = commandFirst;
  let lineStart = true;
  let continued = false;
  while (pos < code.length) {
    const c = code[pos]!;
    if (c === '\n') {
      continued = code[pos - 1] === '\\';
      out.push('\n', 'plain');
      pos++;
      if (!continued) atCommand = commandFirst;
      lineStart = true;
      continue;
    }
    if (lineStart) {
      lineStart = false;
      const shown = prompt.exec(code.slice(pos, pos + 8))?.[0];
      if (shown) {
        out.push(shown, 'comment');
        pos += shown.length;
        atCommand = true;
        continue;
      }
      if (transcript && !continued) {
        const end = code.indexOf('\n', pos);
        const stop = end < 0 ? code.length : end;
        out.push(code.slice(pos, stop), 'plain');
        pos = stop;
        continue;
      }
    }
    const gap = readAt(spaces, code, pos);
    if (gap) {
      out.push(gap, 'plain');
      pos += gap.length;
      continue;
    }
    if (c === '#' && (pos === 0 || /\s/.test(code[pos - 1]!))) {
      const end = code.indexOf('\n', pos);
      const stop = end < 0 ? code.length : end;
      out.push(code.slice(pos, stop), 'comment');
      pos = stop;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      pos = pushQuoted(code, pos, c, out);
      atCommand = false;
      continue;
    }
    if (c === '$' && code[pos + 1] === '(') {
      out.push('$(', 'plain');
      pos += 2;
      atCommand = true;
      continue;
    }
    const variable = readAt(shellVariable, code, pos);
    if (variable) {
      out.push(variable, 'variable');
      pos += variable.length;
      continue;
    }
    const operator = readAt(shellOperator, code, pos);
    if (operator) {
      out.push(operator, 'plain');
      pos += operator.length;
      atCommand = operator !== ')';
      continue;
    }
    const word = readAt(shellWord, code, pos) ?? c;
    out.push(word, shellWordKind(word, atCommand));
    if (atCommand && !assignment.test(word)) atCommand = commandStarters.has(word);
    pos += word.length;
  }
}

function shellWordKind(word: string, atCommand: boolean): TokenKind {
  if (atCommand) {
    if (shellKeywords.has(word)) return 'keyword';
    if (assignment.test(word)) return 'variable';
    return 'function';
  }
  if (shellKeywords.has(word)) return word === 'in' || word === 'do' || word === 'then' ? 'keyword' : 'plain';
  if (word.startsWith('-')) return 'attribute';
  if (/^\d+$/.test(word)) return 'number';
  return 'plain';
}

function pushQuoted(code: string, pos: number, quote: string, out: TokenList): number {
  let i = pos + 1;
  while (i < code.length && code[i] !== quote) i += quote !== "'" && code[i] === '\\' ? 2 : 1;
  const end = Math.min(code.length, i + 1);
  out.push(code.slice(pos, end), 'string');
  return end;
}

const dockerInstruction =
  /^([ \t]*)(FROM|RUN|CMD|LABEL|EXPOSE|ENV|ADD|COPY|ENTRYPOINT|VOLUME|USER|WORKDIR|ARG|ONBUILD|STOPSIGNAL|HEALTHCHECK|SHELL|MAINTAINER)\b/i;

/** Dockerfile: instructions as keywords, the rest as shell (RUN's first word is a command). */
export function scanDockerfile(code: string, out: TokenList): void {
  let continued = false;
  code.split('\n').forEach((line, index) => {
    if (index > 0) out.push('\n', 'plain');
    const instruction = continued ? undefined : dockerInstruction.exec(line);
    if (/^\s*#/.test(line) && !continued) {
      out.push(line, 'comment');
    } else if (instruction) {
      out.push(instruction[1]!, 'plain');
      out.push(instruction[2]!, 'keyword');
      scanShell(line.slice(instruction[0].length), out, /^run$/i.test(instruction[2]!));
    } else {
      scanShell(line, out, false);
    }
    continued = line.trimEnd().endsWith('\\');
  });
}

const yamlKey =
  /^(\s*(?:-\s+)*)((?:"[^"\n]*"|'[^'\n]*'|[^\s#'"{}[\],&*!|>-][^#\n]*?|-[^\s#][^#\n]*?))(:)(?=\s|$)/;
const yamlListDash = /^(\s*)((?:-(?:\s+|$))+)/;
const yamlConstant = /^(?:true|false|yes|no|on|off|null|~)$/i;
const yamlNumber = /^[-+]?(?:\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|0x[\da-fA-F]+|\.inf|\.nan)$/i;

/** YAML: keys, scalars by type, anchors and tags, comments, document markers. */
export function scanYaml(code: string, out: TokenList): void {
  code.split('\n').forEach((line, index) => {
    if (index > 0) out.push('\n', 'plain');
    if (/^(?:---|\.\.\.)(?:\s|$)/.test(line)) {
      out.push(line, 'meta');
      return;
    }
    let rest = line;
    const key = yamlKey.exec(line);
    if (key) {
      out.push(key[1]!, 'plain');
      out.push(key[2]!, 'property');
      out.push(':', 'plain');
      rest = line.slice(key[0].length);
    } else {
      const dash = yamlListDash.exec(line);
      if (dash) {
        out.push(dash[0], 'plain');
        rest = line.slice(dash[0].length);
      }
    }
    scanYamlValue(rest, out);
  });
}

function scanYamlValue(value: string, out: TokenList): void {
  const comment = /(^|\s)#/.exec(value);
  const body = comment ? value.slice(0, comment.index + comment[1]!.length) : value;
  const core = body.trim();
  const start = body.indexOf(core);
  out.push(body.slice(0, start), 'plain');
  out.push(core, yamlScalarKind(core));
  out.push(body.slice(start + core.length), 'plain');
  if (comment) out.push(value.slice(body.length), 'comment');
}

function yamlScalarKind(scalar: string): TokenKind {
  if (scalar === '') return 'plain';
  if (/^[&*][\w-]+$/.test(scalar)) return 'variable';
  if (scalar.startsWith('!')) return 'type';
  if (/^[|>][-+]?\d*$/.test(scalar) || /^[[{]/.test(scalar)) return 'plain';
  if (yamlConstant.test(scalar)) return 'constant';
  if (yamlNumber.test(scalar)) return 'number';
  return 'string';
}

const tomlSection = /^\s*\[\[?[^\]\n]*\]?\]?/;
const tomlKeyText = /^(?:export\s+)?[\w.\-"' ]+$/;
const tomlValue =
  /"(?:\\.|[^"\\])*"?|'[^']*'?|\b(?:true|false)\b|[-+]?\d[\d_:.eE+-]*(?:[TZ\d:.+-]*)|[#;].*$|[^\s"'#;,[\]{}]+|\s+|[\s\S]/gy;

/** TOML, INI, .env: sections, keys, values, comments. */
export function scanToml(code: string, out: TokenList): void {
  code.split('\n').forEach((line, index) => {
    if (index > 0) out.push('\n', 'plain');
    if (/^\s*[#;]/.test(line)) {
      out.push(line, 'comment');
      return;
    }
    const section = tomlSection.exec(line);
    let rest = line;
    if (section && line.trimStart().startsWith('[')) {
      out.push(section[0], 'type');
      rest = line.slice(section[0].length);
    } else {
      const key = tomlKey(line);
      if (key) {
        out.push(key.indent, 'plain');
        out.push(key.name, 'property');
        out.push(key.separator, 'plain');
        rest = line.slice(key.indent.length + key.name.length + key.separator.length);
      }
    }
    for (const [piece] of rest.matchAll(tomlValue)) out.push(piece, tomlValueKind(piece));
  });
}

/** `key = value` or `key: value`: the key up to the first separator. */
function tomlKey(line: string): { indent: string; name: string; separator: string } | undefined {
  const equals = line.indexOf('=');
  const colon = line.indexOf(':');
  const at = equals < 0 ? colon : colon < 0 ? equals : Math.min(equals, colon);
  if (at < 0) return undefined;
  const name = line.slice(0, at).trim();
  if (!name || !tomlKeyText.test(name)) return undefined;
  const indent = line.slice(0, line.indexOf(name));
  return { indent, name, separator: line.slice(indent.length + name.length, at + 1) };
}

function tomlValueKind(piece: string): TokenKind {
  const c = piece[0]!;
  if (c === '"' || c === "'") return 'string';
  if (c === '#' || c === ';') return 'comment';
  if (piece === 'true' || piece === 'false') return 'constant';
  if (/^[-+]?\d/.test(piece)) return 'number';
  return 'plain';
}

/** Unified diff: added and removed lines, hunk headers, file headers. */
export function scanDiff(code: string, out: TokenList): void {
  code.split('\n').forEach((line, index) => {
    if (index > 0) out.push('\n', 'plain');
    out.push(line, diffLineKind(line));
  });
}

function diffLineKind(line: string): TokenKind {
  if (/^(?:\+\+\+ |--- |diff |index )/.test(line)) return 'heading';
  if (line.startsWith('@@')) return 'meta';
  if (line.startsWith('+')) return 'inserted';
  if (line.startsWith('-')) return 'deleted';
  if (line.startsWith('\\')) return 'comment';
  return 'plain';
}
