import type { TodoItem } from '@aura/protocol';
import type { ShellResult } from '../chat/backend.ts';
import { sanitizeForTerminal } from '../render-text.ts';
import { renderDiff } from './diff.ts';
import { renderMarkdown } from './markdown.ts';
import { chopToWidth, displayWidth, truncateToWidth } from './md-width.ts';
import { foldAttachments } from './mentions.ts';
import type { Theme } from './theme.ts';
import type { Item, NoteTone } from './transcript.ts';

export interface RenderContext {
  width: number;
  theme: Theme;
}

const readOnlyTools = new Set(['read', 'list', 'glob', 'grep', 'codebase_search', 'web_fetch', 'web_search']);
const indent = (text: string, by: string) =>
  text
    .split('\n')
    .map((line) => by + line)
    .join('\n');

/** `mcp__github__create_issue` → `github › create_issue`. */
export function toolLabel(tool: string): string {
  const mcp = /^mcp__(.+?)__(.+)$/.exec(tool);
  return mcp ? `${mcp[1]} › ${mcp[2]}` : tool;
}

/** What a call works on, in one line: its path, command, pattern, URL or query. */
export function toolSubject(tool: string, input: unknown): string {
  if (!input || typeof input !== 'object') return '';
  const record = input as Record<string, unknown>;
  if (tool === 'move' && typeof record.from === 'string')
    return `${record.from} → ${String(record.to ?? '?')}`;
  if (tool === 'apply_patch') {
    const files = [...String(record.patch ?? '').matchAll(/^\+\+\+ (?:b\/)?(\S+)/gm)].map((m) => m[1]);
    return files.length ? files.join(', ') : 'patch';
  }
  if (tool === 'todo' && Array.isArray(record.items)) return `${record.items.length} items`;
  const key = ['command', 'path', 'pattern', 'url', 'query'].find((k) => typeof record[k] === 'string');
  const value = key ? String(record[key]) : JSON.stringify(input);
  return sanitizeForTerminal(value.replace(/\s+/g, ' ').trim());
}

/** Breaks plain text at spaces to fit `width` (spacing inside a line is kept; long words are cut). */
export function wrapPlain(text: string, width: number, indentWrapped = ''): string {
  if (width <= indentWrapped.length + 1) return text;
  const out: string[] = [];
  for (const line of text.split('\n')) {
    let rest = line;
    let prefix = '';
    // Two columns (a key, then its description after 2+ spaces) wrap under the description.
    const column = /^(\s*\S.*?\s{2,})\S/.exec(line)?.[1];
    const hanging =
      column && displayWidth(column) <= width / 2 ? ' '.repeat(displayWidth(column)) : indentWrapped;
    while (displayWidth(prefix + rest) > width) {
      const room = width - displayWidth(prefix);
      const head = chopToWidth(rest, room)[0] ?? '';
      const space = head.lastIndexOf(' ');
      const cut = space > 0 && rest[head.length] !== ' ' ? space : head.length;
      out.push(prefix + rest.slice(0, cut).trimEnd());
      rest = rest.slice(cut).trimStart();
      prefix = hanging;
    }
    out.push(prefix + rest);
  }
  return out.join('\n');
}

function clipLines(text: string, max: number, from: 'start' | 'end'): string[] {
  const lines = sanitizeForTerminal(text.trimEnd()).split('\n');
  if (lines.length <= max) return lines;
  const hidden = `… ${lines.length - max} more line${lines.length - max === 1 ? '' : 's'}`;
  return from === 'start' ? [...lines.slice(0, max), hidden] : [hidden, ...lines.slice(-max)];
}

function toolResult(item: Extract<Item, { kind: 'tool' }>, ctx: RenderContext): string[] {
  const { theme, width } = ctx;
  const output = item.output ?? '';
  const lineCount = output.trimEnd() ? output.trimEnd().split('\n').length : 0;
  switch (item.status) {
    case 'running':
      return [theme.dim('  … running')];
    case 'stopped':
      return [theme.yellow(`  ■ stopped${output ? `: ${clipLines(output, 1, 'start')[0]}` : ''}`)];
    case 'denied':
      return [theme.yellow(`  ✗ denied${output ? `: ${clipLines(output, 1, 'start')[0]}` : ''}`)];
    case 'error':
      return clipLines(output || 'failed', 4, 'start').map((line, i) =>
        theme.red(`${i ? '    ' : '  ✗ '}${line}`),
      );
    default:
      break;
  }
  const diff = typeof item.metadata?.diff === 'string' ? item.metadata.diff : '';
  if (diff) {
    const summary = clipLines(output, 1, 'start')[0] ?? '';
    const rendered = renderDiff(diff, { width: width - 4, color: theme.color, maxLines: 12 });
    return [`  ${theme.green('✓')} ${theme.dim(summary)}`, indent(rendered, '    ')];
  }
  if (readOnlyTools.has(item.tool))
    return [`  ${theme.green('✓')} ${theme.dim(`${lineCount} line${lineCount === 1 ? '' : 's'}`)}`];
  if (item.tool === 'todo') return [`  ${theme.green('✓')} ${theme.dim('plan updated')}`];
  const shown = item.tool === 'exec' ? clipLines(output, 5, 'end') : clipLines(output, 3, 'start');
  return [
    `  ${theme.green('✓')}${shown.length && shown[0] ? ` ${theme.dim(shown[0])}` : ''}`,
    ...shown.slice(1).map((line) => theme.dim(`    ${line}`)),
  ];
}

function renderTool(item: Extract<Item, { kind: 'tool' }>, ctx: RenderContext): string {
  const { theme, width } = ctx;
  const bullet =
    item.status === 'running' ? theme.yellow('●') : item.status === 'ok' ? theme.green('●') : theme.red('●');
  const label = toolLabel(item.tool);
  const subject = truncateToWidth(toolSubject(item.tool, item.input), Math.max(10, width - label.length - 3));
  const answer = item.answer
    ? [(item.answer.startsWith('denied') ? theme.yellow : theme.dim)(`  → ${item.answer}`)]
    : [];
  return [`${bullet} ${theme.bold(label)} ${subject}`, ...answer, ...toolResult(item, ctx)].join('\n');
}

function renderShell(command: string, result: ShellResult | undefined, theme: Theme): string {
  const head = `${theme.magenta('!')} ${theme.bold(sanitizeForTerminal(command))}`;
  if (!result) return `${head}\n${theme.dim('  … running')}`;
  if (result.denied)
    return `${head}\n${theme.yellow(`  ✗ not run: ${clipLines(result.output, 1, 'start')[0]}`)}`;
  const body = result.output.trim() ? clipLines(result.output, 12, 'end').map((l) => `  ${l}`) : [];
  const status =
    result.exitCode === 0 ? theme.green('  ✓ exit 0') : theme.red(`  ✗ exit ${result.exitCode ?? 'signal'}`);
  return [head, ...body.map((line) => theme.dim(line)), status].join('\n');
}

const todoMarks: Record<TodoItem['status'], string> = { pending: '☐', in_progress: '◐', completed: '☑' };

function renderTodos(items: TodoItem[], theme: Theme): string {
  const lines = items.map((todo) => {
    const text = `${todoMarks[todo.status]} ${sanitizeForTerminal(todo.content)}`;
    return todo.status === 'completed' ? theme.dim(`  ${text}`) : `  ${text}`;
  });
  return [theme.bold('plan'), ...lines].join('\n');
}

function toneOf(tone: NoteTone, theme: Theme): (text: string) => string {
  switch (tone) {
    case 'error':
      return theme.red;
    case 'warn':
      return theme.yellow;
    case 'success':
      return theme.green;
    case 'dim':
      return theme.dim;
    default:
      return theme.cyan;
  }
}

/** One transcript item as terminal text (colours only when the theme has them). */
export function renderItem(item: Item, ctx: RenderContext): string {
  const { theme, width } = ctx;
  switch (item.kind) {
    case 'user': {
      const { text, files: pasted } = foldAttachments(item.text);
      const files = [...pasted, ...(item.files ?? [])];
      const lines = wrapPlain(sanitizeForTerminal(text), width - 2).split('\n');
      const body = lines.map((line, i) => (i === 0 ? `${theme.cyan('❯')} ${line}` : `  ${line}`)).join('\n');
      const attached = files.length
        ? `\n${theme.dim(`  + attached ${files.map((f) => `@${f}`).join(', ')}`)}`
        : '';
      return theme.bold(body) + attached;
    }
    case 'assistant':
      return indent(renderMarkdown(item.text, { width: width - 2, color: theme.color }), '  ');
    case 'reasoning': {
      const lines = clipLines(item.text, 3, item.open ? 'end' : 'start');
      return theme.dim(theme.italic(indent(`thinking: ${lines.join('\n')}`, '  ')));
    }
    case 'tool':
      return renderTool(item, ctx);
    case 'shell':
      return renderShell(item.command, item.result, theme);
    case 'todos':
      return renderTodos(item.items, theme);
    case 'note':
      return toneOf(item.tone, theme)(wrapPlain(sanitizeForTerminal(item.text), width, '  '));
  }
}

/** Blank line before each block, except notes that belong to the block above. */
export function withSpacing(item: Item, text: string): string {
  return item.kind === 'note' && item.hug ? text : `\n${text}`;
}

/** How many items a fresh print shows at most: enough to read back, bounded in time and memory. */
export const printLimit = 200;

/**
 * Items printed in one piece (a continued session's history, or everything again after a resize),
 * the newest `printLimit` of them, with a line saying how many earlier ones are left out.
 */
export function renderTranscript(items: Item[], ctx: RenderContext): string {
  const shown = items.slice(-printLimit);
  const left = items.length - shown.length;
  const marker = left
    ? [
        ctx.theme.dim(
          `⋯ ${left} earlier item${left === 1 ? '' : 's'} not shown · /export writes the whole session`,
        ),
      ]
    : [];
  return [...marker, ...shown.map((item) => withSpacing(item, renderItem(item, ctx)))].join('\n');
}
