import { fileURLToPath } from 'node:url';

/**
 * The bundled scripted demo (demo/build-todo.json): a build the IDE can offer without any model.
 * Clients name it by this id; only the server knows where the script lives.
 */
export const BUNDLED_DEMO = {
  model: 'scripted-demo/build-todo',
  prompt: 'Build a todo list app',
  mode: 'build',
  label: 'Scripted demo: a recorded session, not a model',
} as const;

const DEMO_SCRIPT = fileURLToPath(new URL('../../../../demo/build-todo.json', import.meta.url));

/** The model id a run resolves: the demo's id becomes its script, anything else is left alone. */
export function expandDemoModel(id: string | undefined): string | undefined {
  return id === BUNDLED_DEMO.model ? `script:${DEMO_SCRIPT}` : id;
}
