// Terminal rendering for `aura chat`: markdown (re-rendered on every streamed delta), code
// highlighting and diffs. Target: re-rendering a 20 KB message takes a few ms. Also what loading the
// renderers costs a fresh process, and the same for shiki, the grammar engine the web IDE uses.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { computeDiff } from '@aura/engine';
import { renderDiff } from '../packages/cli/src/tui/diff.ts';
import { highlightCode } from '../packages/cli/src/tui/highlight.ts';
import { renderMarkdown } from '../packages/cli/src/tui/markdown.ts';
import { ms, printTable, stats } from './table.ts';

const runs = Number(process.env.BENCH_RUNS ?? 30);
const coldRuns = Number(process.env.BENCH_COLD_RUNS ?? 7);
const width = 100;

const section = `## Updating the configuration loader

The loader now reads **both** \`~/.config/aura/config.yaml\` and the project's \`.aura/config.yaml\`,
then applies *environment variables* and flags on top. See [the docs](https://aura.dev/docs/config)
for the precedence rules.

1. Parse each file with \`yaml\` and validate it:
   \`\`\`ts
   export async function loadConfig(paths: string[]): Promise<Config> {
     const layers = await Promise.all(paths.map((p) => readLayer(p))); // user, then project
     return layers.reduce((merged, layer) => ({ ...merged, ...layer }), defaults as Config);
   }
   \`\`\`
2. Report errors with the file and the key:
   - \`port: "abc"\` → *port must be a number*
   - unknown keys are listed, not ignored

| Source | Example | Wins over |
|:-------|:--------|----------:|
| flag | \`--model openai/gpt-5\` | everything |
| env | \`AURA_MODEL=...\` | files |
| project | \`.aura/config.yaml\` | user file |

> Run \`npm test\` before committing; the suite covers every layer.

\`\`\`bash
npm test -- packages/cli && echo "ok" # quick check
\`\`\`

`;

function repeatTo(text: string, size: number): string {
  let out = '';
  while (out.length < size) out += text;
  return out.slice(0, size);
}

function time(fn: () => unknown, times = runs) {
  for (let i = 0; i < 3; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return stats(samples);
}

const row = (name: string, s: ReturnType<typeof stats>, note = '') => ({
  case: name,
  min: ms(s.min),
  median: ms(s.median),
  p95: ms(s.p95),
  note,
});

const message = repeatTo(section, 20_000);
const code = repeatTo(
  'export async function load(path: string): Promise<Config> {\n  const text = await readFile(path, "utf8"); // c\n  return JSON.parse(text) as Config;\n}\n',
  1_000 * 40,
)
  .split('\n')
  .slice(0, 1_000)
  .join('\n');
const numbered = (n: number, word: string) => Array.from({ length: n }, (_, i) => `${word} ${i}\n`).join('');
const diff = computeDiff(numbered(3_000, 'line'), numbered(3_000, 'line').replace(/7\n/g, '7 changed\n'), {
  oldPath: 'a/src/big.ts',
  newPath: 'b/src/big.ts',
}).text;
const chatMessage = repeatTo(
  'Some realistic assistant prose with `code`, **bold** and a [link](https://x.dev). ',
  400,
);

// Streaming: the TUI re-renders the whole message on every delta.
const deltas: number[] = [];
for (let end = 100; end <= message.length; end += 100) deltas.push(end);
const perDelta: number[] = [];
const streamStart = performance.now();
for (const end of deltas) {
  const start = performance.now();
  renderMarkdown(message.slice(0, end), { width, color: true });
  perDelta.push(performance.now() - start);
}
const streamTotal = performance.now() - streamStart;
const delta = stats(perDelta);

printTable(`TUI rendering at ${width} columns, ${runs} runs each (node ${process.version})`, [
  row(
    'renderMarkdown, 20 KB message',
    time(() => renderMarkdown(message, { width, color: true })),
  ),
  row(
    'renderMarkdown, 20 KB message, no colour',
    time(() => renderMarkdown(message, { width, color: false })),
  ),
  {
    case: `streaming a 20 KB message, ${deltas.length} re-renders`,
    min: ms(delta.min),
    median: ms(delta.median),
    p95: ms(delta.p95),
    note: `total ${ms(streamTotal)}`,
  },
  row(
    'renderMarkdown, 1,000 chat messages of 400 chars',
    time(() => {
      for (let i = 0; i < 1_000; i++) renderMarkdown(chatMessage, { width, color: true });
    }, 10),
    'a whole long session',
  ),
  row(
    'highlightCode, 1,000 lines of TypeScript',
    time(() => highlightCode(code, 'ts', true)),
  ),
  row(
    `renderDiff, ${Math.round(diff.length / 1024)} KB diff, maxLines 20`,
    time(() => renderDiff(diff, { width, color: true })),
  ),
]);

// Untrusted text must not make rendering slow: inputs that make naive parsers backtrack or rescan.
const spaces = ' '.repeat(30_000);
const hostile: [string, string][] = [
  ['100 KB line without spaces', 'abcdefghij'.repeat(10_000)],
  ['10,000 unclosed [ then 10,000 links', `${'['.repeat(10_000)}${'[a](b)'.repeat(10_000)}`],
  ['300 unmatched backtick runs', Array.from({ length: 300 }, (_, i) => `${'`'.repeat(i + 1)} x `).join('')],
  ['20,000 unmatched emphasis openers', '*a '.repeat(20_000)],
  [
    '500 nested list levels',
    Array.from({ length: 500 }, (_, i) => `${' '.repeat(i * 2)}- level ${i}`).join('\n'),
  ],
  ['20,000 nested quote markers', `${'>'.repeat(20_000)} deep`],
  ['30,000 spaces in a table delimiter row', `a|b\n|-${spaces}x`],
  ['30,000 spaces before a line break', `a${spaces}b\nc`],
  ['escape sequences, 95 KB', '\u001b[31m\u001b]8;;http://x\u0007'.repeat(5_000)],
];
printTable(
  `Hostile input, renderMarkdown at ${width} columns, 5 runs each`,
  hostile.map(([name, text]) =>
    row(
      name,
      time(() => renderMarkdown(text, { width, color: true }), 5),
    ),
  ),
);

/** Runs `script` in a fresh node; it prints one JSON object of numbers. */
function cold(script: string): Record<string, number>[] {
  const results: Record<string, number>[] = [];
  for (let i = 0; i < coldRuns; i++) {
    const result = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    if (result.status !== 0) throw new Error(result.stderr);
    results.push(JSON.parse(result.stdout));
  }
  return results;
}

const src = (path: string) => JSON.stringify(new URL(`../packages/cli/src/${path}`, import.meta.url).href);
// The engine is loaded first, as it is in `aura chat` before the TUI loads its renderers: that also
// pays Node's type-stripper start-up (its memory grows to fit the largest file it has stripped).
const measure = (load: string, work: string) => `
await import('@aura/engine');
globalThis.gc();
const rss = process.memoryUsage().rss;
let start = performance.now();
${load}
const loadMs = performance.now() - start;
start = performance.now();
${work}
const firstMs = performance.now() - start;
globalThis.gc();
console.log(JSON.stringify({ loadMs, firstMs, rssMb: (process.memoryUsage().rss - rss) / 1e6 }));`;

const codeLiteral = JSON.stringify(code);
const ours = cold(
  measure(
    `const { renderMarkdown } = await import(${src('tui/markdown.ts')});
     const { renderDiff } = await import(${src('tui/diff.ts')});`,
    `renderMarkdown(${JSON.stringify(message)}, { width: ${width}, color: true });
     renderMarkdown(${JSON.stringify(`\`\`\`ts\n${code}\n\`\`\``)}, { width: ${width}, color: true });
     renderDiff(${JSON.stringify(diff)}, { width: ${width}, color: true });`,
  ),
);
const shiki = cold(
  measure(
    `const { createHighlighterCore } = await import('@shikijs/core');
     const { createJavaScriptRegexEngine } = await import('@shikijs/engine-javascript');
     const names = ['typescript', 'tsx', 'json', 'bash', 'python', 'css', 'html', 'markdown', 'yaml', 'diff', 'go', 'rust', 'sql'];
     const langs = await Promise.all(names.map((l) => import('@shikijs/langs/' + l).then((m) => m.default)));
     const theme = (await import('@shikijs/themes/github-dark')).default;
     const highlighter = await createHighlighterCore({ themes: [theme], langs, engine: createJavaScriptRegexEngine() });`,
    `highlighter.codeToTokensBase(${codeLiteral}, { lang: 'typescript', theme: 'github-dark' });`,
  ),
);
const median = (results: Record<string, number>[], key: string) => stats(results.map((r) => r[key]!)).median;

printTable(`Loading the renderers into a fresh process that has the engine loaded, median of ${coldRuns}`, [
  {
    case: 'markdown + highlight + diff (hand-written tokenizers)',
    load: ms(median(ours, 'loadMs')),
    'first use': ms(median(ours, 'firstMs')),
    'RSS added': `${median(ours, 'rssMb').toFixed(1)} MB`,
    'first use is': `20 KB message, 1,000 code lines, ${Math.round(diff.length / 1024)} KB diff`,
  },
  {
    case: 'shiki core + JS regex engine, same 13 languages',
    load: ms(median(shiki, 'loadMs')),
    'first use': ms(median(shiki, 'firstMs')),
    'RSS added': `${median(shiki, 'rssMb').toFixed(1)} MB`,
    'first use is': '1,000 code lines only',
  },
]);
