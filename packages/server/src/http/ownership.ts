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
  // An id with a NUL cannot exist, and PostgreSQL would refuse even to look it up.
  if (projectId.includes('\0')) throw notFound('Project');
  const project = await ctx.store.getProject(projectId);
  if (!project || project.ownerId !== userId) throw notFound('Project');
  return project;
}

export async function ownedSession(
  ctx: ServerContext,
  userId: string,
  sessionId: string,
): Promise<SessionInfo> {
  if (sessionId.includes('\0')) throw notFound('Session');
  const session = await ctx.store.getSession(sessionId);
  if (!session || session.userId !== userId) throw notFound('Session');
  return session;
}

/** Sessions without the host path of their workspace. */
export function publicSession(session: SessionInfo): Omit<SessionInfo, 'directory'> {
  const { directory: _hidden, ...info } = session;
  return info;
}
