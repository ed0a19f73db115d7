import { ApiError } from '../api/http.ts';
import { createProject } from '../api/projects.ts';
import { createSession, postMessage } from '../api/sessions.ts';
import { BuildNotStartedError, projectNameFrom, type StartedApp } from '../dashboard/start-app.ts';
import type { ScriptedDemo } from '../settings/models-api.ts';

/** The demo's project, labelled as scripted in its name and description. */
export function demoProjectInput(demo: ScriptedDemo): { name: string; description: string } {
  return {
    name: `${projectNameFrom(demo.prompt)} (scripted demo)`,
    description: `${demo.prompt}. ${demo.label}.`,
  };
}

/** A new project whose build replays the server's bundled script instead of calling a model. */
export async function startDemo(demo: ScriptedDemo): Promise<StartedApp> {
  const project = await createProject(demoProjectInput(demo));
  const session = await createSession(project.id, {
    title: 'Scripted demo',
    mode: demo.mode,
    model: demo.model,
  });
  const started = { projectId: project.id, sessionId: session.id };
  try {
    await postMessage(session.id, { text: demo.prompt, mode: demo.mode, model: demo.model });
  } catch (error) {
    if (error instanceof ApiError) throw new BuildNotStartedError(started, error);
    throw error;
  }
  return started;
}
