import { describe, expect, it } from 'vitest';
import { projectNameFrom } from './start-app.ts';

describe('projectNameFrom', () => {
  it('drops the request verb and keeps the first words', () => {
    expect(projectNameFrom('Build a todo list app with tags.')).toBe('Todo list app with tags');
    expect(projectNameFrom('please make me an expense tracker')).toBe('Expense tracker');
    expect(projectNameFrom('A landing page\nwith a hero and pricing')).toBe('A landing page');
  });

  it('stays under 60 characters on a word boundary', () => {
    const name = projectNameFrom(`Create ${'wonderful '.repeat(20)}things`);
    expect(name.length).toBeLessThanOrEqual(60);
    expect(name.endsWith('wonderful')).toBe(true);
  });

  it('cuts a single very long word and names an empty one', () => {
    expect(projectNameFrom('x'.repeat(100))).toHaveLength(60);
    expect(projectNameFrom('   ')).toBe('Untitled app');
    expect(projectNameFrom('Build a')).toBe('A');
  });
});
