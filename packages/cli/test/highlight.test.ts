import { describe, expect, it } from 'vitest';
import { highlightCode, resolveLanguage } from '../src/tui/highlight.ts';
import { expandTabs } from '../src/tui/md-width.ts';

const sgr = /\u001b\[[\d;]*m/g;
const stripSgr = (text: string) => text.replace(sgr, '');

/** The SGR codes in force on the first occurrence of `token` (`''` when it is unstyled). */
function styleOf(highlighted: string, token: string): string {
  const pattern = /\u001b\[([\d;]*)m|[^\u001b]+/g;
  let active = '';
  for (const match of highlighted.matchAll(pattern)) {
    if (match[1] !== undefined) {
      active = /^(?:22|23|24|29|39)(?:;|$)/.test(match[1]) ? '' : match[1];
    } else if (match[0].includes(token)) {
      return active;
    }
  }
  throw new Error(`"${token}" not in output`);
}

const withTabsExpanded = (code: string) =>
  code
    .split('\n')
    .map((line) => expandTabs(line))
    .join('\n');

const KEYWORD = '35';
const STRING = '32';
const COMMENT = '2';
const NUMBER = '33';
const TYPE = '36';
const FUNCTION = '34';

const samples: [lang: string, code: string, expectations: [token: string, style: string][]][] = [
  [
    'ts',
    'import { x } from "y";\n// note\nexport async function go(n: number): Promise<Item> { return n * 2.5; }',
    [
      ['import', KEYWORD],
      ['"y"', STRING],
      ['// note', COMMENT],
      ['go', FUNCTION],
      ['number', TYPE],
      ['Promise', TYPE],
      ['2.5', NUMBER],
    ],
  ],
  [
    'tsx',
    'const el = <Button onClick={go}>hi</Button>;\nconst t = `multi\nline`;',
    [
      ['<Button', FUNCTION],
      ['line`', STRING],
    ],
  ],
  [
    'json',
    '{"name": "aura", "n": 3, "ok": true, "x": null}',
    [
      ['"name"', TYPE],
      ['"aura"', STRING],
      ['3', NUMBER],
      ['true', NUMBER],
    ],
  ],
  [
    'bash',
    '# install\nnpm install --save-dev vitest && echo "$HOME" | grep -q x\nif [ -f a ]; then rm a; fi',
    [
      ['# install', COMMENT],
      ['npm', FUNCTION],
      ['--save-dev', TYPE],
      ['"$HOME"', STRING],
      ['grep', FUNCTION],
      ['if', KEYWORD],
    ],
  ],
  [
    'python',
    '@cache\ndef area(r: float) -> float:\n    """Doc."""\n    return f"{r}" if r > 0 else None  # why',
    [
      ['@cache', TYPE],
      ['def', KEYWORD],
      ['area', FUNCTION],
      ['float', TYPE],
      ['"""Doc."""', STRING],
      ['f"{r}"', STRING],
      ['None', NUMBER],
      ['# why', COMMENT],
    ],
  ],
  [
    'css',
    '@media (max-width: 600px) {\n  .card:hover { color: #fff; margin: 0 auto !important; }\n}',
    [
      ['@media', KEYWORD],
      ['.card', TYPE],
      ['color', TYPE],
      ['#fff', NUMBER],
      ['!important', KEYWORD],
    ],
  ],
  [
    'html',
    '<!-- c -->\n<a href="/x" class=big>Tom &amp; Jerry</a>\n<script>const n = 1;</script>',
    [
      ['<!-- c -->', COMMENT],
      ['<a', FUNCTION],
      ['href', TYPE],
      ['"/x"', STRING],
      ['&amp;', NUMBER],
      ['const', KEYWORD],
    ],
  ],
  [
    'markdown',
    '# Title\n- item with `code`\n> quote',
    [
      ['# Title', '1'],
      ['`code`', STRING],
    ],
  ],
  [
    'yaml',
    '# c\nname: aura\nport: 8080\nenabled: true\nlist:\n  - "x"\nref: *anchor',
    [
      ['# c', COMMENT],
      ['name', TYPE],
      ['aura', STRING],
      ['8080', NUMBER],
      ['true', NUMBER],
      ['"x"', STRING],
      ['*anchor', TYPE],
    ],
  ],
  [
    'diff',
    '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new',
    [
      ['--- a/x', '1'],
      ['@@ -1 +1 @@', TYPE],
      ['-old', '31'],
      ['+new', STRING],
    ],
  ],
  [
    'go',
    'func main() {\n\tvar s string = `raw`\n\tfmt.Println(nil)\n}',
    [
      ['func', KEYWORD],
      ['string', TYPE],
      ['`raw`', STRING],
      ['Println', FUNCTION],
      ['nil', NUMBER],
    ],
  ],
  [
    'rust',
    "#[derive(Debug)]\nfn longest<'a>(x: &'a str) -> Option<u8> { println!(\"{}\", 'c'); None }",
    [
      ['#[derive(Debug)]', TYPE],
      ['fn', KEYWORD],
      ["'a", TYPE],
      ['str', TYPE],
      ['println', FUNCTION],
      ["'c'", STRING],
    ],
  ],
  [
    'sql',
    "SELECT id, count(*) FROM users WHERE name = 'o''brien' -- c\nLIMIT 10;",
    [
      ['SELECT', KEYWORD],
      ['count', FUNCTION],
      ["'o''brien'", STRING],
      ['-- c', COMMENT],
      ['10', NUMBER],
    ],
  ],
  [
    'toml',
    '[server]\nport = 8080 # c\nname = "aura"\ndebug = false',
    [
      ['[server]', TYPE],
      ['port', TYPE],
      ['8080', NUMBER],
      ['# c', COMMENT],
      ['"aura"', STRING],
      ['false', NUMBER],
    ],
  ],
  [
    'dockerfile',
    'FROM node:24\nRUN npm ci && npm run build',
    [
      ['FROM', KEYWORD],
      ['npm', FUNCTION],
    ],
  ],
];

describe('highlightCode', () => {
  it.each(samples)('colours %s tokens by kind', (lang, code, expectations) => {
    const out = highlightCode(code, lang, true);
    for (const [token, style] of expectations) expect(styleOf(out, token), token).toBe(style);
  });

  it.each(samples)('%s output strips back to exactly the input, tabs expanded', (lang, code) => {
    expect(stripSgr(highlightCode(code, lang, true))).toBe(withTabsExpanded(code));
  });

  it('expands tabs to 4-column stops', () => {
    expect(highlightCode('\tx\n  \ty', 'go', false)).toBe('    x\n    y');
  });

  it('treats lines without a prompt in a console transcript as output, not commands', () => {
    const out = highlightCode('$ npm test\nok 3 tests passed\n$ ls -la', 'console', true);
    expect(styleOf(out, '$ ')).toBe(COMMENT);
    expect(styleOf(out, 'npm')).toBe(FUNCTION);
    expect(styleOf(out, 'ok 3 tests passed')).toBe('');
    expect(styleOf(out, '-la')).toBe(TYPE);
  });

  it('leaves plain text alone in a language keyword sets do not cover', () => {
    expect(styleOf(highlightCode('const value = other;', 'ts', true), 'value')).toBe('');
  });

  it('returns unknown languages and missing ones as plain text', () => {
    for (const lang of [undefined, '', 'klingon', 'text', '__proto__', 'constructor']) {
      expect(highlightCode('const x = "y";', lang, true)).toBe('const x = "y";');
    }
  });

  it('emits no escape sequences with colour off', () => {
    for (const [lang, code] of samples) expect(highlightCode(code, lang, false)).toBe(withTabsExpanded(code));
  });

  it('closes its styles at each line end so lines can be laid out separately', () => {
    const out = highlightCode('/* one\ntwo */ x', 'js', true);
    for (const line of out.split('\n')) {
      const opened = (line.match(/\u001b\[(?!2[2-9]|39)[\d;]*m/g) ?? []).length;
      const closed = (line.match(/\u001b\[(?:2[2-9]|39)[\d;]*m/g) ?? []).length;
      expect(opened).toBe(closed);
    }
  });

  it('highlights an unterminated string or comment to the end, as a streaming block shows it', () => {
    expect(styleOf(highlightCode('const s = "still typ', 'ts', true), '"still typ')).toBe(STRING);
    expect(styleOf(highlightCode('x = 1 /* open\ncomment', 'c', true), 'comment')).toBe(COMMENT);
    expect(styleOf(highlightCode('s = """doc\nmore', 'python', true), 'more')).toBe(STRING);
  });

  it('neutralises escape sequences inside the code before styling it', () => {
    const hostile = 'echo "\u001b]52;c;ZXZpbA==\u0007" \u001b[2J\rrm -rf ~ \u009b31m';
    for (const color of [true, false]) {
      const out = highlightCode(hostile, 'bash', color);
      expect(stripSgr(out)).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      expect(out).toContain('^[]52;c;ZXZpbA==^G');
    }
  });

  it('never throws on garbage, in any language, and keeps every character', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = ' \n\t"\'`\\/*#<>!-@$[]{}():;=,.|&%_0123456789abcxyzABC日本🙂\u0301';
    const languages = [
      ...new Set(samples.map(([lang]) => lang)),
      'c',
      'java',
      'cs',
      'kt',
      'swift',
      'php',
      'rb',
      'lua',
    ];
    for (let round = 0; round < 60; round++) {
      const garbage = Array.from(
        { length: 400 },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
      for (const lang of languages) {
        expect(stripSgr(highlightCode(garbage, lang, true))).toBe(withTabsExpanded(garbage));
      }
    }
  });

  it.each([
    ['yaml', `key: a${' '.repeat(30_000)}b`],
    ['toml', `a${' '.repeat(30_000)}b = 1`],
    ['markdown', '**a*'.repeat(10_000)],
    ['rust', `r#"${' '.repeat(30_000)}`],
    ['css', `a { b${' '.repeat(30_000)}: c }`],
  ])('keeps every character of pathological %s input', (lang, code) => {
    expect(stripSgr(highlightCode(code, lang, true))).toBe(code);
  });

  it('handles a 100 KB line of code', () => {
    const code = 'let x = [1, "a", /* c */ b];'.repeat(4000);
    expect(stripSgr(highlightCode(code, 'js', true))).toBe(code);
  });
});

describe('resolveLanguage', () => {
  it.each([
    ['ts', 'javascript'],
    ['TypeScript', 'javascript'],
    ['language-py', 'python'],
    ['{.rust}', 'rust'],
    ['tsx title="App.tsx"', 'javascript'],
    ['Dockerfile', 'dockerfile'],
    ['yml', 'yaml'],
    ['shell-session', 'bash'],
    ['c++', 'c'],
  ])('%s → %s', (info, language) => {
    expect(resolveLanguage(info)).toBe(language);
  });

  it('knows nothing about made-up or prototype names', () => {
    expect(resolveLanguage('hasOwnProperty')).toBeUndefined();
    expect(resolveLanguage('nope')).toBeUndefined();
  });
});
