import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/tui/markdown.ts';
import { displayWidth } from '../src/tui/md-width.ts';

const plain = (text: string, width = 40) => renderMarkdown(text, { width, color: false });
const colored = (text: string, width = 40) => renderMarkdown(text, { width, color: true });
const sgr = /\u001b\[[\d;]*m/g;
const stripSgr = (text: string) => text.replace(sgr, '');
/** Control characters other than newline; after removing our own SGR codes there must be none. */
const rawControl = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const widest = (text: string) => Math.max(0, ...stripSgr(text).split('\n').map(displayWidth));

describe('renderMarkdown without colour: structure in plain characters', () => {
  const cases: [name: string, input: string, expected: string, width?: number][] = [
    ['heading keeps its level marker', '## Install *now*', '## Install now'],
    ['setext heading', 'Title\n=====', '# Title'],
    [
      'paragraph wraps at word boundaries',
      'The quick brown fox jumps over the lazy dog and keeps running far away.',
      'The quick brown fox jumps over the lazy\ndog and keeps running far away.',
    ],
    ['soft line breaks join, hard breaks stay', 'one\ntwo  \nthree\\\nfour', 'one two\nthree\nfour'],
    [
      'emphasis markers are dropped',
      '**bold**, *italic*, ~~gone~~ and ***both***',
      'bold, italic, gone and both',
    ],
    [
      'intraword underscores and a lone star are not emphasis',
      'call snake_case_name with a*b',
      'call snake_case_name with a*b',
    ],
    ['inline code keeps its backticks', 'run `npm test` then `` a`b ``', 'run `npm test` then `a`b`'],
    ['backslash escapes are literal', '\\*not italic\\* and \\[x]', '*not italic* and [x]'],
    [
      'links show their target',
      'see [the docs](https://aura.dev/docs "Docs")',
      'see the docs (https://aura.dev/docs)',
    ],
    ['a link whose text is its URL is shown once', '[https://a.dev](https://a.dev)', 'https://a.dev'],
    [
      'autolinks and bare URLs',
      '<https://a.dev/x> or https://b.dev/y.',
      'https://a.dev/x or https://b.dev/y.',
    ],
    ['images', '![a diagram](img/arch.png)', 'image: a diagram (img/arch.png)'],
    [
      'bullets nest with hanging indents',
      '- first item that is long enough to wrap around\n  - nested\n    - deeper\n- second',
      '• first item that is long enough to wrap\n  around\n  ◦ nested\n    ▪ deeper\n• second',
    ],
    [
      'ordered lists keep their start and align numbers',
      '9. nine\n10. ten is a longer item that wraps around',
      ' 9. nine\n10. ten is a longer item that wraps\n    around',
    ],
    ['nested items indented less than the marker width', '1. top\n  - child', '1. top\n   ◦ child'],
    ['task lists', '- [ ] todo\n- [x] done', '• [ ] todo\n• [x] done'],
    [
      'loose lists keep blank lines between items',
      '- one\n\n- two\n\n  second paragraph',
      '• one\n\n• two\n\n  second paragraph',
    ],
    [
      'block quotes get a bar, nested quotes two',
      '> quoted **text**\n> > inner',
      '│ quoted text\n│\n│ │ inner',
    ],
    ['lazy quote continuation', '> first\nsecond', '│ first second'],
    [
      'fenced code gets a labelled gutter and is not reflowed',
      '```js\nconst a  =  1;\n\n  return a;\n```',
      '╭─ js\n│ const a  =  1;\n│\n│   return a;\n╰─',
    ],
    ['tilde fences and unknown languages', '~~~weird-lang\nx\n~~~', '╭─ weird-lang\n│ x\n╰─'],
    ['indented code blocks', 'text\n\n    code line\n    more', 'text\n\n╭─\n│ code line\n│ more\n╰─'],
    [
      'long code lines wrap with a continuation marker, at a space when there is one',
      '```\nconst message = "a fairly long string literal";\n```',
      '╭─\n│ const message = "a fairly long string\n↪ literal";\n╰─',
    ],
    ['thematic break spans the width', 'a\n\n---\n\nb', `a\n\n${'─'.repeat(40)}\n\nb`],
    [
      'tables are aligned as the delimiter row says',
      '| Name | Count | Note |\n|:-----|------:|:----:|\n| a | 1 | x |\n| bb | 22 | yy |',
      'Name │ Count │ Note\n─────┼───────┼─────\na    │     1 │  x\nbb   │    22 │  yy',
    ],
    [
      'table rows with missing or extra cells',
      '| a | b |\n|---|---|\n| 1 |\n| 1 | 2 | 3 |',
      'a │ b\n──┼──\n1 │\n1 │ 2',
    ],
    [
      'escaped pipes stay in their cell',
      '| a | b |\n|---|---|\n| x \\| y | z |',
      'a     │ b\n──────┼──\nx | y │ z',
    ],
    [
      'wide tables shrink their widest column and wrap its cells',
      '| Option | Meaning |\n|---|---|\n| --width | the number of columns the renderer may use for output |',
      `Option  │ Meaning\n${'─'.repeat(8)}┼${'─'.repeat(31)}\n--width │ the number of columns the\n        │ renderer may use for output`,
    ],
    [
      'narrowed columns keep their longest word whole',
      '| Name | Description |\n|---|---|\n| x | configuration matters |',
      'Name │ Description\n─────┼──────────────\nx    │ configuration\n     │ matters',
      20,
    ],
    [
      'a table that would have to cut words is listed as records',
      '| Name | Description |\n|---|---|\n| x | configuration matters |',
      'Name: x\nDescription:\n  configuration\n  matters',
      19,
    ],
    [
      'tables too narrow for a grid become header: value records',
      '| a | b | c | d |\n|---|---|---|---|\n| one | two | three | four |\n| 5 | 6 | 7 | 8 |',
      'a: one\nb: two\nc: three\nd: four\n\na: 5\nb: 6\nc: 7\nd: 8',
      20,
    ],
  ];

  it.each(cases)('%s', (_name, input, expected, width) => {
    expect(plain(input, width)).toBe(expected);
  });

  it('separates blocks by one blank line and trims the ends', () => {
    expect(plain('\n\n# A\nbody\n\n\n\n- x\n\n')).toBe('# A\n\nbody\n\n• x');
  });

  it('returns an empty string for empty or blank input', () => {
    expect(plain('')).toBe('');
    expect(plain('   \n\n')).toBe('');
  });
});

describe('renderMarkdown with colour', () => {
  const documents = [
    '# Title\n\nSome **bold**, *italic* and `code` with a [link](https://x.dev).',
    '- [x] done\n- item\n  1. nested\n\n> quote\n\n---',
    '```ts\nconst x: number = 1; // note\n```\n\n| a | b |\n|---|--:|\n| 1 | 2 |',
  ];

  it.each(documents)('styles the text and strips back to the plain rendering: %#', (doc) => {
    const out = colored(doc);
    expect(out).toMatch(sgr);
    expect(stripSgr(out)).toBe(plain(doc));
  });

  it('uses bold for strong text, italic for emphasis, and colour for code and links', () => {
    const out = colored('**b** *i* `c` [l](u)');
    expect(out).toContain('\u001b[1mb\u001b[22m');
    expect(out).toContain('\u001b[3mi\u001b[23m');
    expect(out).toContain('\u001b[36mc\u001b[39m');
    expect(out).toContain('\u001b[4;34ml\u001b[24;39m');
  });

  it('highlights code inside fences', () => {
    const out = colored('```python\ndef f():\n    return "x"\n```');
    expect(out).toContain('\u001b[35mdef\u001b[39m');
    expect(out).toContain('\u001b[32m"x"\u001b[39m');
  });

  it('leaves no trailing spaces, even inside closing style codes', () => {
    const out = colored('- \n\n> a\n>\n> b\n\n# ');
    for (const line of out.split('\n')) expect(line).not.toMatch(/ (?:\u001b\[[\d;]*m)*$/);
    expect(stripSgr(out)).toBe(plain('- \n\n> a\n>\n> b\n\n# '));
  });

  it('emits no escape sequence at all when colour is off', () => {
    const doc = documents.join('\n\n');
    expect(plain(doc)).not.toContain('\u001b');
  });
});

describe('renderMarkdown on a message that is still streaming', () => {
  const message = [
    '## Plan',
    '',
    'I will **update the config** and run `npm test`, see [docs](https://aura.dev/d).',
    '',
    '1. Edit `src/app.ts`:',
    '   ```ts',
    '   export const port = Number(process.env.PORT ?? 3000);',
    '   ```',
    '2. Check the table:',
    '',
    '| Step | Result |',
    '|:-----|-------:|',
    '| lint | *ok* |',
    '',
    '> Done — ~~mostly~~ entirely.',
  ].join('\n');

  it('renders every prefix without throwing, within the width, with no raw control characters', () => {
    for (let end = 0; end <= message.length; end++) {
      const prefix = message.slice(0, end);
      for (const color of [false, true]) {
        const out = renderMarkdown(prefix, { width: 32, color });
        expect(rawControl.test(stripSgr(out)), `prefix ${end}`).toBe(false);
        expect(widest(out), `prefix ${end}`).toBeLessThanOrEqual(32);
        if (!color) expect(out).not.toContain('\u001b');
      }
    }
  });

  it('shows an open fence as a code block so far', () => {
    expect(plain('Look:\n\n```ts\nconst x = 1;\nconst y')).toBe('Look:\n\n╭─ ts\n│ const x = 1;\n│ const y');
    expect(plain('```ts\n')).toBe('╭─ ts');
  });

  it('styles half-written emphasis and code instead of showing raw markers', () => {
    expect(plain('this is **bo')).toBe('this is bo');
    expect(colored('this is **bo')).toContain('\u001b[1mbo\u001b[22m');
    expect(plain('run `npm te')).toBe('run `npm te');
    expect(colored('run `npm te')).toContain('\u001b[36mnpm te\u001b[39m');
    expect(plain('wait for it **')).toBe('wait for it');
  });

  it('keeps a dangling marker literal when it cannot be the start of emphasis', () => {
    expect(plain('match *.ts files')).toBe('match *.ts files');
    expect(plain('compute 2*3')).toBe('compute 2*3');
  });

  it('renders a table whose delimiter row is still arriving', () => {
    expect(plain('| Step | Result |\n|--')).toBe('Step │ Result\n─────┼───────');
  });

  it('renders a link whose URL is still arriving', () => {
    expect(plain('see [docs](https://aura.d')).toBe('see docs (https://aura.d)');
  });

  it('does not treat unclosed markers in earlier paragraphs as open', () => {
    expect(plain('a **b\n\nc')).toBe('a **b\n\nc');
  });
});

describe('renderMarkdown on hostile input', () => {
  const hostile: [name: string, text: string][] = [
    ['CSI sequences', 'clear \u001b[2J\u001b[H and red \u001b[31mtext'],
    ['OSC 8 hyperlink', '\u001b]8;;https://evil.example\u0007click me\u001b]8;;\u0007'],
    ['OSC 52 clipboard write', 'copy \u001b]52;c;cm0gLXJmIH4=\u0007 now'],
    ['carriage return overwrite', 'safe text\rEVIL'],
    ['C1 control CSI', 'x\u009b31my'],
    ['backspace and bell', 'a\u0008\u0008b\u0007'],
  ];

  it.each(hostile)('neutralises %s in every kind of block', (_name, payload) => {
    const doc = [
      `# ${payload}`,
      payload,
      `- ${payload}`,
      `> ${payload}`,
      `\`${payload}\``,
      `[${payload}](${payload})`,
      `| ${payload} | b |\n|---|---|\n| ${payload} | c |`,
      `\`\`\`${payload}\n${payload}\n\`\`\``,
    ].join('\n\n');
    for (const color of [false, true]) {
      const out = renderMarkdown(doc, { width: 60, color });
      expect(rawControl.test(stripSgr(out))).toBe(false);
      expect(stripSgr(out)).not.toContain('\u001b');
      if (payload.includes('\u001b')) expect(out).toContain('^[');
    }
  });

  it('wraps a 100 KB line without spaces into width-sized lines, losing nothing', () => {
    const line = 'abcdefghij'.repeat(10_000);
    const out = plain(line, 80);
    const lines = out.split('\n');
    expect(lines.length).toBe(1250);
    expect(lines.every((l) => l.length === 80)).toBe(true);
    expect(lines.join('')).toBe(line);
  });

  it('wraps wide characters by display columns', () => {
    const out = plain(`${'日本語のテキストを折り返す。'.repeat(20)} 👩‍💻 done`, 21);
    expect(widest(out)).toBeLessThanOrEqual(21);
    expect(out.replace(/\n/g, '')).toContain('👩‍💻');
  });

  it('bounds deeply nested lists and quotes', () => {
    const lists = Array.from({ length: 500 }, (_, i) => `${' '.repeat(i * 2)}- level ${i}`).join('\n');
    const listOut = plain(lists, 60);
    expect(widest(listOut)).toBeLessThanOrEqual(60);
    expect(listOut).toContain('level 499');
    expect(listOut.split('\n').length).toBeLessThanOrEqual(500);

    const quotes = `${'>'.repeat(20_000)} deep`;
    const quoteOut = plain(quotes, 60);
    expect(widest(quoteOut)).toBeLessThanOrEqual(60);
    expect(quoteOut).toContain('deep');
  });

  it('survives pathological emphasis, brackets, backticks and long runs of spaces', () => {
    const spaces = ' '.repeat(30_000);
    for (const doc of [
      '*a '.repeat(20_000),
      '[a'.repeat(20_000),
      `${'['.repeat(10_000)}${'[a](b)'.repeat(10_000)}`,
      '`a ``b '.repeat(10_000),
      Array.from({ length: 300 }, (_, i) => `${'`'.repeat(i + 1)} x `).join(''),
      '_*~'.repeat(20_000),
      `a|b\n|-${spaces}x`,
      `# a${spaces}b ${'#'.repeat(30_000)}x`,
      `a${spaces}b\nc`,
    ]) {
      const out = plain(doc, 80);
      expect(widest(out)).toBeLessThanOrEqual(80);
      expect(out.length).toBeGreaterThan(0);
    }
  });

  it('clamps nonsensical widths instead of failing', () => {
    for (const width of [0, -5, Number.NaN, 3, 1e9]) {
      const out = renderMarkdown('# Heading\n\nsome words that wrap\n\n```\ncode\n```', {
        width,
        color: false,
      });
      expect(out).toContain('Heading');
      expect(widest(out)).toBeLessThanOrEqual(1000);
    }
    expect(widest(plain('word '.repeat(50), 3))).toBeLessThanOrEqual(10);
  });
});
