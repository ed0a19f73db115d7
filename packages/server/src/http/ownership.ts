import type { ProjectRecord } from '@aura/engine';
import type { SessionInfo } from '@aura/protocol';
import type { ServerContext } from '../context.ts';
import { notFound } from './errors.ts';

/** The project if it exists and belongs to the user; otherwise the same 404 either way. */
export async function ownedProject(
  ctx: ServerContext,
  userId: string,
  projectId: string,
): Promise<ProjectRecord> {
  const project = await ctx.store.getProject(projectId);
  if (!project || project.ownerId !== userId) throw notFound('Project');
  return project;
}

export async function ownedSession(
  ctx: ServerContext,
  userId: string,
  sessionId: string,
): Promise<SessionInfo> {
  const session = await ctx.store.getSession(sessionId);
  if (!session || session.userId !== userId) throw notFound('Session');
  return session;
}

/** What clients see of a project: never the host path of its workspace. */
export function publicProject(project: ProjectRecord) {
  const { workspace: _hidden, ...info } = project;
  return info;
}
