import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestWorkspace, type TestWorkspace } from './test-utils.ts';
import { todoTool } from './todo.ts';

let ws: TestWorkspace;
beforeEach(() => {
  ws = createTestWorkspace();
});
afterEach(() => ws.cleanup());

describe('todo', () => {
  it('publishes the list and renders a checklist', async () => {
    const published: unknown[] = [];
    const result = await ws.run(
      todoTool,
      {
        items: [
          { content: 'Write tests', status: 'completed' },
          { content: 'Implement read', status: 'in_progress' },
          { content: 'Docs', status: 'pending' },
        ],
      },
      { onTodos: (items) => published.push(items) },
    );
    expect(result.output).toBe(
      'Todo list (1/3 completed):\n[x] Write tests\n[~] Implement read  (in progress)\n[ ] Docs',
    );
    expect(published).toHaveLength(1);
  });

  it('rejects invalid statuses and duplicates with a correctable message', async () => {
    const bad = await ws.run(todoTool, { items: [{ content: 'x', status: 'done' }] });
    expect(bad.ok).toBe(false);
    expect(bad.output).toMatch(/^Invalid input for todo: items\.0\.status/);
    expect(bad.output).toContain('"pending" | "in_progress" | "completed"');
    const duplicate = await ws.run(todoTool, {
      items: [
        { content: 'same', status: 'pending' },
        { content: 'same', status: 'pending' },
      ],
    });
    expect(duplicate.output).toMatch(/appears twice/);
    expect((await ws.run(todoTool, { items: [] })).output).toBe('The todo list is now empty.');
  });
});
