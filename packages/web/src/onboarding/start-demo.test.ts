import { describe, expect, it } from 'vitest';
import { demoProjectInput } from './start-demo.ts';

describe('the scripted demo project', () => {
  it('says it is a scripted demo in its name and description', () => {
    const input = demoProjectInput({
      model: 'script:/srv/aura/demo/build-todo.json',
      prompt: 'Build a todo list app',
      mode: 'build',
      label: 'Scripted demo: a recorded session, not a model',
    });
    expect(input).toEqual({
      name: 'Todo list app (scripted demo)',
      description: 'Build a todo list app. Scripted demo: a recorded session, not a model.',
    });
  });
});
