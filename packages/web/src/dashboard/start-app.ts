import { ApiError } from '../api/http.ts';
import { createProject } from '../api/projects.ts';
import { createSession, postMessage } from '../api/sessions.ts';

const MAX_NAME = 60;

/** A short project name from the first words of a description. */
export function projectNameFrom(description: string): string {
  const firstLine = description.trim().split('\n')[0]?.trim() ?? '';
  const cleaned = firstLine.replace(/^(please\s+)?(build|create|make|write)\s+(me\s+)?(an?\s+|the\s+)?/i, '');
  const words = cleaned.split(/\s+/).filter(Boolean);
  let name = '';
  for (const word of words) {
    if (`${name} ${word}`.trim().length > MAX_NAME) break;
    name = `${name} ${word}`.trim();
  }
  name = (name || cleaned.slice(0, MAX_NAME)).replace(/[.,;:!?]+$/, '');
  return name ? name[0]!.toUpperCase() + name.slice(1) : 'Untitled app';
}

export interface StartedApp {
  projectId: string;
  sessionId: string;
}

/** The workspace of a started app, on its build session. */
export const workspaceHref = ({ projectId, sessionId }: StartedApp) =>
  `/p/${encodeURIComponent(projectId)}?session=${encodeURIComponent(sessionId)}`;

/** The project exists but its build did not start; the workspace can still be opened. */
export class BuildNotStartedError extends Error {
  override name = 'BuildNotStartedError';
  readonly started: StartedApp;
  constructor(started: StartedApp, cause: unknown) {
    super(
      `The project was created, but the build did not start: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.started = started;
  }
}

/** A new project from a description: the project, a build session, and the first message. */
export async function startApp(description: string, model: string | undefined): Promise<StartedApp> {
  const text = description.trim();
  const project = await createProject({ name: projectNameFrom(text), description: text });
  const session = await createSession(project.id, { mode: 'build', ...(model ? { model } : {}) });
  const started = { projectId: project.id, sessionId: session.id };
  try {
    await postMessage(session.id, { text, mode: 'build', ...(model ? { model } : {}) });
  } catch (error) {
    if (error instanceof ApiError) throw new BuildNotStartedError(started, error);
    throw error;
  }
  return started;
}
