import { type TodoInput, type TodoItem, todoInput } from '@aura/protocol';
import { type ToolDefinition, ToolError } from './types.ts';

const MARK: Record<TodoItem['status'], string> = { completed: '[x]', in_progress: '[~]', pending: '[ ]' };

export function renderTodos(items: TodoItem[]): string {
  if (items.length === 0) return 'The todo list is now empty.';
  const done = items.filter((item) => item.status === 'completed').length;
  const lines = items.map(
    (item) => `${MARK[item.status]} ${item.content}${item.status === 'in_progress' ? '  (in progress)' : ''}`,
  );
  return `Todo list (${done}/${items.length} completed):\n${lines.join('\n')}`;
}

export const todoTool: ToolDefinition<TodoInput> = {
  name: 'todo',
  description: [
    'Replace your task list (shown to the user) with the given items. Use it for work with three or more steps: write the plan, mark one item in_progress while you work on it, and mark items completed as soon as they are done.',
    'Always send the full list; items left out are removed.',
  ].join('\n'),
  inputSchema: todoInput,
  readOnly: true,
  subject: (input) => `${input.items.length} items`,
  async execute(input, ctx) {
    const seen = new Set<string>();
    for (const item of input.items) {
      const key = item.content.trim();
      if (key === '')
        throw new ToolError('A todo item has empty content; give every item a short description.');
      if (seen.has(key))
        throw new ToolError(`The todo item "${key}" appears twice; each item must be unique.`);
      seen.add(key);
    }
    const items = input.items.map((item) => ({ content: item.content.trim(), status: item.status }));
    ctx.onTodos?.(items);
    const inProgress = items.filter((item) => item.status === 'in_progress').length;
    const hint = inProgress > 1 ? '\nNote: more than one item is in progress; focus on one at a time.' : '';
    return { ok: true, output: renderTodos(items) + hint, metadata: { items } };
  },
};
