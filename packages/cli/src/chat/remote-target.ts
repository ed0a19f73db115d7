import { basename, resolve } from 'node:path';
import type { ProjectInfo, SessionInfo } from '@aura/protocol';
import type { RemoteApi } from '../remote/api-client.ts';
import { RemoteError } from '../remote/errors.ts';
import { ChatError } from './backend.ts';

/** A session as the server sends it: without the host path of its workspace. */
export type PublicSession = Omit<SessionInfo, 'directory'>;

export interface TargetOptions {
  project?: string;
  sessionId?: string;
  continueLast?: boolean;
  dir?: string;
  onNotice?: (message: string) => void;
}

export interface RemoteTarget {
  project: ProjectInfo;
  session: PublicSession;
}

const MAX_PROJECT_NAME = 200;

/**
 * The project and session `aura chat --server` opens:
 * - project: `--project` (an id, or an exact name), else the session's own project with
 *   `--session`, else the project named after the working directory — the most recent one with
 *   that name, created when there is none;
 * - session: `--session ID`, `--continue` (the project's most recent), else a new one. A new
 *   session reuses the project's most recent one while that has never been used (no events), so
 *   opening and quitting the TUI does not pile up empty sessions.
 */
export async function chooseTarget(api: RemoteApi, opts: TargetOptions): Promise<RemoteTarget> {
  if (opts.sessionId) {
    const session = await getSession(api, opts.sessionId);
    if (!session.projectId)
      throw new ChatError(`Session ${session.id} is not part of a project, so aura chat cannot open it.`);
    const project = await getProject(api, session.projectId);
    if (opts.project && opts.project !== project.id && opts.project !== project.name)
      throw new ChatError(
        `Session ${session.id} belongs to project "${project.name}", not "${opts.project}".`,
      );
    return { project, session };
  }
  const project = opts.project
    ? await namedProject(api, opts.project)
    : await directoryProject(api, opts.dir ?? process.cwd(), opts.onNotice);
  const newest = (await projectSessions(api, project.id, 1))[0];
  if (opts.continueLast) {
    if (newest) return { project, session: newest };
    opts.onNotice?.(`Project "${project.name}" has no session yet: starting a new one.`);
  } else if (newest && newest.lastSeq === 0 && newest.state === 'IDLE') {
    return { project, session: newest };
  }
  return { project, session: await createSession(api, project.id) };
}

export async function getSession(api: RemoteApi, id: string): Promise<PublicSession> {
  try {
    return await api.request<PublicSession>('GET', `/api/sessions/${encodeURIComponent(id)}`);
  } catch (error) {
    if (isNotFound(error)) throw new ChatError(`No session ${id} on ${api.server} (or it is not yours).`);
    throw error;
  }
}

export async function getProject(api: RemoteApi, id: string): Promise<ProjectInfo> {
  try {
    return await api.request<ProjectInfo>('GET', `/api/projects/${encodeURIComponent(id)}`);
  } catch (error) {
    if (isNotFound(error)) throw new ChatError(`No project ${id} on ${api.server} (or it is not yours).`);
    throw error;
  }
}

export async function projectSessions(
  api: RemoteApi,
  projectId: string,
  limit: number,
): Promise<PublicSession[]> {
  const page = await api.request<{ items: PublicSession[] }>(
    'GET',
    `/api/projects/${encodeURIComponent(projectId)}/sessions?limit=${Math.min(100, Math.max(1, limit))}`,
  );
  return page.items;
}

export async function createSession(
  api: RemoteApi,
  projectId: string,
  model?: string | null,
): Promise<PublicSession> {
  return api.request<PublicSession>(
    'POST',
    `/api/projects/${encodeURIComponent(projectId)}/sessions`,
    model ? { model } : {},
  );
}

/** `--project`: an id, else an exact name (case-sensitive first); never created. */
async function namedProject(api: RemoteApi, nameOrId: string): Promise<ProjectInfo> {
  if (/^prj_[A-Za-z0-9]+$/.test(nameOrId)) {
    try {
      return await api.request<ProjectInfo>('GET', `/api/projects/${nameOrId}`);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  const found = await projectNamed(api, nameOrId);
  if (found) return found;
  const recent = await searchProjects(api, '');
  const names = recent.slice(0, 5).map((p) => `"${p.name}"`);
  throw new ChatError(
    `No project "${nameOrId}" on ${api.server}.${names.length > 0 ? ` Recent ones: ${names.join(', ')}.` : ''} Leave out --project to use (or create) one named after this directory.`,
  );
}

async function directoryProject(
  api: RemoteApi,
  dir: string,
  onNotice: ((message: string) => void) | undefined,
): Promise<ProjectInfo> {
  const name = projectNameFor(dir);
  const found = await projectNamed(api, name);
  if (found) return found;
  const created = await api.request<ProjectInfo>('POST', '/api/projects', { name });
  onNotice?.(`Created project "${created.name}" on ${api.server} (named after this directory).`);
  return created;
}

/** The directory's name, as a project name. */
export function projectNameFor(dir: string): string {
  const name = basename(resolve(dir)).trim();
  return [...(name || 'workspace')].slice(0, MAX_PROJECT_NAME).join('');
}

/** The most recently updated project with exactly this name (case-insensitively if none matches exactly). */
async function projectNamed(api: RemoteApi, name: string): Promise<ProjectInfo | undefined> {
  const candidates = await searchProjects(api, name);
  return (
    candidates.find((project) => project.name === name) ??
    candidates.find((project) => project.name.toLowerCase() === name.toLowerCase())
  );
}

async function searchProjects(api: RemoteApi, search: string): Promise<ProjectInfo[]> {
  const query = search ? `&search=${encodeURIComponent(search.slice(0, 200))}` : '';
  return (await api.request<{ items: ProjectInfo[] }>('GET', `/api/projects?limit=100${query}`)).items;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof RemoteError && error.kind === 'api' && error.status === 404;
}
