import type { DelimitedString, LanguageSpec } from './md-code-scan.ts';

const words = (list: string) => new Set(list.split(' '));

const doubleQuoted: DelimitedString = { open: '"', close: '"', escape: true, multiline: false };
const singleQuoted: DelimitedString = { open: "'", close: "'", escape: true, multiline: false };
const cComments = { lineComments: ['//'], blockComments: [['/*', '*/']] } as const;

const javascript: LanguageSpec = {
  ...cComments,
  strings: [doubleQuoted, singleQuoted, { open: '`', close: '`', escape: true, multiline: true }],
  keywords: words(
    'abstract accessor as async await break case catch class const continue debugger declare default delete do else enum export extends finally for from function if implements import in infer instanceof interface is keyof let namespace new of override private protected public readonly return satisfies static super switch this throw try type typeof using var void while with yield',
  ),
  constants: words('true false null undefined NaN Infinity'),
  types: words('string number boolean any unknown never object symbol bigint'),
  capitalizedTypes: true,
  annotations: true,
  jsx: true,
};

const python: LanguageSpec = {
  lineComments: ['#'],
  strings: [
    { open: '"""', close: '"""', escape: true, multiline: true },
    { open: "'''", close: "'''", escape: true, multiline: true },
    doubleQuoted,
    singleQuoted,
  ],
  stringPrefixes: /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/,
  keywords: words(
    'and as assert async await break case class continue def del elif else except finally for from global if import in is lambda match nonlocal not or pass raise return try while with yield',
  ),
  constants: words('True False None self cls'),
  types: words('int float str bool list dict set tuple bytes object complex frozenset'),
  capitalizedTypes: true,
  annotations: true,
};

const go: LanguageSpec = {
  ...cComments,
  strings: [doubleQuoted, { open: '`', close: '`', escape: false, multiline: true }, singleQuoted],
  keywords: words(
    'break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var',
  ),
  constants: words('true false nil iota'),
  types: words(
    'any bool byte complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr',
  ),
  capitalizedTypes: true,
};

const rust: LanguageSpec = {
  ...cComments,
  strings: [doubleQuoted],
  patterns: [
    { first: 'rb', pattern: /b?r(#*)"[\s\S]*?(?:"\1|$)/y, kind: 'string' },
    { first: 'b', pattern: /b'(?:\\.|[^\\'\n])'/y, kind: 'string' },
    { first: "'", pattern: /'(?:\\(?:x[\da-fA-F]{2}|u\{[\da-fA-F]{1,6}\}|.)|[^\\'\n])'/y, kind: 'string' },
    { first: "'", pattern: /'[A-Za-z_]\w*/y, kind: 'meta' },
    { first: '#', pattern: /#!?\[[^\]\n]*\]?/y, kind: 'meta' },
  ],
  keywords: words(
    'as async await break const continue crate dyn else enum extern fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait type unsafe use where while',
  ),
  constants: words('true false'),
  types: words('i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 bool char str'),
  capitalizedTypes: true,
};

const cPreprocessor = {
  first: '#',
  pattern:
    /#[ \t]*(?:include|define|undef|if|ifdef|ifndef|elif|else|endif|pragma|error|warning|line|import)\b[^\n]*/y,
  kind: 'meta',
} as const;

const c: LanguageSpec = {
  ...cComments,
  strings: [doubleQuoted, singleQuoted],
  patterns: [cPreprocessor],
  keywords: words(
    'alignas alignof and auto break case catch class co_await co_return co_yield concept const const_cast constexpr continue decltype default delete do dynamic_cast else enum explicit export extern final for friend goto if inline mutable namespace new noexcept operator or override private protected public register reinterpret_cast requires restrict return sizeof static static_assert static_cast struct switch template this thread_local throw try typedef typeid typename union using virtual volatile while',
  ),
  constants: words('true false NULL nullptr'),
  types: words(
    'bool char char8_t char16_t char32_t double float int long short signed unsigned void wchar_t size_t ssize_t int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t',
  ),
  capitalizedTypes: true,
};

const java: LanguageSpec = {
  ...cComments,
  strings: [{ open: '"""', close: '"""', escape: true, multiline: true }, doubleQuoted, singleQuoted],
  keywords: words(
    'abstract assert break case catch class continue default do else enum extends final finally for if implements import instanceof interface native new non-sealed package permits private protected public record return sealed static strictfp super switch synchronized this throw throws transient try var volatile while yield',
  ),
  constants: words('true false null'),
  types: words('boolean byte char double float int long short void'),
  capitalizedTypes: true,
  annotations: true,
};

const csharp: LanguageSpec = {
  ...cComments,
  strings: [{ open: '@"', close: '"', escape: false, multiline: true }, doubleQuoted, singleQuoted],
  patterns: [cPreprocessor],
  keywords: words(
    'abstract as async await base break case catch checked class const continue default delegate do else enum event explicit extern finally fixed for foreach get goto if implicit in init interface internal is lock namespace new operator out override params private protected public readonly record ref return sealed set sizeof stackalloc static struct switch this throw try typeof unchecked unsafe using var virtual volatile when where while yield',
  ),
  constants: words('true false null'),
  types: words(
    'bool byte char decimal double dynamic float int long object sbyte short string uint ulong ushort void',
  ),
  capitalizedTypes: true,
};

const kotlin: LanguageSpec = {
  ...cComments,
  strings: [{ open: '"""', close: '"""', escape: false, multiline: true }, doubleQuoted, singleQuoted],
  keywords: words(
    'abstract annotation as break by catch class companion const constructor continue crossinline data do else enum external final finally for fun if import in infix init inline inner interface internal is lateinit noinline object open operator out override package private protected public reified return sealed super suspend tailrec this throw try typealias val var vararg when where while',
  ),
  constants: words('true false null'),
  capitalizedTypes: true,
  annotations: true,
};

const swift: LanguageSpec = {
  ...cComments,
  strings: [{ open: '"""', close: '"""', escape: true, multiline: true }, doubleQuoted],
  keywords: words(
    'any as associatedtype async await break case catch class continue default defer deinit do else enum extension fallthrough fileprivate for func guard if import in init inout internal is let open operator private protocol public repeat rethrows return self Self some static struct subscript super switch throw throws try typealias var where while',
  ),
  constants: words('true false nil'),
  capitalizedTypes: true,
  annotations: true,
};

const php: LanguageSpec = {
  lineComments: ['//', '#'],
  blockComments: [['/*', '*/']],
  strings: [doubleQuoted, singleQuoted],
  patterns: [
    { first: '$', pattern: /\$[A-Za-z_]\w*/y, kind: 'variable' },
    { first: '<?', pattern: /<\?(?:php|=)?|\?>/y, kind: 'meta' },
  ],
  keywords: words(
    'abstract and array as break callable case catch class clone const continue declare default do echo else elseif empty enum extends final finally fn for foreach function global goto if implements include include_once instanceof insteadof interface isset list match namespace new or print private protected public readonly require require_once return static switch throw trait try unset use var while xor yield',
  ),
  constants: words('true false null TRUE FALSE NULL'),
  capitalizedTypes: true,
};

const ruby: LanguageSpec = {
  lineComments: ['#'],
  strings: [doubleQuoted, singleQuoted],
  patterns: [
    { first: '@', pattern: /@@?[A-Za-z_]\w*/y, kind: 'variable' },
    { first: ':', pattern: /(?<!:):[A-Za-z_]\w*[?!]?/y, kind: 'constant' },
  ],
  keywords: words(
    'alias and begin break case class def defined do else elsif end ensure for if in module next not or redo rescue retry return super then undef unless until when while yield require require_relative attr_reader attr_writer attr_accessor private protected public',
  ),
  constants: words('true false nil self'),
  capitalizedTypes: true,
};

const lua: LanguageSpec = {
  lineComments: ['--'],
  blockComments: [['--[[', ']]']],
  strings: [doubleQuoted, singleQuoted, { open: '[[', close: ']]', escape: false, multiline: true }],
  keywords: words(
    'and break do else elseif end for function goto if in local not or repeat return then until while',
  ),
  constants: words('true false nil'),
};

const sql: LanguageSpec = {
  lineComments: ['--'],
  blockComments: [['/*', '*/']],
  strings: [
    { open: "'", close: "'", escape: false, multiline: true },
    { open: '"', close: '"', escape: false, multiline: false, kind: 'property' },
    { open: '`', close: '`', escape: false, multiline: false, kind: 'property' },
  ],
  keywords: words(
    'add all alter and any as asc begin between by cascade case check column commit conflict constraint create cross database default delete desc distinct do drop else end except exists explain foreign from full grant group having if in index inner insert intersect into is join key left like limit not nothing offset on or order outer over partition primary references replace returning revoke right rollback schema select set table then to transaction trigger truncate union unique update using values view when where window with',
  ),
  constants: words('true false null'),
  types: words(
    'bigint bigserial blob bool boolean bytea char date datetime decimal double float int integer interval json jsonb numeric real serial smallint text time timestamp timestamptz uuid varchar',
  ),
  caseInsensitive: true,
};

const json: LanguageSpec = {
  ...cComments,
  strings: [doubleQuoted],
  keywords: new Set(),
  constants: words('true false null'),
  keyStrings: true,
};

/** Table-driven languages by canonical name. */
export const specs: Record<string, LanguageSpec> = {
  javascript,
  python,
  go,
  rust,
  c,
  java,
  csharp,
  kotlin,
  swift,
  php,
  ruby,
  lua,
  sql,
  json,
};

/** Fence info strings and file extensions people use, to canonical names. */
export const aliases: Record<string, string> = {
  js: 'javascript',
  javascript: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  ts: 'javascript',
  typescript: 'javascript',
  tsx: 'javascript',
  mts: 'javascript',
  cts: 'javascript',
  py: 'python',
  python: 'python',
  python3: 'python',
  go: 'go',
  golang: 'go',
  rs: 'rust',
  rust: 'rust',
  c: 'c',
  h: 'c',
  cpp: 'c',
  'c++': 'c',
  cc: 'c',
  cxx: 'c',
  hpp: 'c',
  java: 'java',
  cs: 'csharp',
  csharp: 'csharp',
  'c#': 'csharp',
  kt: 'kotlin',
  kts: 'kotlin',
  kotlin: 'kotlin',
  swift: 'swift',
  php: 'php',
  rb: 'ruby',
  ruby: 'ruby',
  lua: 'lua',
  sql: 'sql',
  psql: 'sql',
  postgres: 'sql',
  postgresql: 'sql',
  mysql: 'sql',
  sqlite: 'sql',
  json: 'json',
  jsonc: 'json',
  json5: 'json',
  jsonl: 'json',
  sh: 'bash',
  bash: 'bash',
  shell: 'bash',
  zsh: 'bash',
  console: 'bash',
  'shell-session': 'bash',
  shellsession: 'bash',
  dockerfile: 'dockerfile',
  docker: 'dockerfile',
  yaml: 'yaml',
  yml: 'yaml',
  toml: 'toml',
  ini: 'toml',
  cfg: 'toml',
  conf: 'toml',
  env: 'toml',
  dotenv: 'toml',
  properties: 'toml',
  html: 'html',
  htm: 'html',
  xml: 'html',
  svg: 'html',
  xhtml: 'html',
  vue: 'html',
  svelte: 'html',
  css: 'css',
  scss: 'css',
  sass: 'css',
  less: 'css',
  md: 'markdown',
  markdown: 'markdown',
  mdx: 'markdown',
  diff: 'diff',
  patch: 'diff',
  udiff: 'diff',
};
